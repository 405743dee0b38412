package dev.caravan.api.record;

/** Logical column types shared by databases and record formats; dialects and codecs map to and from them. */
public enum ColumnType {
    BOOLEAN, INT, LONG, DECIMAL, FLOAT, DOUBLE, STRING, BYTES, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, JSON, UUID
}
