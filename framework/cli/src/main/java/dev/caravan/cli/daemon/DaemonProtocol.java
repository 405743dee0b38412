package dev.caravan.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames a {@link DaemonClient} and a {@link DaemonServer} exchange over their Unix domain socket. The client sends
 * one {@link Request}; the server answers with any number of output frames ({@link #STDOUT}, {@link #STDERR}) and one
 * final frame: {@link #EXIT} with the exit code, or {@link #BUSY} when it runs another command (or belongs to an older
 * build) and the client must run the command itself. Every frame is a type byte, a length and that many bytes.
 * Uses only the JDK: the client's class path is the command line's jar alone.
 */
public final class DaemonProtocol {
    /** Bumped whenever the frames change; a server refuses requests of another version as {@link #BUSY}. */
    public static final int VERSION = 1;
    /** Client to server: the command to run. */
    public static final byte REQUEST = 'R';
    /** Server to client: bytes for standard output. */
    public static final byte STDOUT = 'O';
    /** Server to client: bytes for standard error. */
    public static final byte STDERR = 'E';
    /** Server to client, last frame: the command's exit code (4 bytes). */
    public static final byte EXIT = 'X';
    /** Server to client, last frame: not run here; run it in a fresh JVM. */
    public static final byte BUSY = 'B';
    /** The launcher's exit code for "no daemon ran it": the launcher then runs the command in a fresh JVM. */
    public static final int FALLBACK_EXIT = 97;

    private static final int MAX_FRAME = 64 << 20;

    private DaemonProtocol() {
    }

    /**
     * A command for the daemon.
     *
     * @param terminal whether the client's standard output is a terminal (progress bar instead of plain lines)
     * @param args the command line, as {@code dev.caravan.cli.Main} takes it
     */
    public record Request(boolean terminal, List<String> args) {
        /** Writes this request as one {@link #REQUEST} frame. */
        public void writeTo(DataOutputStream out) throws IOException {
            var body = new java.io.ByteArrayOutputStream();
            var data = new DataOutputStream(body);
            data.writeInt(VERSION);
            data.writeBoolean(terminal);
            data.writeInt(args.size());
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                data.writeInt(bytes.length);
                data.write(bytes);
            }
            writeFrame(out, REQUEST, body.toByteArray());
        }

        /** Reads a request frame; {@code null} for a request of another protocol version. */
        public static Request readFrom(DataInputStream in) throws IOException {
            Frame frame = readFrame(in);
            if (frame.type() != REQUEST) {
                throw new IOException("expected a request frame, got '" + (char) frame.type() + "'");
            }
            var data = new DataInputStream(new java.io.ByteArrayInputStream(frame.body()));
            if (data.readInt() != VERSION) {
                return null;
            }
            boolean terminal = data.readBoolean();
            int count = data.readInt();
            List<String> args = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] bytes = new byte[data.readInt()];
                data.readFully(bytes);
                args.add(new String(bytes, StandardCharsets.UTF_8));
            }
            return new Request(terminal, List.copyOf(args));
        }
    }

    /** One frame: its type and its bytes. */
    public record Frame(byte type, byte[] body) {
        /** The exit code of an {@link #EXIT} frame. */
        public int exitCode() {
            return ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
        }
    }

    /** Writes one frame and flushes it. */
    public static void writeFrame(DataOutputStream out, byte type, byte[] body) throws IOException {
        writeFrame(out, type, body, 0, body.length);
    }

    /** Writes one frame of {@code len} bytes of {@code body} from {@code off} and flushes it. */
    public static void writeFrame(DataOutputStream out, byte type, byte[] body, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(len);
            out.write(body, off, len);
            out.flush();
        }
    }

    /** Writes the final {@link #EXIT} frame. */
    public static void writeExit(DataOutputStream out, int code) throws IOException {
        writeFrame(out, EXIT,
                new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
    }

    /** Reads one frame; {@link EOFException} when the peer closed the socket. */
    public static Frame readFrame(DataInputStream in) throws IOException {
        byte type = in.readByte();
        int len = in.readInt();
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("frame of " + len + " bytes");
        }
        byte[] body = new byte[len];
        in.readFully(body);
        return new Frame(type, body);
    }

    /**
     * An output stream writing straight to the channel. Not {@link java.nio.channels.Channels#newOutputStream}: its
     * streams lock the channel's blocking lock, so a write would wait for a read blocked in another thread.
     */
    public static OutputStream channelOutput(WritableByteChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    /** An output stream that sends what is written to it as frames of one type (standard output or error). */
    public static OutputStream frameStream(DataOutputStream out, byte type) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writeFrame(out, type, new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    writeFrame(out, type, b, off, len);
                }
            }
        };
    }
}
