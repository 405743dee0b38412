package dev.caravan.connector.jdbc.sqlite;

import java.io.IOException;
import java.util.Arrays;

/**
 * Walks the b-tree of a rowid table in a {@link SqliteFile} in rowid order, row by row: {@link #seekAfter} descends to
 * the first row after a rowid, {@link #next} moves to the next row and gives its rowid and its record (the payload,
 * overflow pages included). Leaf pages are read ahead a block at a time (a table written in key order has its leaves
 * mostly side by side). Anything the format does not allow fails with {@link CorruptException}. Not thread-safe.
 */
public final class TableCursor {
    private static final int INTERIOR_TABLE = 0x05;
    private static final int LEAF_TABLE = 0x0d;
    private static final int MAX_DEPTH = 40;
    private static final int READ_AHEAD_BYTES = 64 * 1024;

    /** The b-tree or a record is not what the file format allows (or the file changed while read). */
    public static final class CorruptException extends IOException {
        CorruptException(String message) {
            super(message);
        }
    }

    private final SqliteFile file;
    private final int pageSize;
    private final int usable;
    private final int root;
    /** Interior pages from the root down, each with the index of the child being walked (count = right pointer). */
    private final byte[][] interior = new byte[MAX_DEPTH][];
    private final int[] childIndex = new int[MAX_DEPTH];
    private final int[] cellCount = new int[MAX_DEPTH];
    private final int[] headerAt = new int[MAX_DEPTH];
    private int depth;
    /** Leaf pages come from this block, read ahead: pages {@code blockFirst} onwards, {@code blockPages} of them. */
    private final byte[] block;
    private long blockFirst = -1;
    private int blockPages;
    private int leafBase;
    private int leafHeader;
    private int leafCells;
    private int leafIndex;
    private boolean started;
    private boolean exhausted;
    private final byte[] overflowPage;
    private long rowid;
    private byte[] payload = new byte[256];
    private int payloadLength;
    private final Varint varint = new Varint();

    public TableCursor(SqliteFile file, SqliteFile.Header header, int rootPage) {
        this.file = file;
        this.pageSize = header.pageSize();
        this.usable = header.usableSize();
        this.root = rootPage;
        this.block = new byte[Math.max(pageSize, READ_AHEAD_BYTES)];
        this.overflowPage = new byte[pageSize];
    }

    /** Positions the cursor before the first row whose rowid is greater than {@code after} (all rows if null). */
    public void seekAfter(Long after) throws IOException {
        depth = 0;
        exhausted = false;
        started = true;
        descend(root, after);
    }

    /** Moves to the next row; false when there is none. */
    public boolean next() throws IOException {
        if (!started) {
            seekAfter(null);
        }
        while (!exhausted) {
            if (leafIndex < leafCells) {
                readLeafCell(leafIndex++);
                return true;
            }
            if (!nextLeaf()) {
                exhausted = true;
            }
        }
        return false;
    }

    /** The current row's rowid. */
    public long rowid() {
        return rowid;
    }

    /** The current row's record; valid up to {@link #payloadLength()} and until the next move. */
    public byte[] payload() {
        return payload;
    }

    public int payloadLength() {
        return payloadLength;
    }

    private boolean nextLeaf() throws IOException {
        while (depth > 0) {
            int level = depth - 1;
            if (childIndex[level] < cellCount[level]) {
                childIndex[level]++;
                descend(child(level), null);
                return true;
            }
            depth--;
        }
        return false;
    }

    private int child(int level) throws CorruptException {
        byte[] p = interior[level];
        int h = headerAt[level];
        int i = childIndex[level];
        if (i == cellCount[level]) {
            return u32(p, h + 8);
        }
        return u32(p, cellOffset(p, h, 12, i, 0));
    }

    private void descend(int pageNumber, Long after) throws IOException {
        int pgno = pageNumber;
        while (true) {
            if (pgno < 1) {
                throw new CorruptException("page number " + pgno + " in the b-tree of root page " + root);
            }
            int hdr = pgno == 1 ? SqliteFile.HEADER_SIZE : 0;
            int base = leafCandidate(pgno);
            int type = block[base + hdr] & 0xff;
            if (type == LEAF_TABLE) {
                leafBase = base;
                leafHeader = base + hdr;
                leafCells = u16(block, leafHeader + 3);
                leafIndex = after == null ? 0 : firstLeafCellAfter(after);
                return;
            }
            if (type != INTERIOR_TABLE) {
                throw new CorruptException("page " + pgno + " of the table with root page " + root + " has type "
                        + type + ", not a table b-tree page");
            }
            if (depth == MAX_DEPTH) {
                throw new CorruptException("b-tree of root page " + root + " deeper than " + MAX_DEPTH);
            }
            byte[] page = interior[depth];
            if (page == null) {
                page = interior[depth] = new byte[pageSize];
            }
            System.arraycopy(block, base, page, 0, pageSize);
            int level = depth++;
            headerAt[level] = hdr;
            cellCount[level] = u16(page, hdr + 3);
            childIndex[level] = after == null ? 0 : firstInteriorCellAfter(level, after);
            pgno = child(level);
        }
    }

    /** Index of the first interior cell whose key is greater than {@code after} (the cell count: right pointer). */
    private int firstInteriorCellAfter(int level, long after) throws CorruptException {
        byte[] p = interior[level];
        int lo = 0;
        int hi = cellCount[level];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long key = varint.read(p, cellOffset(p, headerAt[level], 12, mid, 0) + 4);
            if (key > after) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private int firstLeafCellAfter(long after) throws CorruptException {
        int lo = 0;
        int hi = leafCells;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int at = cellOffset(block, leafHeader, 8, mid, leafBase);
            varint.read(block, at); // payload size
            if (varint.read(block, varint.end) > after) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Reads page {@code pgno} into {@link #block} (from the read-ahead if there); returns its offset there. */
    private int leafCandidate(int pgno) throws IOException {
        long index = pgno - 1L;
        if (blockFirst < 0 || index < blockFirst || index >= blockFirst + blockPages) {
            int n = file.read(index * pageSize, block, 0, block.length);
            blockFirst = index;
            blockPages = n / pageSize;
            if (blockPages == 0) {
                throw new CorruptException("page " + pgno + " lies past the end of " + file);
            }
        }
        return (int) (index - blockFirst) * pageSize;
    }

    private void readLeafCell(int i) throws IOException {
        int at = cellOffset(block, leafHeader, 8, i, leafBase);
        long size = varint.read(block, at);
        rowid = varint.read(block, varint.end);
        int start = varint.end;
        if (size < 0 || size > Integer.MAX_VALUE - 16) {
            throw new CorruptException("record of " + size + " bytes at rowid " + rowid);
        }
        int total = (int) size;
        if (payload.length < total) {
            payload = Arrays.copyOf(payload, Math.max(total, payload.length * 2));
        }
        payloadLength = total;
        int local = localSize(total);
        if (start - leafBase + local + (local < total ? 4 : 0) > pageSize) {
            throw new CorruptException("record of rowid " + rowid + " runs past its page");
        }
        System.arraycopy(block, start, payload, 0, local);
        if (local < total) {
            readOverflow(u32(block, start + local), local, total);
        }
    }

    /** How much of a payload of {@code total} bytes is stored on the leaf page itself (the format's rule). */
    private int localSize(int total) {
        int maxLocal = usable - 35;
        if (total <= maxLocal) {
            return total;
        }
        int minLocal = (usable - 12) * 32 / 255 - 23;
        int k = minLocal + (total - minLocal) % (usable - 4);
        return k <= maxLocal ? k : minLocal;
    }

    private void readOverflow(int firstPage, int local, int total) throws IOException {
        int filled = local;
        int pgno = firstPage;
        int pages = 0;
        while (filled < total) {
            if (pgno < 1 || ++pages > Integer.MAX_VALUE / 2) {
                throw new CorruptException("overflow chain of rowid " + rowid + " breaks off");
            }
            file.readFully((pgno - 1L) * pageSize, overflowPage, 0, pageSize);
            int n = Math.min(usable - 4, total - filled);
            System.arraycopy(overflowPage, 4, payload, filled, n);
            filled += n;
            pgno = u32(overflowPage, 0);
        }
    }

    /** The offset of cell {@code i} of a page whose header starts at {@code hdr} and is {@code hdrSize} long. */
    private int cellOffset(byte[] p, int hdr, int hdrSize, int i, int pageBase) throws CorruptException {
        int pointer = u16(p, hdr + hdrSize + 2 * i);
        if (pointer < hdrSize || pointer >= pageSize - 1) {
            throw new CorruptException("cell pointer " + pointer + " out of its page (b-tree of root page " + root
                    + ")");
        }
        return pageBase + pointer;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int u32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
