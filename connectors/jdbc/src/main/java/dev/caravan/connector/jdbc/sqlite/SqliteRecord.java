package dev.caravan.connector.jdbc.sqlite;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The fields of one SQLite record (a row's payload): each field's serial type (NULL, an integer of 0-8 bytes, a
 * float64, text or a blob) and where its value lies. Parsed once per row, read field by field. Not thread-safe.
 */
public final class SqliteRecord {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Varint varint = new Varint();
    private byte[] data;
    private int count;
    private long[] types = new long[16];
    private int[] offsets = new int[16];

    /** Parses the record in the first {@code length} bytes of {@code record} (kept, not copied). */
    public void parse(byte[] record, int length) throws TableCursor.CorruptException {
        this.data = record;
        int headerEnd = (int) varint.read(record, 0);
        int at = varint.end;
        if (headerEnd < at || headerEnd > length) {
            throw new TableCursor.CorruptException("record header of " + headerEnd + " bytes in a record of "
                    + length);
        }
        int body = headerEnd;
        int n = 0;
        while (at < headerEnd) {
            long type = varint.read(record, at);
            at = varint.end;
            if (n == types.length) {
                types = Arrays.copyOf(types, n * 2);
                offsets = Arrays.copyOf(offsets, n * 2);
            }
            types[n] = type;
            offsets[n] = body;
            long size = size(type);
            if (size < 0 || body + size > length) {
                throw new TableCursor.CorruptException("field " + n + " of serial type " + type + " runs past its "
                        + "record of " + length + " bytes");
            }
            body += (int) size;
            n++;
        }
        count = n;
    }

    /** How many fields the record has (fewer than the table's columns after an ALTER TABLE ADD COLUMN). */
    public int count() {
        return count;
    }

    public boolean isNull(int i) {
        return types[i] == 0;
    }

    /** Whether field {@code i} is an integer (serial types 1-6, and 8 and 9, the constants 0 and 1). */
    public boolean isInteger(int i) {
        long t = types[i];
        return t >= 1 && t <= 6 || t == 8 || t == 9;
    }

    public boolean isReal(int i) {
        return types[i] == 7;
    }

    public boolean isText(int i) {
        long t = types[i];
        return t >= 13 && (t & 1) == 1;
    }

    public boolean isBlob(int i) {
        long t = types[i];
        return t >= 12 && (t & 1) == 0;
    }

    /** The integer of field {@code i} (which {@link #isInteger}). */
    public long integer(int i) {
        int t = (int) types[i];
        int at = offsets[i];
        return switch (t) {
            case 8 -> 0;
            case 9 -> 1;
            case 6 -> (long) LONG_BE.get(data, at);
            default -> {
                int bytes = t == 5 ? 6 : t;
                long v = data[at]; // sign-extended
                for (int k = 1; k < bytes; k++) {
                    v = (v << 8) | (data[at + k] & 0xff);
                }
                yield v;
            }
        };
    }

    /** The float64 of field {@code i} (which {@link #isReal}). */
    public double real(int i) {
        return Double.longBitsToDouble((long) LONG_BE.get(data, offsets[i]));
    }

    /** Where the bytes of a text or blob field start in the record. */
    public int offset(int i) {
        return offsets[i];
    }

    /** How many bytes a text or blob field has. */
    public int length(int i) {
        return (int) size(types[i]);
    }

    /** The record's bytes (as given to {@link #parse}). */
    public byte[] data() {
        return data;
    }

    /** The size of a value of serial type {@code t} ({@code -1}: a type the format reserves). */
    private static long size(long t) {
        if (t >= 12) {
            return (t - 12) >> 1;
        }
        return switch ((int) t) {
            case 0, 8, 9 -> 0;
            case 1, 2, 3, 4 -> t;
            case 5 -> 6;
            case 6, 7 -> 8;
            default -> -1;
        };
    }

}
