package dev.caravan.testkit.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A small HTTP/1.1 fault injector on 127.0.0.1 in front of a real server (S3Proxy, Azurite) for the tests. Each
 * connection carries one request (answers say {@code Connection: close}); per request, a plan decides to forward it,
 * to drop the connection (reset, no answer), to answer {@code 503 SlowDown} with {@code Retry-After: 1} or
 * {@code 500 InternalError}, to forward it with the first byte of its body flipped (as a bad network card or proxy
 * would damage it), or to stall: take the request and never answer (a hung server), until the client gives up; and
 * the requests a test names by their request line ({@link #denyWhere}) are answered {@code 403 AccessDenied}, as S3
 * answers a request its policy does not allow (credentials without {@code s3:DeleteObject}). It records every
 * request's line and headers. Requests must have a Content-Length (the S3 client never sends chunked bodies with the
 * settings Caravan uses).
 */
public final class FaultyProxy implements AutoCloseable {

    /** What happens to one request. */
    public enum Fault {
        FORWARD, DROP, SLOW_DOWN, INTERNAL_ERROR, CORRUPT, STALL,
        /** Answered {@code 403 AccessDenied} with S3's error XML, never forwarded. */
        ACCESS_DENIED
    }

    private static final byte[] SLOW_DOWN_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown"
            + "</Code><Message>Please reduce your request rate.</Message></Error>").getBytes(StandardCharsets.UTF_8);
    private static final byte[] INTERNAL_ERROR_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
            + "InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACCESS_DENIED_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
            + "AccessDenied</Code><Message>Access Denied</Message></Error>").getBytes(StandardCharsets.UTF_8);

    private volatile ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final IntFunction<Fault> plan;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final java.util.Queue<String> requestLines = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.Queue<List<String>> requestHeads = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicInteger corrupted = new AtomicInteger();
    private volatile java.util.function.Predicate<String> corruptOnce;
    private final AtomicInteger slowDowns = new AtomicInteger();
    private final AtomicInteger internalErrors = new AtomicInteger();
    private final AtomicInteger stalls = new AtomicInteger();
    private final AtomicInteger denials = new AtomicInteger();
    private volatile java.util.function.Predicate<String> denied = line -> false;
    private final java.util.Set<Socket> stalled = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A proxy to {@code upstreamHost:upstreamPort}; {@code plan} gets each request's number, from 1. */
    public FaultyProxy(String upstreamHost, int upstreamPort, IntFunction<Fault> plan) throws IOException {
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.plan = plan;
        pool.execute(this::acceptLoop);
    }

    /** The proxy's base URL. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** The request line ({@code METHOD /path?query HTTP/1.1}) of every request received, in arrival order. */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** The request line and headers of every request received, in arrival order. */
    public List<List<String>> requestHeads() {
        return List.copyOf(requestHeads);
    }

    /**
     * The header lines of the requests whose request line starts with {@code start} (e.g. {@code "PUT /bucket/key "}),
     * lower-cased (names and values), in arrival order: what a test looks for on the wire.
     */
    public List<List<String>> headersOf(String start) {
        return requestHeads.stream().filter(h -> h.get(0).startsWith(start))
                .map(h -> h.stream().skip(1).map(line -> line.toLowerCase(java.util.Locale.ROOT)).toList()).toList();
    }

    /** Damages the body of the first forwarded request whose request line matches (see {@link Fault#CORRUPT}). */
    public FaultyProxy corruptFirst(java.util.function.Predicate<String> requestLine) {
        corruptOnce = requestLine;
        return this;
    }

    /**
     * Answers every later request whose request line matches ({@code METHOD /path?query HTTP/1.1}) with
     * {@link Fault#ACCESS_DENIED}, whatever the plan says: a permission the credentials lack, e.g. DELETE.
     */
    public FaultyProxy denyWhere(java.util.function.Predicate<String> requestLine) {
        denied = requestLine;
        return this;
    }

    /** Requests answered 403 AccessDenied. */
    public int denials() {
        return denials.get();
    }

    /** Requests forwarded with a damaged body. */
    public int corrupted() {
        return corrupted.get();
    }

    /** Connections dropped without an answer. */
    public int drops() {
        return drops.get();
    }

    /** Requests answered 503 SlowDown. */
    public int slowDowns() {
        return slowDowns.get();
    }

    /** Requests answered 500 InternalError. */
    public int internalErrors() {
        return internalErrors.get();
    }

    /** Requests taken and never answered ({@link Fault#STALL}). */
    public int stalls() {
        return stalls.get();
    }

    /**
     * Stops listening for {@code outage}, so that connections are refused as while a server restarts, then listens
     * again on the same port. Returns at once; requests under way are not disturbed.
     */
    public void refuseConnectionsFor(Duration outage) throws IOException {
        ServerSocket down = server;
        int port = down.getLocalPort();
        down.close();
        awaitRefused(port); // the close of a socket another thread accepts on may take effect a moment later
        pool.execute(() -> {
            try {
                Thread.sleep(outage.toMillis());
                ServerSocket up = new ServerSocket();
                up.setReuseAddress(true);
                up.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
                server = up;
                acceptLoop();
            } catch (IOException | InterruptedException e) {
                // closed meanwhile
            }
        });
    }

    /** Returns once a connection to {@code port} is refused (at most about 2 s). */
    private static void awaitRefused(int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Socket probe = new Socket()) {
                probe.connect(address, 200);
            } catch (java.net.ConnectException refused) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IOException("127.0.0.1:" + port + " still accepts connections after its socket was closed");
    }

    private void acceptLoop() {
        ServerSocket listening = server;
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                pool.execute(() -> handle(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            List<String> head = readHead(in);
            if (head == null) {
                return;
            }
            requestLines.add(head.get(0));
            requestHeads.add(List.copyOf(head));
            long length = 0;
            boolean expectContinue = false;
            List<String> forwarded = new ArrayList<>();
            for (String line : head) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                } else if (lower.startsWith("expect:")) {
                    expectContinue = lower.contains("100-continue");
                    continue;
                } else if (lower.startsWith("connection:")) {
                    continue;
                }
                forwarded.add(line);
            }
            forwarded.add("Connection: close");
            Fault fault = plan.apply(requests.incrementAndGet());
            if (denied.test(head.get(0))) {
                fault = Fault.ACCESS_DENIED;
            }
            java.util.function.Predicate<String> once = corruptOnce;
            if (fault == Fault.FORWARD && once != null && once.test(head.get(0)) && corrupted.get() == 0) {
                corruptOnce = null;
                fault = Fault.CORRUPT;
            }
            if (fault == Fault.CORRUPT) {
                corrupted.incrementAndGet();
            }
            if (fault == Fault.STALL) {
                stalls.incrementAndGet();
                stalled.add(client);
                try {
                    while (in.read() >= 0) { // the body, then nothing until the client gives up (or the proxy closes)
                        continue;
                    }
                } finally {
                    stalled.remove(client);
                }
                return;
            }
            OutputStream out = client.getOutputStream();
            if (fault == Fault.DROP) {
                drops.incrementAndGet();
                client.setSoLinger(true, 0); // reset, no answer
                return;
            }
            if (fault == Fault.SLOW_DOWN || fault == Fault.INTERNAL_ERROR || fault == Fault.ACCESS_DENIED) {
                (fault == Fault.SLOW_DOWN ? slowDowns : fault == Fault.INTERNAL_ERROR ? internalErrors : denials)
                        .incrementAndGet();
                if (!expectContinue) {
                    in.skipNBytes(length);
                }
                byte[] body = fault == Fault.SLOW_DOWN ? SLOW_DOWN_BODY : fault == Fault.INTERNAL_ERROR
                        ? INTERNAL_ERROR_BODY : ACCESS_DENIED_BODY;
                out.write((switch (fault) {
                    case SLOW_DOWN -> "HTTP/1.1 503 Slow Down\r\nRetry-After: 1\r\n";
                    case INTERNAL_ERROR -> "HTTP/1.1 500 Internal Server Error\r\n";
                    default -> "HTTP/1.1 403 Forbidden\r\n";
                }
                        + "Content-Type: application/xml\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return;
            }
            if (expectContinue) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
                OutputStream up = upstream.getOutputStream();
                up.write((String.join("\r\n", forwarded) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                copy(in, up, length, fault == Fault.CORRUPT);
                up.flush();
                upstream.getInputStream().transferTo(out);
                out.flush();
            }
        } catch (SocketException gone) {
            // the client went away
        } catch (IOException e) {
            // a broken exchange is what this proxy is for; the client sees it
        }
    }

    /** The request line and headers, or null at the end of the stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
                line.reset();
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
            } else {
                line.write(b);
            }
        }
        return null;
    }

    private static void copy(InputStream in, OutputStream out, long length, boolean corrupt) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        boolean first = true;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("request body ended early");
            }
            if (corrupt && first) {
                buffer[0] ^= 0x5a;
            }
            first = false;
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : stalled) {
            s.close();
        }
        pool.shutdownNow();
    }
}
