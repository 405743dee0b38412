package dev.caravan.camel.vm;

import dev.caravan.api.vm.Hypervisor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hypervisor connections of one {@code caravan-vm} component, shared by all its endpoints and exchanges: a
 * connection per location and options, opened on first use and closed when the component stops. Sharing matters
 * beyond speed: an {@code abort} from another route reaches the connection that runs the migration, so the
 * migration ends as "aborted on request". A connection that failed with a transient error is replaced: new
 * exchanges get a fresh one, and the broken one is closed once no exchange uses it. Thread-safe.
 */
final class HostConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostConnections.class);

    private final Map<String, Entry> open = new HashMap<>();

    /** A connection in use by one exchange; close it when done. */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        Hypervisor hypervisor() {
            return entry.hypervisor;
        }

        /** The connection failed with a transient error: no new exchange gets it. */
        void broken() {
            synchronized (HostConnections.this) {
                entry.broken = true;
                open.remove(entry.key, entry);
            }
        }

        @Override
        public void close() {
            Hypervisor toClose = null;
            synchronized (HostConnections.this) {
                if (released) {
                    return;
                }
                released = true;
                entry.users--;
                if (entry.broken && entry.users == 0) {
                    toClose = entry.hypervisor;
                }
            }
            quietClose(toClose);
        }
    }

    private static final class Entry {
        final String key;
        final Hypervisor hypervisor;
        int users;
        boolean broken;

        Entry(String key, Hypervisor hypervisor) {
            this.key = key;
            this.hypervisor = hypervisor;
        }
    }

    /** The connection to {@code location} with {@code options}, opened with {@code opener} when there is none. */
    synchronized Lease acquire(String location, Map<String, String> options, Supplier<Hypervisor> opener) {
        String key = location + "\u0000" + new TreeMap<>(options);
        Entry e = open.get(key);
        if (e == null) {
            e = new Entry(key, opener.get());
            open.put(key, e);
        }
        e.users++;
        return new Lease(e);
    }

    /** How many connections are open (for tests). */
    synchronized int size() {
        return open.size();
    }

    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        all.forEach(e -> quietClose(e.hypervisor));
    }

    private static void quietClose(Hypervisor h) {
        if (h == null) {
            return;
        }
        try {
            h.close();
        } catch (RuntimeException ex) {
            LOG.debug("closing the connection to {}: {}", h.uri(), ex.toString());
        }
    }
}
