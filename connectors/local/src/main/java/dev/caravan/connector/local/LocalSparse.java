package dev.caravan.connector.local;

import dev.caravan.api.store.ByteRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sparse files without native calls: Java has no {@code SEEK_DATA}/{@code SEEK_HOLE}, so holes are found by
 * their content. Writing: every 64 KiB block at a 64 KiB offset that is all zeros is skipped with a positional
 * write beyond it, which leaves a hole on every file system that has holes (ext4, xfs, btrfs, tmpfs, ...); a
 * file that ends in a hole gets its last byte written so its size is right. Reading: {@link #dataRanges} asks the
 * file system ({@link LocalHoles}, {@code SEEK_DATA}) and else scans the file for blocks that are not all zeros.
 * Stateless.
 */
final class LocalSparse {
    /** Granularity of hole detection and creation. */
    static final int BLOCK = 64 * 1024;
    private static final int CHUNK = 16 * BLOCK;
    private static final byte[] ZEROS = new byte[BLOCK];
    /** Buffers kept for the next copies (one per concurrent copy, up to eight): small files allocate none. */
    private static final java.util.concurrent.ArrayBlockingQueue<byte[]> SPARE =
            new java.util.concurrent.ArrayBlockingQueue<>(8);

    private LocalSparse() {
    }

    /** Whether {@code length} bytes of {@code data} from {@code offset} are all zero. */
    static boolean isZero(byte[] data, int offset, int length) {
        return Arrays.mismatch(data, offset, offset + length, ZEROS, 0, length) < 0;
    }

    /**
     * Copies a stream into a freshly truncated file, leaving holes for all-zero blocks.
     *
     * @param size the expected size, or -1: only sizes the buffer
     * @return the number of bytes copied (the file's size)
     */
    static long copy(String key, InputStream data, FileChannel channel, long size) throws IOException {
        return copy(key, data, channel, size, 0);
    }

    /** As {@link #copy(String, InputStream, FileChannel, long)}, writing from byte {@code from} of the file. */
    static long copy(String key, InputStream data, FileChannel channel, long size, long from) throws IOException {
        // a small file is read with one request of its size plus one byte, so the first read already sees the end (a
        // file under one block cannot hold a hole block); a larger one in block-rounded requests
        int chunk = size < 0 || size >= CHUNK ? CHUNK
                : size < BLOCK ? (int) size + 1 : (int) Math.min(CHUNK, (size / BLOCK + 1) * BLOCK);
        byte[] spare = SPARE.poll();
        byte[] buffer = spare != null ? spare : new byte[CHUNK];
        try {
            return copy(key, data, channel, from, buffer, chunk);
        } finally {
            SPARE.offer(buffer); // dropped when eight are kept already
        }
    }

    private static long copy(String key, InputStream data, FileChannel channel, long from, byte[] buffer, int chunk)
            throws IOException {
        long position = from;
        boolean endsInHole = false;
        boolean holes = false;
        while (true) {
            int n;
            try {
                n = data.readNBytes(buffer, 0, chunk);
            } catch (IOException e) {
                throw LocalErrors.readingSource(key, e);
            }
            int start = 0;
            while (start < n) {
                int length = Math.min(BLOCK, n - start);
                if (length == BLOCK && isZero(buffer, start, BLOCK)) {
                    start += BLOCK;
                    endsInHole = true;
                    holes = true;
                    continue;
                }
                int end = start + length; // extend over the following data blocks: one write for a data run
                while (end < n && !(n - end >= BLOCK && isZero(buffer, end, BLOCK))) {
                    end += Math.min(BLOCK, n - end);
                }
                write(channel, ByteBuffer.wrap(buffer, start, end - start), position + start);
                start = end;
                endsInHole = false;
            }
            position += n;
            if (n < chunk) {
                break;
            }
        }
        if (endsInHole) {
            write(channel, ByteBuffer.wrap(new byte[1]), position - 1);
        }
        if (holes) {
            // ext4 reads the holes of a file with delayed-allocation data still dirty several times slower
            // (measured: 2 GiB image, 10 MiB data: 10.6 s first read vs 3.5 s after writeback); writing the data
            // back now costs little (only the data blocks) and makes the verification read fast
            channel.force(false);
        }
        return position;
    }

    private static void write(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    /**
     * The ranges of a file that hold data: from the file system ({@link LocalHoles}) where it can tell, else by
     * scanning the content in 64 KiB blocks (adjacent data blocks merged).
     */
    static List<ByteRange> dataRanges(java.nio.file.Path file, FileChannel channel) throws IOException {
        List<ByteRange> fromFileSystem = LocalHoles.dataRanges(file, channel.size());
        return fromFileSystem != null ? fromFileSystem : scan(channel);
    }

    /** The ranges of a file that hold data, found by reading it: 64 KiB blocks, adjacent data blocks merged. */
    static List<ByteRange> scan(FileChannel channel) throws IOException {
        List<ByteRange> ranges = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long position = 0;
        long runStart = -1;
        while (true) {
            buffer.clear();
            int n = 0;
            while (buffer.hasRemaining()) {
                int r = channel.read(buffer, position + n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            byte[] bytes = buffer.array();
            for (int start = 0; start < n; start += BLOCK) {
                int length = Math.min(BLOCK, n - start);
                boolean data = !isZero(bytes, start, length);
                if (data && runStart < 0) {
                    runStart = position + start;
                } else if (!data && runStart >= 0) {
                    ranges.add(new ByteRange(runStart, position + start - runStart));
                    runStart = -1;
                }
            }
            position += n;
            if (n < CHUNK) {
                break;
            }
        }
        if (runStart >= 0) {
            ranges.add(new ByteRange(runStart, position - runStart));
        }
        return ranges;
    }
}
