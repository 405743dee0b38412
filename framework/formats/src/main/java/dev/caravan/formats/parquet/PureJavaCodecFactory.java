package dev.caravan.formats.parquet;

import dev.caravan.api.error.MigrationException;
import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet page compression in pure Java, without Hadoop codec classes or native libraries: SNAPPY, ZSTD and
 * LZ4_RAW with aircompressor, GZIP with {@code java.util.zip}, and UNCOMPRESSED. LZO, BROTLI and the
 * Hadoop-framed LZ4 are refused with {@code UNSUPPORTED}. Every compressor and decompressor is a new instance
 * (they are not thread-safe); the factory itself is.
 */
public final class PureJavaCodecFactory implements CompressionCodecFactory {
    public static final PureJavaCodecFactory INSTANCE = new PureJavaCodecFactory();

    private PureJavaCodecFactory() {
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Block(codec, null, null);
            case SNAPPY -> new Block(codec, new SnappyCompressor(), null);
            case ZSTD -> new Block(codec, new ZstdCompressor(), null);
            case LZ4_RAW -> new Block(codec, new Lz4Compressor(), null);
            case GZIP -> new Gzip();
            default -> throw unsupported(codec);
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Block(codec, null, null);
            case SNAPPY -> new Block(codec, null, new SnappyDecompressor());
            case ZSTD -> new Block(codec, null, new ZstdDecompressor());
            case LZ4_RAW -> new Block(codec, null, new Lz4Decompressor());
            case GZIP -> new Gzip();
            default -> throw unsupported(codec);
        };
    }

    @Override
    public void release() {
    }

    private static MigrationException unsupported(CompressionCodecName codec) {
        return MigrationException.unsupported("Parquet compression " + codec
                + " is not available (pure-Java codecs: UNCOMPRESSED, SNAPPY, ZSTD, GZIP, LZ4_RAW)");
    }

    /** Raw block codecs: one call per page. */
    private static final class Block implements BytesInputCompressor, BytesInputDecompressor {
        private final CompressionCodecName name;
        private final Compressor compressor;
        private final Decompressor decompressor;

        Block(CompressionCodecName name, Compressor compressor, Decompressor decompressor) {
            this.name = name;
            this.compressor = compressor;
            this.decompressor = decompressor;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            if (compressor == null) {
                return bytes;
            }
            byte[] in = bytes.toByteArray();
            byte[] out = new byte[compressor.maxCompressedLength(in.length)];
            int n = compressor.compress(in, 0, in.length, out, 0, out.length);
            return BytesInput.from(out, 0, n);
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
            if (name == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            byte[] in = bytes.toByteArray();
            byte[] out = new byte[decompressedSize];
            int n = decompressor.decompress(in, 0, in.length, out, 0, out.length);
            if (n != decompressedSize) {
                throw new IOException(name + " page decompressed to " + n + " bytes, expected " + decompressedSize);
            }
            return BytesInput.from(out);
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(decompress(BytesInput.from(in), decompressedSize).toByteBuffer());
        }

        @Override
        public CompressionCodecName getCodecName() {
            return name;
        }

        @Override
        public void release() {
        }
    }

    private static final class Gzip implements BytesInputCompressor, BytesInputDecompressor {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(buf, 64 * 1024)) {
                bytes.writeAllTo(gz);
            }
            return BytesInput.from(buf.toByteArray());
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
            try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return BytesInput.from(gz.readNBytes(decompressedSize));
            }
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(decompress(BytesInput.from(in), decompressedSize).toByteBuffer());
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.GZIP;
        }

        @Override
        public void release() {
        }
    }
}
