package dev.caravan.core.plan;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.KeyGlob;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.core.IoProblems;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads filter files, as rclone's {@code --include-from}, {@code --exclude-from} and {@code --files-from}: UTF-8 text,
 * one entry a line (LF or CRLF), blank lines and lines starting with {@code #} ignored; {@code -} reads standard
 * input. Everything is checked as it is read, so bad input fails with {@code USER_CONFIG} naming the file and line
 * before anything runs: a file that cannot be read, a glob that does not compile, a key that is not a safe relative
 * key (a {@code ..} segment, an empty segment, a NUL). A key may start with {@code /} or {@code ./}, which is dropped;
 * the rest of a line is the key as written, spaces included.
 */
public final class FilterFiles {
    /** The file name that reads standard input. */
    public static final String STDIN = "-";

    private FilterFiles() {
    }

    /**
     * The globs of {@code file} in file order ({@link KeyGlob} syntax, as {@code --include}), each compiled once.
     *
     * @param option the option that named the file ({@code --include-from}), for messages
     * @param stdin  what {@code -} reads
     */
    public static List<String> globs(String option, String file, InputStream stdin) {
        List<String> globs = new ArrayList<>();
        forEachEntry(option, file, stdin, (line, glob) -> {
            try {
                KeyGlob.compile(glob);
            } catch (MigrationException e) {
                throw MigrationException.userConfig(where(option, file, line) + e.getMessage());
            }
            globs.add(glob);
        });
        return globs;
    }

    /**
     * The keys of {@code file}, one relative key a line (see the class comment).
     *
     * @param option the option that named the file ({@code --files-from}), for messages
     * @param stdin  what {@code -} reads
     */
    public static ListedKeys keys(String option, String file, InputStream stdin) {
        List<String> keys = new ArrayList<>();
        forEachEntry(option, file, stdin, (line, text) -> keys.add(relativeKey(option, file, line, text)));
        return ListedKeys.of(keys, file);
    }

    private static String relativeKey(String option, String file, int line, String text) {
        String key = text;
        while (key.startsWith("./") || key.startsWith("/")) {
            key = key.substring(key.startsWith("/") ? 1 : 2);
        }
        String problem = ObjectKeys.problem(key);
        if (problem != null) {
            throw MigrationException.userConfig(where(option, file, line) + "key '" + text + "': " + problem
                    + "; list keys relative to the source root, one a line");
        }
        return key;
    }

    private interface Entry {
        void accept(int line, String text);
    }

    private static void forEachEntry(String option, String file, InputStream stdin, Entry entry) {
        try (BufferedReader in = reader(file, stdin)) {
            int number = 0;
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // a byte-order mark some editors write
                }
                if (!line.isBlank() && !line.startsWith("#")) {
                    entry.accept(number, line);
                }
            }
        } catch (CharacterCodingException e) {
            throw MigrationException.userConfig(option + " " + shown(file) + " is not UTF-8 text");
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot read " + option + " " + shown(file) + ": " + IoProblems.reason(e));
        }
    }

    private static BufferedReader reader(String file, InputStream stdin) throws IOException {
        InputStream in = STDIN.equals(file) ? nonClosing(stdin) : Files.newInputStream(Path.of(file));
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()));
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // standard input stays open for whoever reads it next
            }
        };
    }

    private static String shown(String file) {
        return STDIN.equals(file) ? "(standard input)" : "'" + file + "'";
    }

    private static String where(String option, String file, int line) {
        return option + " " + shown(file) + " line " + line + ": ";
    }
}
