package dev.caravan.cli.daemon;

import dev.caravan.cli.Main;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resident JVM that runs {@code caravan} commands for {@link DaemonClient}s, so that a command after the first pays
 * neither the JVM's start nor its JIT compilation again. It serves one command at a time (a second client meanwhile is
 * answered {@link DaemonProtocol#BUSY} and runs its command in a fresh JVM), listens on a Unix domain socket in a
 * directory only its user can enter, and exits when it has been idle for the given time, when the command line's jar
 * changes (a new build), or when the client of a running command goes away (Ctrl-C): then it exits at once, as a fresh
 * JVM interrupted by the signal would, so that the journal is left exactly as after an interrupted command.
 *
 * <p>It is started by the client, in the client's working directory and with its environment; the client finds it
 * again only with the same directory, environment, Java and JVM flags (the socket's name is a digest of them), so a
 * command never runs with settings (credentials, {@code CARAVAN_HOME}, proxies) other than its own.
 *
 * <p>Arguments: {@code SOCKET IDLE_SECONDS JAR}.
 */
public final class DaemonServer {
    private final Path socket;
    private final Duration idle;
    private final Path jar;
    /** The times of the jar and of Caravan's own jars in {@code lib/} beside it, as at start-up. */
    private final Map<Path, FileTime> jarTimes;
    /** The daemon's own log (its standard error when it started), never the client's. */
    private static final PrintStream LOG = System.err;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Clients being served, until their exit code is written: the daemon never exits under one. */
    private final java.util.concurrent.atomic.AtomicInteger serving = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicInteger commands = new AtomicInteger();
    private volatile Object boundFile;
    private volatile long lastActive = System.nanoTime();

    DaemonServer(Path socket, Duration idle, Path jar) throws IOException {
        this.socket = socket;
        this.idle = idle;
        this.jar = jar;
        this.jarTimes = caravanJars(jar);
    }

    /**
     * The modification times of {@code jar} and of Caravan's jars in {@code lib/} beside it: an {@code mvn install}
     * that changes only a connector or the engine rewrites those and leaves the command line's own jar as it was.
     */
    static Map<Path, FileTime> caravanJars(Path jar) throws IOException {
        Map<Path, FileTime> times = new TreeMap<>();
        times.put(jar, Files.getLastModifiedTime(jar));
        Path lib = jar.resolveSibling("lib");
        if (Files.isDirectory(lib)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "caravan-*.jar")) {
                for (Path p : jars) {
                    times.put(p, Files.getLastModifiedTime(p));
                }
            }
        }
        return times;
    }

    /** How long a shared journal stays open after the command that used it (JdbcJournal.keepOpen). */
    static final Duration JOURNAL_KEPT_OPEN = Duration.ofSeconds(60);

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: DaemonServer SOCKET IDLE_SECONDS JAR");
            System.exit(2);
        }
        // the home's journal stays open between commands: opening it costs each command about 35 ms
        dev.caravan.core.journal.JdbcJournal.keepOpen(JOURNAL_KEPT_OPEN);
        new DaemonServer(Path.of(args[0]), Duration.ofSeconds(Long.parseLong(args[1])), Path.of(args[2])).serve();
    }

    /** Binds the socket and serves until idle, stale or interrupted; never returns normally. */
    void serve() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            // another daemon of the same identity bound it first (two clients started one each): leave it that one
            System.err.println("caravan daemon: cannot listen on " + socket + ": " + e);
            System.exit(0);
        }
        boundFile = Files.readAttributes(socket, BasicFileAttributes.class).fileKey();
        Runtime.getRuntime().addShutdownHook(new Thread(this::deleteSocket, "caravan-daemon-cleanup"));
        log("listening on " + socket + " (pid " + ProcessHandle.current().pid() + ", exits after " + idle.toSeconds()
                + " s idle)");
        startIdleWatch();
        while (true) {
            SocketChannel client = server.accept();
            lastActive = System.nanoTime();
            if (!busy.compareAndSet(false, true)) {
                refuse(client);
                continue;
            }
            serving.incrementAndGet();
            Thread worker = new Thread(() -> serveOne(client), "caravan-daemon-command");
            worker.start();
        }
    }

    private void serveOne(SocketChannel client) {
        boolean released = false;
        try (client) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(client));
            DataOutputStream out = new DataOutputStream(
                    new BufferedOutputStream(DaemonProtocol.channelOutput(client), 16384));
            DaemonProtocol.Request request = DaemonProtocol.Request.readFrom(in);
            if (request == null || stale()) {
                DaemonProtocol.writeFrame(out, DaemonProtocol.BUSY, new byte[0]);
                if (request != null) {
                    exit("the command line was rebuilt", 0);
                }
                return;
            }
            DaemonProtocol.writeFrame(out, DaemonProtocol.STDOUT, new byte[0]); // started: never run twice
            AtomicBoolean finished = new AtomicBoolean();
            watchForHangUp(client, finished);
            long start = System.nanoTime();
            int number = commands.incrementAndGet();
            log("command " + number + " started");
            int code;
            Throwable broken = null;
            try {
                code = run(request, out);
            } catch (RuntimeException | Error e) { // past the command's own error handling (out of memory, say)
                broken = e;
                code = Main.FAILED;
                String message = "caravan: error: the daemon failed running this command (" + e
                        + "); run it again (in a fresh JVM with CARAVAN_DAEMON=0) to resume it\n";
                DaemonProtocol.writeFrame(out, DaemonProtocol.STDERR, message.getBytes(Charset.defaultCharset()));
            }
            finished.set(true); // the client closes its end once it has the exit code: no hang-up
            if (broken == null) {
                // free before the client hears the exit code: its next command, started at once, finds this daemon
                // free (freed after, it could come in between and be sent to a fresh JVM as to a busy daemon)
                lastActive = System.nanoTime();
                busy.set(false);
                released = true;
            }
            // logged before the client hears the exit code, so the log is whole once the launcher has exited
            log(String.format("command %d finished: exit %d in %.2f s", number, code,
                    (System.nanoTime() - start) / 1e9)); // never its arguments: they may hold secrets
            DaemonProtocol.writeExit(out, code);
            if (broken != null) {
                exit("a command failed past its error handling (" + broken + "); its state is unknown", 1);
            }
        } catch (IOException e) {
            log("client lost: " + e);
        } finally {
            if (!released) { // once released, another command may hold the daemon now
                lastActive = System.nanoTime();
                busy.set(false);
            }
            serving.decrementAndGet();
        }
    }

    /** Runs the command with standard output and error (loggers included) sent to the client. */
    private static int run(DaemonProtocol.Request request, DataOutputStream out) {
        Charset cs = Charset.defaultCharset();
        PrintStream stdout = new PrintStream(
                new BufferedOutputStream(DaemonProtocol.frameStream(out, DaemonProtocol.STDOUT), 8192), true, cs);
        PrintStream stderr = new PrintStream(
                new BufferedOutputStream(DaemonProtocol.frameStream(out, DaemonProtocol.STDERR), 8192), true, cs);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(stdout);
        System.setErr(stderr);
        try {
            PrintWriter o = new PrintWriter(new OutputStreamWriter(stdout, cs), true);
            PrintWriter e = new PrintWriter(new OutputStreamWriter(stderr, cs), true);
            int code = Main.execute(o, e, request.terminal(), request.args().toArray(String[]::new));
            o.flush();
            e.flush();
            return code;
        } finally {
            stdout.flush();
            stderr.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * The client sends nothing after its request; the end of its stream means it is gone (interrupted): exit as the
     * interrupted command's own JVM would have.
     */
    private static void watchForHangUp(SocketChannel client, AtomicBoolean finished) {
        Thread watch = new Thread(() -> {
            try {
                client.read(ByteBuffer.allocate(1)); // not through the request's stream: see channelOutput
            } catch (IOException e) {
                // closed below us: the command finished and its socket was closed
                return;
            }
            if (finished.get()) {
                return;
            }
            exit("the client went away during a command (interrupted)", 130);
        }, "caravan-daemon-hangup");
        watch.setDaemon(true);
        watch.start();
    }

    private static void refuse(SocketChannel client) {
        try (client) {
            DaemonProtocol.writeFrame(new DataOutputStream(DaemonProtocol.channelOutput(client)), DaemonProtocol.BUSY,
                    new byte[0]);
        } catch (IOException e) {
            // the client runs the command itself either way
        }
    }

    private boolean stale() {
        try {
            return !caravanJars(jar).equals(jarTimes);
        } catch (IOException e) {
            return true;
        }
    }

    private void startIdleWatch() {
        Thread watch = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(Math.min(idle.toMillis(), 5_000));
                } catch (InterruptedException e) {
                    return;
                }
                boolean idleLongEnough = System.nanoTime() - lastActive > idle.toNanos();
                if (!busy.get() && serving.get() == 0 && (idleLongEnough || stale() || !ownsSocket())) {
                    exit(idleLongEnough ? "idle for " + idle.toSeconds() + " s" : "rebuilt, or its socket was removed",
                            0);
                }
            }
        }, "caravan-daemon-idle");
        watch.setDaemon(true);
        watch.start();
    }

    /** Whether the socket file is still the one this daemon bound (not removed, nor bound again by another daemon). */
    private boolean ownsSocket() {
        try {
            return boundFile != null
                    && boundFile.equals(Files.readAttributes(socket, BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    private void deleteSocket() {
        try {
            if (ownsSocket()) {
                Files.delete(socket);
            }
        } catch (IOException e) {
            // already gone
        }
    }

    private static void log(String message) {
        LOG.println("caravan daemon: " + message);
    }

    /** Ends the daemon (its shutdown hook removes its socket) with a code only its log and the process table see. */
    private static void exit(String why, int code) {
        log("exiting: " + why);
        System.exit(code);
    }
}
