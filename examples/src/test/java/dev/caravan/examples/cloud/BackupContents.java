package dev.caravan.examples.cloud;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The files of the {@code --backup-dir} tests, unique to each call: the report the source has ({@code newReport}),
 * the one the target has and a sync replaces ({@code oldReport}), and a file only the target has ({@code gone}).
 */
record BackupContents(byte[] newReport, byte[] oldReport, byte[] gone) {
    static BackupContents fresh() {
        return new BackupContents(utf8("new report, longer than the old one " + UUID.randomUUID()),
                utf8("old report " + UUID.randomUUID()), utf8("only on the target " + UUID.randomUUID()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
