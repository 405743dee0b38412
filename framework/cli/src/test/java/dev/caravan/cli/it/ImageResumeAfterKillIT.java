package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.journal.TaskRecord;
import dev.caravan.core.journal.JdbcJournal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk image copy killed with SIGKILL half-way continues from the bytes its temporary file already holds (the
 * ResumableWrite of the local store, and of the sftp store against the OpenSSH test server of
 * {@code scripts/servers/sshd.sh}): the rerun sends only the rest, the image arrives byte-identical, and no temporary
 * file is left.
 */
class ImageResumeAfterKillIT {
    private static final int MIB = 1 << 20;
    private static final int SIZE_MIB = 160;

    @TempDir
    Path tmp;

    /** The OpenSSH test server (scripts/servers/sshd.sh); its login directory is on this machine's disk. */
    private static final String SFTP_STATE = setting("CARAVAN_SFTP_STATE", "/tmp/caravan-servers/sshd-18022");
    private static final String SFTP_PORT = setting("CARAVAN_SFTP_PORT", "18022");
    private static final String SFTP_USER = setting("CARAVAN_SFTP_USER", "caravan-sftp");
    private static final String SFTP_DATA = setting("CARAVAN_SFTP_DATA", SFTP_STATE + "/home");

    @Test
    void aKilledImageCopyToALocalDirectoryResumesByOffset() throws Exception {
        Path dst = tmp.resolve("dst");
        killAndResume(dst, new String[] {ChildCaravan.uri(dst)});
    }

    @Test
    void aKilledImageCopyToAnSftpServerResumesByOffset() throws Exception {
        String dir = "image-resume-" + UUID.randomUUID();
        String key = setting("CARAVAN_SFTP_KEY", SFTP_STATE + "/client/id_ecdsa");
        String knownHosts = setting("CARAVAN_SFTP_KNOWN_HOSTS", SFTP_STATE + "/client/known_hosts");
        Path onServer = Path.of(SFTP_DATA, dir);
        try {
            killAndResume(onServer, new String[] {"sftp:" + SFTP_USER + "@127.0.0.1:" + SFTP_PORT + "/~/" + dir,
                "--target-option", "privateKey=" + key, "--target-option", "knownHosts=" + knownHosts});
        } finally {
            if (Files.isDirectory(onServer)) { // 160 MiB in the test server's home
                try (Stream<Path> files = Files.walk(onServer)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
    }

    /** @param dst where the target's files are on this machine's disk; @param target the target and its options */
    private void killAndResume(Path dst, String[] target) throws Exception {
        Path src = tmp.resolve("src");
        Path home = tmp.resolve("home");
        Files.createDirectories(src);
        writeImage(src.resolve("disk.img"));
        List<String> argList = new ArrayList<>(List.of("--home", home.toString(), "--no-progress", "copy",
                ChildCaravan.uri(src), target[0], "--bwlimit", "40M"));
        argList.addAll(List.of(target).subList(1, target.length));
        String[] args = argList.toArray(String[]::new);

        // given a run killed once its temporary file holds more than 60 MiB
        Process first = ChildCaravan.start("128m", tmp.resolve("first.log"), args);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> !first.isAlive() || partial(dst).map(ImageResumeAfterKillIT::size).orElse(0L) > 60L * MIB);
        assertThat(first.isAlive()).as("still copying when killed: " + ChildCaravan.tail(tmp.resolve("first.log")))
                .isTrue();
        first.destroyForcibly().waitFor();
        long heldAtKill = size(partial(dst).orElseThrow());
        assertThat(heldAtKill).isLessThan((long) SIZE_MIB * MIB);

        // when it runs again
        int exit = ChildCaravan.run("128m", tmp.resolve("second.log"), args);
        assertThat(exit).as(ChildCaravan.tail(tmp.resolve("second.log"))).isZero();

        // then the image is complete, no temporary file is left, and only the rest was sent
        assertThat(Files.mismatch(src.resolve("disk.img"), dst.resolve("disk.img"))).isEqualTo(-1L);
        assertThat(partial(dst)).isEmpty();
        try (JdbcJournal journal = JdbcJournal.open("jdbc:h2:file:" + home.toAbsolutePath().resolve("journal"));
                Stream<TaskRecord> done = journal.completedBy(journal.runs(1).get(0).runId())) {
            TaskRecord task = done.filter(t -> t.spec().item().equals("disk.img")).findFirst().orElseThrow();
            long sent = Long.parseLong(task.report().values().get("copy.bytesSent"));
            assertThat(sent).as("bytes sent after the restart (the file held %d at the kill)", heldAtKill)
                    .isLessThanOrEqualTo((long) SIZE_MIB * MIB - heldAtKill + 4L * MIB + 64 * 1024) // margin, in 64 KiB blocks
                    .isLessThan((long) SIZE_MIB * MIB - 50L * MIB);
        }
    }

    private static String setting(String env, String fallback) {
        String v = System.getenv(env);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Random data with a 32 MiB run of zeros (a hole on the target) in the middle. */
    private static void writeImage(Path file) throws IOException {
        Random random = new Random(20261126);
        byte[] block = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int mb = 0; mb < SIZE_MIB; mb++) {
                if (mb >= 64 && mb < 96) {
                    out.write(new byte[MIB]);
                } else {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
        }
    }

    private static Optional<Path> partial(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".partial")).findFirst();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
