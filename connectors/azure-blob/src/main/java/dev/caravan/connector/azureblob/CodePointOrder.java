package dev.caravan.connector.azureblob;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectKeys;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a listing sorted by UTF-16 code units (how Azurite lists, measured: it compares JavaScript strings) into
 * one sorted by code points ({@link ObjectKeys#ORDER}, the byte order of UTF-8), lazily and in bounded memory.
 *
 * <p>The two orders differ only where two names first differ at a position {@code i} with a surrogate (a character
 * above U+FFFF) in one and a character in U+E000..U+FFFF in the other: UTF-16 puts the surrogate first, code points
 * put it last. For a common prefix {@code Q}, the names {@code Q+surrogate...} and {@code Q+[U+E000-U+FFFF]...}
 * form two adjacent runs of the UTF-16 listing, in the wrong order. When the listing reaches the first run, this
 * iterator opens a second listing of prefix {@code Q} starting from {@code Q+U+E000} (the {@code startFrom}
 * parameter; servers that ignore it are skipped forward), emits the second run from it, then the first run from the
 * main listing, then skips the second run there. Both runs are fixed the same way at deeper positions, so memory is
 * one listing page per nesting level, never the whole listing. Names without such characters cost nothing extra.
 *
 * <p>A server that already lists by code point is recognised (the second run was emitted before the first) and
 * passed through. Every emitted name is checked to be greater than the one before; a listing in any other order
 * fails with {@link ErrorKind#FATAL} instead of corrupting the merge-join of a plan. Not thread-safe.
 *
 * @param <T> listed item
 */
final class CodePointOrder<T> implements Iterator<T>, AutoCloseable {

    /** A listing positioned at its next item. */
    interface Cursor<T> extends AutoCloseable {
        boolean hasNext();

        /** The next item without consuming it. */
        T peek();

        T next();

        @Override
        void close();
    }

    /** Opens a listing of the names starting with {@code prefix}, from {@code startFrom} (inclusive) when given. */
    @FunctionalInterface
    interface Opener<T> {
        Cursor<T> open(String prefix, String startFrom);
    }

    private static final char FIRST_ABOVE_SURROGATES = '\uE000';

    private final Function<T, String> name;
    private final Opener<T> opener;
    private final Deque<Frame<T>> stack = new ArrayDeque<>();
    private String last;
    private T next;
    private boolean closed;

    /**
     * @param main   the listing of the names starting with a prefix of length {@code from}
     * @param from   length of the listing's prefix: positions before it are the same in every name
     * @param name   the name of an item
     * @param opener opens the extra listings
     */
    CodePointOrder(Cursor<T> main, int from, Function<T, String> name, Opener<T> opener) {
        this.name = name;
        this.opener = opener;
        stack.push(new Frame<>(main, from, n -> true, null, true));
    }

    @Override
    public boolean hasNext() {
        if (next == null && !closed) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = next;
        next = null;
        return item;
    }

    @Override
    public void close() {
        closed = true;
        while (!stack.isEmpty()) {
            Frame<T> frame = stack.pop();
            if (frame.owns) {
                frame.cursor.close();
            }
        }
    }

    private T advance() {
        while (!stack.isEmpty()) {
            Frame<T> frame = stack.peek();
            if (frame.skip != null) {
                while (frame.cursor.hasNext() && frame.skip.test(name.apply(frame.cursor.peek()))) {
                    frame.cursor.next();
                }
                stack.pop();
                continue;
            }
            if (!frame.cursor.hasNext() || !frame.inBlock.test(name.apply(frame.cursor.peek()))) {
                stack.pop();
                if (frame.owns) {
                    frame.cursor.close();
                }
                continue;
            }
            T item = frame.cursor.peek();
            String n = name.apply(item);
            int i = firstSurrogate(n, frame.from);
            if (i < 0) {
                frame.cursor.next();
                return emit(item, n);
            }
            String q = n.substring(0, i);
            Predicate<String> surrogates = s -> s.startsWith(q) && s.length() > i && Character.isSurrogate(s.charAt(i));
            Predicate<String> high = s -> s.startsWith(q) && s.length() > i && s.charAt(i) >= FIRST_ABOVE_SURROGATES;
            if (last != null && high.test(last)) {
                // the server lists by code point: the U+E000.. run came first and is out already
                stack.push(new Frame<>(frame.cursor, i + 2, surrogates, null, false));
                continue;
            }
            stack.push(new Frame<>(frame.cursor, 0, null, high, false));
            stack.push(new Frame<>(frame.cursor, i + 2, surrogates, null, false));
            Cursor<T> extra = opener.open(q, q + FIRST_ABOVE_SURROGATES);
            while (extra.hasNext()) { // for servers that ignore startFrom
                String s = name.apply(extra.peek());
                if (!s.startsWith(q) || high.test(s)) {
                    break;
                }
                extra.next();
            }
            stack.push(new Frame<>(extra, i + 1, high, null, true));
        }
        return null;
    }

    private T emit(T item, String n) {
        if (last != null && ObjectKeys.ORDER.compare(last, n) >= 0) {
            close();
            throw new MigrationException(ErrorKind.FATAL, "the server listed '" + n + "' after '" + last
                    + "': the listing is neither in UTF-16 nor in code-point order, so it cannot be merged safely");
        }
        last = n;
        return item;
    }

    /** The first position at or after {@code from} that holds a surrogate, or -1. */
    static int firstSurrogate(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One level of the iteration: items of {@code cursor} while {@code inBlock} holds, fixed from position
     * {@code from} on; or, when {@code skip} is set, a step that drops items of {@code cursor} while it holds.
     */
    private record Frame<T>(Cursor<T> cursor, int from, Predicate<String> inBlock, Predicate<String> skip,
            boolean owns) {
    }
}
