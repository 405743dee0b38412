package dev.caravan.cli.daemon;

import dev.caravan.cli.TerminalSafe;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ./caravan} launcher's way into a {@link DaemonServer}: a small JVM (the command line's jar alone on its
 * class path, about 0.05 s to start) that finds the daemon for this directory, environment and JVM command, starts it
 * if there is none, has it run the command, copies its output and exits with its exit code. When no daemon can run
 * the command (busy with another one, a new build, no {@code setsid}, a start that failed) it exits with
 * {@link DaemonProtocol#FALLBACK_EXIT} and the launcher runs the command in a fresh JVM, as without a daemon.
 *
 * <p>Arguments: {@code N DAEMON_COMMAND[N] CARAVAN_ARGS...}, where the daemon command is the {@code java} command
 * line (JVM, flags, class path, {@code dev.caravan.cli.daemon.DaemonServer}) the launcher would run the command with.
 * Environment: {@code CARAVAN_DAEMON_IDLE} (seconds a daemon stays without a command, default 900),
 * {@code CARAVAN_DAEMON_DIR} (where sockets and logs are; default {@code $XDG_RUNTIME_DIR} or {@code /tmp}, in a
 * directory {@code caravan-daemon-UID} only the user may enter).
 */
public final class DaemonClient {
    /** Variables that differ between otherwise equal shells and that no command reads. */
    private static final Set<String> VOLATILE_VARIABLES = Set.of("_", "SHLVL", "OLDPWD", "PWD");
    private static final long START_TIMEOUT_MS = 60_000;

    private DaemonClient() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (IOException | RuntimeException e) {
            if (System.getenv("CARAVAN_DAEMON_DEBUG") != null) {
                e.printStackTrace();
            }
            code = DaemonProtocol.FALLBACK_EXIT;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    private static int run(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        List<String> daemonCommand = List.of(args).subList(1, 1 + n);
        List<String> caravanArgs = List.of(args).subList(1 + n, args.length);
        Path jar = ownJar();
        Path dir = socketDirectory(System.getenv());
        if (jar == null || dir == null) {
            return DaemonProtocol.FALLBACK_EXIT;
        }
        String identity = identity(daemonCommand, jar, Path.of("").toAbsolutePath(), System.getenv());
        SocketChannel channel = connectOrStart(daemonCommand, dir, identity, jar);
        if (channel == null) {
            return DaemonProtocol.FALLBACK_EXIT;
        }
        try (channel) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            new DaemonProtocol.Request(System.console() != null, caravanArgs).writeTo(out);
            return relay(in, dir.resolve(identity.concat(".log")));
        }
    }

    /** Copies output frames to this process's streams until the exit frame; the exit code. */
    private static int relay(DataInputStream in, Path log) throws IOException {
        boolean started = false; // the daemon sends an empty output frame when it starts the command
        while (true) {
            DaemonProtocol.Frame frame;
            try {
                frame = DaemonProtocol.readFrame(in);
            } catch (IOException e) {
                if (!started) {
                    return DaemonProtocol.FALLBACK_EXIT; // ended before it began (killed meanwhile): run it here
                }
                // never run a started command a second time: it may have written part of its work
                System.err.println("caravan: the daemon running this command ended before it finished (" + e
                        + "; its log: " + log + "); run the command again to resume it");
                return 1;
            }
            switch (frame.type()) {
                case DaemonProtocol.STDOUT -> {
                    System.out.write(TerminalSafe.escape(frame.body()));
                    System.out.flush();
                    started = true;
                }
                case DaemonProtocol.STDERR -> {
                    System.err.write(TerminalSafe.escape(frame.body()));
                    System.err.flush();
                    started = true;
                }
                case DaemonProtocol.EXIT -> {
                    return frame.exitCode();
                }
                case DaemonProtocol.BUSY -> {
                    return DaemonProtocol.FALLBACK_EXIT;
                }
                default -> throw new IOException("unknown frame '" + (char) frame.type() + "'");
            }
        }
    }

    /** A connection to the daemon of this identity, started first if none listens; {@code null} if it did not start. */
    private static SocketChannel connectOrStart(List<String> daemonCommand, Path dir, String identity, Path jar)
            throws IOException {
        Path socket = dir.resolve(identity.concat(".sock"));
        SocketChannel channel = connect(socket);
        if (channel != null) {
            return channel;
        }
        // one client at a time starts this daemon; the others wait here, then find it
        try (FileChannel lock = FileChannel.open(dir.resolve(identity.concat(".lock")), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            channel = connect(socket);
            return channel != null ? channel : start(daemonCommand, socket, dir.resolve(identity.concat(".log")), jar);
        }
    }

    /** A connection to a live daemon at {@code socket}, or {@code null} when none listens there. */
    private static SocketChannel connect(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Starts a daemon in its own session (so that Ctrl-C in this terminal does not reach it) and connects to it once
     * it listens; {@code null} if it does not come up.
     */
    private static SocketChannel start(List<String> daemonCommand, Path socket, Path log, Path jar)
            throws IOException {
        Path setsid = null;
        for (String candidate : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (setsid == null && Files.isExecutable(Path.of(candidate))) {
                setsid = Path.of(candidate);
            }
        }
        if (setsid == null) {
            return null;
        }
        Files.deleteIfExists(socket); // no daemon answers there (killed): its socket file is left over
        List<String> command = new ArrayList<>();
        command.add(setsid.toString());
        command.addAll(daemonCommand);
        command.add(socket.toString());
        command.add(idleSeconds());
        command.add(jar.toString());
        boolean keepLog = Files.exists(log) && Files.size(log) < (1 << 20); // the daemons' history, bounded
        Process process = new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(keepLog ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(
                        log.toFile())).start();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            SocketChannel channel = connect(socket);
            if (channel != null) {
                return channel;
            }
            if (!process.isAlive()) {
                return connect(socket); // it lost a race to a daemon another client started: that one may listen
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        process.destroy();
        return null;
    }

    private static String idleSeconds() {
        String value = System.getenv("CARAVAN_DAEMON_IDLE");
        return value != null && value.matches("[1-9][0-9]{0,6}") ? value : "900";
    }

    /**
     * The daemon's name: a digest of everything a command's behaviour may depend on besides its arguments: the JVM
     * command, the jar's size and time (in seconds; a daemon also compares its jar's full time before each command),
     * the working directory and the environment (but for {@link #VOLATILE_VARIABLES}). {@code scripts/daemon-client.pl}
     * computes the same name; keep the two alike ({@code DaemonClientScriptTest}).
     */
    static String identity(List<String> daemonCommand, Path jar, Path workingDirectory, Map<String, String> environment)
            throws IOException {
        Map<String, String> env = new TreeMap<>(environment);
        env.keySet().removeAll(VOLATILE_VARIABLES);
        StringBuilder key = new StringBuilder();
        for (String word : daemonCommand) {
            key.append(word).append('\0');
        }
        key.append(jar).append('\0').append(Files.size(jar)).append('\0')
                .append(Files.getLastModifiedTime(jar).to(TimeUnit.SECONDS)).append('\0');
        key.append(workingDirectory).append('\0');
        for (Map.Entry<String, String> e : env.entrySet()) {
            key.append(e.getKey()).append('=').append(e.getValue()).append('\0');
        }
        byte[] bytes = key.toString().getBytes(StandardCharsets.UTF_8);
        // (String.concat, not +: the client avoids invokedynamic, whose first use costs milliseconds of start-up)
        return HexFormat.of().toHexDigits(hash(bytes, 0x9E3779B97F4A7C15L))
                .concat(HexFormat.of().toHexDigits(hash(bytes, 0xC2B2AE3D27D4EB4FL)).substring(0, 8));
    }

    /**
     * A 64-bit hash of {@code bytes} (FNV-1a with the given offset basis, then a murmur3 finalizer). Not SHA-256: the
     * JDK's digests load the security providers, about a fifth of this client's start; a name needs no cryptographic
     * strength, since only its user can place a daemon in the socket directory.
     */
    static long hash(byte[] bytes, long seed) {
        long h = seed;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /**
     * The directory of sockets and logs, created with mode 700; {@code null} (no daemon) if it exists but belongs to
     * another user or others may enter it, since whoever can reach a socket can run commands as its owner.
     */
    static Path socketDirectory(Map<String, String> env) throws IOException {
        String configured = env.get("CARAVAN_DAEMON_DIR");
        Path dir;
        if (configured != null && !configured.isEmpty()) {
            dir = Path.of(configured);
        } else {
            String runtime = env.get("XDG_RUNTIME_DIR");
            Path base = runtime != null && !runtime.isEmpty() && Files.isDirectory(Path.of(runtime))
                    ? Path.of(runtime) : Path.of("/tmp");
            dir = base.resolve("caravan-daemon-".concat(String.valueOf(
                    Files.getAttribute(Path.of("/proc/self"), "unix:uid"))));
        }
        if (dir.toString().length() > 70) { // socket addresses hold at most 107 bytes
            return null;
        }
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rwx------");
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(ownerOnly));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by another client meanwhile: checked below
            }
        }
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        boolean safe = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && owner.equals(me)
                && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(ownerOnly);
        return safe ? dir : null;
    }

    private static Path ownJar() {
        try {
            Path p = Path.of(DaemonClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
