package dev.caravan.formats.csv;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import dev.caravan.formats.BinaryEncoding;
import dev.caravan.formats.CommonOptions;
import java.nio.charset.Charset;
import java.util.Locale;

/** The CSV options of one reader or writer, parsed once from a {@link Config}. */
record CsvSettings(boolean header, char delimiter, Character quote, Character escape, Charset charset,
        String nullString, boolean ignoreUnknownColumns, boolean inferTypes, int inferSample, boolean inferDecimals,
        boolean quoteAll, String lineSeparator, BinaryEncoding binary, int batchSize) {

    static CsvSettings of(Config c) {
        char delimiter = oneChar(c.string(CsvCodec.DELIMITER.name()), "delimiter", false);
        Character quote = optionalChar(c.string(CsvCodec.QUOTE.name()), "quote");
        Character escape = optionalChar(c.string(CsvCodec.ESCAPE.name()), "escape");
        if (quote != null && quote == delimiter || escape != null && escape == delimiter) {
            throw MigrationException.userConfig("CSV quote and escape characters must differ from the delimiter '"
                    + delimiter + "'");
        }
        if (quote != null && quote.equals(escape)) {
            throw MigrationException.userConfig("the CSV escape character must differ from the quote '" + quote
                    + "' (a quote inside a quoted value is doubled without an escape option)");
        }
        return new CsvSettings(c.bool(CsvCodec.HEADER.name()), delimiter, quote, escape,
                Charset.forName(c.string(CsvCodec.CHARSET.name())), c.get(CsvCodec.NULL_STRING.name()).orElse(""),
                "ignore".equals(c.string(CsvCodec.UNKNOWN_COLUMNS.name())), c.bool(CsvCodec.INFER_TYPES.name()),
                c.intValue(CommonOptions.INFER_SAMPLE.name(), 1000),
                c.bool(CommonOptions.INFER_DECIMALS.name()),
                "all".equalsIgnoreCase(c.string(CsvCodec.QUOTE_MODE.name())),
                "crlf".equalsIgnoreCase(c.string(CsvCodec.LINE_SEPARATOR.name())) ? "\r\n" : "\n",
                BinaryEncoding.of(c.string(CommonOptions.BINARY_ENCODING.name())),
                c.intValue(CommonOptions.BATCH_SIZE.name(), 1000));
    }

    /** Parses a one-character option; accepts {@code \t}, {@code tab}, {@code \\}. */
    static char oneChar(String text, String option, boolean allowEmpty) {
        String t = text == null ? "" : text;
        switch (t.toLowerCase(Locale.ROOT)) {
            case "\\t", "tab" -> {
                return '\t';
            }
            case "\\\\" -> {
                return '\\';
            }
            case "space" -> {
                return ' ';
            }
            default -> {
                if (t.length() != 1 && !allowEmpty) {
                    throw MigrationException.userConfig("CSV option " + option + " must be one character (or \\t, tab), got '"
                            + text + "'");
                }
                return t.charAt(0);
            }
        }
    }

    static String checkChar(String text) {
        try {
            oneChar(text, "value", false);
            return null;
        } catch (MigrationException e) {
            return "must be one character (or \\t, tab)";
        }
    }

    static String checkOptionalChar(String text) {
        return text == null || text.isEmpty() || text.equalsIgnoreCase("none") ? null : checkChar(text);
    }

    private static Character optionalChar(String text, String option) {
        if (text == null || text.isEmpty() || text.equalsIgnoreCase("none")) {
            return null;
        }
        return oneChar(text, option, false);
    }
}
