package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.journal.RunSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** The large objects of the resume tests (a kill, a cut-off): written, hashed, and what the completing run sent. */
final class LargeObjects {
    static final long MIB = 1 << 20;

    private LargeObjects() {
    }

    /** Writes {@code size} cheap bytes (a 1 MiB pattern stamped with its block number) and returns their SHA-256. */
    static String write(Path file, long size) throws IOException {
        MessageDigest sha = sha256();
        ByteBuffer block = ByteBuffer.allocate((int) MIB);
        for (int i = 0; i < block.capacity(); i++) {
            block.put(i, (byte) (i * 131 + (i >>> 9)));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long n = 0, written = 0; written < size; n++) {
                block.putLong(0, n);
                block.putLong(block.capacity() / 2, ~n);
                int len = (int) Math.min(block.capacity(), size - written);
                ByteBuffer slice = block.duplicate().position(0).limit(len);
                sha.update(slice.duplicate());
                while (slice.hasRemaining()) {
                    ch.write(slice);
                }
                written += len;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The SHA-256 of a stream read to its end (closed). */
    static String sha256Of(InputStream in) {
        MessageDigest sha = sha256();
        try (DigestInputStream d = new DigestInputStream(in, sha)) {
            d.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * The bytes the newest run of the journal under {@code home} sent for its one object ({@code copy.bytesSent}),
     * once that run is COMPLETE with exactly that object done.
     */
    static long bytesSentByTheCompletingRun(Path home) {
        return Long.parseLong(reportOfTheCompletingRun(home).get("copy.bytesSent"));
    }

    /**
     * The task report of the one object the newest run of the journal under {@code home} did, once that run is
     * COMPLETE with exactly that object done.
     */
    static Map<String, String> reportOfTheCompletingRun(Path home) {
        String url = "jdbc:h2:file:" + home.toAbsolutePath().resolve("journal");
        try (JdbcJournal journal = JdbcJournal.open(url)) {
            RunSummary last = journal.runs(1).get(0);
            assertThat(last.outcome()).isEqualTo(RunOutcome.COMPLETE);
            List<TaskRecord> done;
            try (Stream<TaskRecord> s = journal.completedBy(last.runId())) {
                done = s.toList();
            }
            assertThat(done).hasSize(1);
            return done.get(0).report().values();
        }
    }

    /**
     * Puts the files of {@code folder} into {@code s3Target} on S3Proxy with {@code caravan copy} (a journal under
     * {@code home}): S3Proxy refuses a single PUT of a large object, caravan uploads it in parts.
     */
    static void uploadWithCaravan(Path home, Path folder, String s3Target) {
        List<String> copy = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                "local:" + folder, s3Target));
        copy.addAll(CloudServers.cliOptions("--target-option", CloudServers.s3Options(CloudServers.S3_ENDPOINT)));
        CaravanCommand uploaded = CaravanCommand.run(copy);
        assertThat(uploaded.code()).as(uploaded.toString()).isZero();
    }

    /** The parts an unfinished multipart upload of {@code bucket} holds. */
    static int partsHeld(S3Client s3, String bucket, MultipartUpload upload) {
        return s3.listParts(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())).parts().size();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
