package dev.caravan.formats.avro;

import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.apache.avro.file.Codec;
import org.apache.avro.file.CodecFactory;

/**
 * Avro's {@code snappy} and {@code zstandard} codecs in pure Java (aircompressor), byte-compatible with Avro's own
 * (snappy block + CRC32 of the uncompressed data; zstd frames). Avro's built-in ones need the native snappy-java
 * and zstd-jni libraries, which this module does not ship; {@link #register()} installs ours under the standard
 * names only when those libraries are absent, so files of either kind read and write everywhere.
 */
public final class PureJavaAvroCodecs {
    private static volatile boolean registered;

    private PureJavaAvroCodecs() {
    }

    /** Registers the pure-Java codecs for the names whose native implementation is missing. Idempotent. */
    public static synchronized void register() {
        if (registered) {
            return;
        }
        if (!present("org.xerial.snappy.Snappy")) {
            CodecFactory.addCodec("snappy", snappy());
        }
        if (!present("com.github.luben.zstd.Zstd")) {
            CodecFactory.addCodec("zstandard", zstandard());
        }
        registered = true;
    }

    /** The pure-Java snappy codec factory. */
    public static CodecFactory snappy() {
        return new CodecFactory() {
            @Override
            protected Codec createInstance() {
                return new SnappyCodec();
            }
        };
    }

    /** The pure-Java zstandard codec factory. */
    public static CodecFactory zstandard() {
        return new CodecFactory() {
            @Override
            protected Codec createInstance() {
                return new ZstdCodec();
            }
        };
    }

    private static boolean present(String cls) {
        try {
            Class.forName(cls, false, PureJavaAvroCodecs.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static byte[] array(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static final class SnappyCodec extends Codec {
        private final SnappyCompressor compressor = new SnappyCompressor();
        private final SnappyDecompressor decompressor = new SnappyDecompressor();

        @Override
        public String getName() {
            return "snappy";
        }

        @Override
        public ByteBuffer compress(ByteBuffer data) {
            byte[] in = array(data);
            byte[] out = new byte[compressor.maxCompressedLength(in.length) + 4];
            int size = compressor.compress(in, 0, in.length, out, 0, out.length - 4);
            CRC32 crc = new CRC32();
            crc.update(in, 0, in.length);
            ByteBuffer result = ByteBuffer.wrap(out, 0, size + 4);
            result.putInt(size, (int) crc.getValue());
            return result;
        }

        @Override
        public ByteBuffer decompress(ByteBuffer data) throws IOException {
            byte[] in = array(data);
            if (in.length < 4) {
                throw new IOException("snappy block too short");
            }
            int length = SnappyDecompressor.getUncompressedLength(in, 0);
            byte[] out = new byte[length];
            int size = decompressor.decompress(in, 0, in.length - 4, out, 0, out.length);
            CRC32 crc = new CRC32();
            crc.update(out, 0, size);
            if (ByteBuffer.wrap(in, in.length - 4, 4).getInt() != (int) crc.getValue()) {
                throw new IOException("snappy block checksum failure");
            }
            return ByteBuffer.wrap(out, 0, size);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SnappyCodec;
        }

        @Override
        public int hashCode() {
            return getName().hashCode();
        }
    }

    private static final class ZstdCodec extends Codec {
        private final ZstdCompressor compressor = new ZstdCompressor();
        private final ZstdDecompressor decompressor = new ZstdDecompressor();

        @Override
        public String getName() {
            return "zstandard";
        }

        @Override
        public ByteBuffer compress(ByteBuffer data) {
            byte[] in = array(data);
            byte[] out = new byte[compressor.maxCompressedLength(in.length)];
            int size = compressor.compress(in, 0, in.length, out, 0, out.length);
            return ByteBuffer.wrap(out, 0, size);
        }

        @Override
        public ByteBuffer decompress(ByteBuffer data) throws IOException {
            byte[] in = array(data);
            long known = ZstdDecompressor.getDecompressedSize(in, 0, in.length);
            if (known >= 0 && known < Integer.MAX_VALUE) {
                byte[] out = new byte[(int) known];
                int size = decompressor.decompress(in, 0, in.length, out, 0, out.length);
                return ByteBuffer.wrap(out, 0, size);
            }
            try (InputStream z = new ZstdInputStream(new ByteArrayInputStream(in))) {
                return ByteBuffer.wrap(z.readAllBytes());
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ZstdCodec;
        }

        @Override
        public int hashCode() {
            return getName().hashCode();
        }
    }
}
