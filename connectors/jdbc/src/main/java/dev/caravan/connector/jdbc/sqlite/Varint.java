package dev.caravan.connector.jdbc.sqlite;

/** Reads SQLite's variable-length integers (1 to 9 bytes, big-endian, 7 bits a byte, all 8 in the ninth). */
final class Varint {
    /** Where the last varint read ended. */
    int end;

    /** The varint at {@code at}; sets {@link #end}. */
    long read(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int x = b[at + i] & 0xff;
            v = (v << 7) | (x & 0x7f);
            if (x < 0x80) {
                end = at + i + 1;
                return v;
            }
        }
        end = at + 9;
        return (v << 8) | (b[at + 8] & 0xff);
    }
}
