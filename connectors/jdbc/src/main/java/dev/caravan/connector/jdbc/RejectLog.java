package dev.caravan.connector.jdbc;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where refused rows go (pgloader's reject.dat, as JSON Lines): one line per row with the table, its key, where the
 * source has it when it knows (a file's line, a keyless row's ordinal: {@code location}, left out when unknown), the
 * database's reason and the row's values. Counts every reject and fails the load (USER_DATA) once more than
 * {@code maxRejects} rows were refused. Shared by every writer of a sink; thread-safe.
 */
final class RejectLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RejectLog.class);
    private static final int LOGGED = 10;

    private final Path file;
    private final long maxRejects;
    private BufferedWriter out;
    private long count;

    RejectLog(String file, long maxRejects) {
        this.file = file == null ? null : Path.of(file);
        this.maxRejects = maxRejects;
    }

    /**
     * Records one refused row; throws once the threshold is passed.
     *
     * @param location where the source has the row ({@code orders.csv line 12}, {@code row 3}), or {@code null}
     */
    synchronized void reject(String table, String key, String location, String reason, List<String> columns,
            Object[] values) {
        count++;
        if (count <= LOGGED) {
            LOG.warn("row refused by {} ({}): {}", table, where(key, location), reason);
        }
        if (file != null) {
            try {
                if (out == null) {
                    if (file.getParent() != null) {
                        Files.createDirectories(file.getParent());
                    }
                    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                out.write(line(table, key, location, reason, columns, values));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new MigrationException(ErrorKind.FATAL, "cannot write the reject file " + file + ": " + e, e);
            }
        }
        if (maxRejects >= 0 && count > maxRejects) {
            throw new MigrationException(ErrorKind.USER_DATA, "more than " + maxRejects + " rows refused (maxRejects);"
                    + " last in " + table + " " + where(key, location) + ": " + reason
                    + (file == null ? "" : " (rejected rows are in " + file + ")"));
        }
    }

    synchronized long count() {
        return count;
    }

    private static String where(String key, String location) {
        return key != null || location == null ? "key " + key : location;
    }

    static String line(String table, String key, String location, String reason, List<String> columns,
            Object[] values) {
        StringBuilder sb = new StringBuilder(256).append("{\"table\":");
        json(sb, table);
        sb.append(",\"key\":");
        json(sb, key);
        if (location != null) {
            sb.append(",\"location\":");
            json(sb, location);
        }
        sb.append(",\"reason\":");
        json(sb, reason);
        sb.append(",\"row\":{");
        for (int i = 0; i < columns.size() && i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            json(sb, columns.get(i));
            sb.append(':');
            value(sb, values[i]);
        }
        return sb.append("}}").toString();
    }

    private static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof BigDecimal
                || v instanceof Double d && Double.isFinite(d)) {
            sb.append(v instanceof BigDecimal b ? b.toPlainString() : v.toString());
        } else if (v instanceof byte[] b) {
            json(sb, "\\x" + HexFormat.of().formatHex(b));
        } else {
            json(sb, v.toString());
        }
    }

    static void json(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("closing the reject file {}: {}", file, e.toString());
            }
            out = null;
        }
    }
}
