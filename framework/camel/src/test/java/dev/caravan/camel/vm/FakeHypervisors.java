package dev.caravan.camel.vm;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.HostInfo;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.HypervisorProvider;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.StorageMoveOptions;
import dev.caravan.api.vm.StoreRef;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmDisk;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fake hypervisor connector for the component's unit tests (scheme {@code fakevm}): each location is one host
 * whose state (domains, preflight verdicts, calls received) is shared by every connection opened on it. A live
 * migration or storage move reports two progress snapshots and, when a gate is set, waits for it in between, so
 * that tests can look at the journal while a move runs. Honours the SPI: a failed preflight refuses a live move
 * with USER_CONFIG.
 */
final class FakeHypervisors implements HypervisorProvider {
    static final Map<String, Host> HOSTS = new ConcurrentHashMap<>();
    static final AtomicInteger OPENED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();

    static void reset() {
        HOSTS.clear();
        OPENED.set(0);
        CLOSED.set(0);
    }

    static Host host(String location) {
        return HOSTS.computeIfAbsent(location, Host::new);
    }

    @Override
    public String scheme() {
        return "fakevm";
    }

    @Override
    public String description() {
        return "in-memory hypervisor for tests";
    }

    @Override
    public Options options() {
        return Options.of("connector fakevm",
                OptionDef.of("label", OptionType.STRING, "A label, for tests of connector options"),
                OptionDef.of("token", OptionType.PASSWORD, "A secret, for tests of masking").asSecret());
    }

    @Override
    public Hypervisor open(String location, Config config) {
        OPENED.incrementAndGet();
        return new Connection(host("fakevm:" + location));
    }

    /** One host's state. */
    static final class Host {
        final String location;
        final Map<String, VmState> domains = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        volatile List<PreflightCheck> preflight = List.of(new PreflightCheck("all", PreflightCheck.Status.PASS, "ok"));
        volatile CountDownLatch gate;
        /** The first progress snapshot of a move, when a test sets one (else 64 of 192 MiB, first pass). */
        volatile JobProgress first;
        volatile LiveMigrationOptions lastLive;
        volatile StorageMoveOptions lastStorage;
        volatile boolean aborted;
        /** Domains with a job running (a migration or storage move in progress, or one a test pretends). */
        final java.util.Set<String> jobs = ConcurrentHashMap.newKeySet();
        /** The kind of job {@code jobProgress} reports for a domain in {@link #jobs}. */
        volatile MigrationKind jobKind = MigrationKind.LIVE;
        /** Opened when a job a move takes over ({@code adoptLive}) ends; null: it has ended. */
        volatile CountDownLatch jobEnd;
        /** Whether its domains have no disk to carry (a guest booted from the network): a cold move copies nothing. */
        volatile boolean diskless;
        /** Runs when a domain is defined on this host, before it is (a test's moment in the middle of a move). */
        volatile Runnable onDefine;
        /** Domains whose preflight fails (cpu-compatibility), whatever {@link #preflight} says. */
        final java.util.Set<String> refused = ConcurrentHashMap.newKeySet();

        Host(String location) {
            this.location = location;
        }

        Host with(String domain, VmState state) {
            domains.put(domain, state);
            return this;
        }
    }

    /** A connection to a host. */
    static final class Connection implements Hypervisor {
        final Host host;

        Connection(Host host) {
            this.host = host;
        }

        @Override
        public String uri() {
            return host.location;
        }

        @Override
        public HostInfo host() {
            return new HostInfo(host.location, null, "FAKE", "1.0", "x86_64", null, 2, 4L << 30, 2L << 30);
        }

        @Override
        public List<VmRef> list() {
            return host.domains.keySet().stream().sorted().map(n -> find(n).orElseThrow()).toList();
        }

        @Override
        public VmDescription describe(String name) {
            VmRef ref = find(name).orElseThrow(() -> MigrationException.notFound("no domain " + name + " on "
                    + host.location));
            VmDisk disk = new VmDisk("vda", "disk", "file", "/images/" + name + ".qcow2", "qcow2", 64L << 20,
                    16L << 20, "images", name + ".qcow2", false, false);
            return new VmDescription(ref, "fake", "x86_64", null, 1, null, null, null, 128L << 20,
                    host.diskless ? List.of() : List.of(disk),
                    List.of(), "<domain/>");
        }

        @Override
        public Optional<VmRef> find(String name) {
            VmState s = host.domains.get(name);
            return s == null ? Optional.empty() : Optional.of(new VmRef(name, "uuid-" + name, s, true));
        }

        @Override
        public List<PreflightCheck> preflight(String name, Hypervisor target, MigrationKind kind,
                LiveMigrationOptions options) {
            host.calls.add("preflight " + kind + " " + name);
            describe(name);
            if (host.refused.contains(name)) {
                return List.of(new PreflightCheck("cpu-compatibility", PreflightCheck.Status.FAIL, "incompatible"));
            }
            return host.preflight;
        }

        @Override
        public MigrationResult migrateLive(String name, Hypervisor target, LiveMigrationOptions options,
                Consumer<JobProgress> progress) {
            host.calls.add("migrateLive " + name);
            host.lastLive = options;
            if (preflight(name, target, MigrationKind.LIVE, options).stream()
                    .anyMatch(c -> c.status() == PreflightCheck.Status.FAIL)) {
                throw MigrationException.userConfig("live migration of " + name + " refused by preflight");
            }
            run(name, MigrationKind.LIVE, progress);
            if (host.aborted) {
                host.aborted = false;
                throw new MigrationException(dev.caravan.api.error.ErrorKind.FATAL, "migration of " + name
                        + " aborted on request; it keeps running on " + host.location);
            }
            Host to = ((Connection) target).host;
            to.domains.put(name, VmState.RUNNING);
            host.domains.remove(name);
            host.calls.add("moved " + name);
            return new MigrationResult(MigrationKind.LIVE, name, to.location, Duration.ofMillis(1200),
                    Duration.ofMillis(900), Duration.ofMillis(42), 3, 128L << 20, 64L << 20,
                    Map.of("memory_bps", "1000"));
        }

        @Override
        public Optional<MigrationResult> adoptLive(String name, Hypervisor target, LiveMigrationOptions options,
                Consumer<JobProgress> progress) {
            host.calls.add("adoptLive " + name);
            host.lastLive = options;
            CountDownLatch end = host.jobEnd;
            try {
                if (end != null && !end.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the job never ended");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MigrationException.transientError("interrupted", e);
            }
            host.jobs.remove(name);
            Host to = ((Connection) target).host;
            if (to.domains.get(name) != VmState.RUNNING || host.domains.containsKey(name)) {
                return Optional.empty();
            }
            return Optional.of(new MigrationResult(MigrationKind.LIVE, name, to.location, Duration.ofMillis(700),
                    Duration.ofMillis(5000), Duration.ofMillis(40), 4, 128L << 20, 64L << 20,
                    Map.of("adopted", "true")));
        }

        @Override
        public MigrationResult moveStorage(String name, StorageMoveOptions options, Consumer<JobProgress> progress) {
            host.calls.add("moveStorage " + name);
            host.lastStorage = options;
            run(name, MigrationKind.STORAGE, progress);
            return new MigrationResult(MigrationKind.STORAGE, name, host.location, Duration.ofMillis(300), null,
                    null, 0, -1, 16L << 20, Map.of("from", "/images/" + name + ".qcow2"));
        }

        private void run(String name, MigrationKind kind, Consumer<JobProgress> progress) {
            host.jobs.add(name);
            int now = host.running.incrementAndGet();
            host.maxRunning.accumulateAndGet(now, Math::max);
            try {
                JobProgress p = host.first;
                progress.accept(p != null ? p : new JobProgress(kind, 64L << 20, 128L << 20, 192L << 20, 1, 5L << 20,
                        Duration.ofMillis(100)));
                CountDownLatch g = host.gate;
                if (g != null && !g.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
                progress.accept(new JobProgress(kind, 190L << 20, 2L << 20, 192L << 20, 3, 5L << 20,
                        Duration.ofMillis(800)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MigrationException.transientError("interrupted", e);
            } finally {
                host.running.decrementAndGet();
                host.jobs.remove(name);
            }
        }

        @Override
        public Optional<JobProgress> jobProgress(String name) {
            return host.jobs.contains(name) ? Optional.of(new JobProgress(host.jobKind, 64L << 20, 128L << 20,
                    192L << 20, 1, -1, Duration.ofMillis(100))) : Optional.empty();
        }

        @Override
        public void abort(String name) {
            host.calls.add("abort " + name);
            host.aborted = true;
            CountDownLatch g = host.gate;
            if (g != null) {
                g.countDown();
            }
        }

        @Override
        public boolean shutdown(String name, Duration grace, boolean force) {
            host.domains.put(name, VmState.SHUT_OFF);
            return force;
        }

        @Override
        public void start(String name) {
            host.domains.put(name, VmState.RUNNING);
        }

        @Override
        public String definition(String name, Map<String, String> diskSources) {
            return name;
        }

        @Override
        public VmRef define(String xml, boolean start) {
            if (host.onDefine != null) {
                host.onDefine.run();
            }
            host.domains.put(xml, start ? VmState.RUNNING : VmState.SHUT_OFF);
            return find(xml).orElseThrow();
        }

        @Override
        public void undefine(String name) {
            host.domains.remove(name);
        }

        @Override
        public StoreRef volumeStore(String pool) {
            throw MigrationException.unsupported("no volume stores in the fake");
        }

        @Override
        public Optional<String> volumePath(String pool, String volume) {
            return Optional.empty();
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }
}
