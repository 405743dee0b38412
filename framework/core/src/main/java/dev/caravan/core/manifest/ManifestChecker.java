package dev.caravan.core.manifest;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.OrderedParallel;
import dev.caravan.core.hash.StoredSha256;
import dev.caravan.core.plan.CopyFacts;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Checks a store against a manifest. First the manifest itself: its chain digest must match its lines, else the check
 * fails with {@link ErrorKind#VERIFICATION_FAILED} before the store is looked at. Then the manifest's lines and the
 * store's listing are merge-joined (both sorted, both streamed): an object on both sides must have the listed size and
 * SHA-256; a listed object the store lacks is {@link VerificationOutcome#MISSING_ON_TARGET}, an object the manifest
 * does not list is {@link VerificationOutcome#MISSING_ON_SOURCE} (extra); a malformed, unsafe or out-of-order line is
 * an {@link VerificationOutcome#ERROR} named by its line number.
 *
 * <p>Only objects the store lists are ever read, so no key of the manifest ({@code ../x}, {@code /etc/passwd}) can
 * make the check look outside the store. Without {@code deep}, a SHA-256 the store has stored is trusted, but on the
 * location the manifest was written from only while the object's ETag is still the one in the manifest (or either
 * side has none); with a different ETag there, or with {@code deep}, the object is read.
 */
public final class ManifestChecker {
    private ManifestChecker() {
    }

    /**
     * How to check.
     *
     * @param transfers    objects read at once (1 or more)
     * @param deep         read every object, trusting no stored digest
     * @param keepProblems differences kept item by item in the report (the others are counted)
     */
    public record Options(int transfers, boolean deep, int keepProblems) {
    }

    /**
     * The verdict.
     *
     * @param header      the manifest's header
     * @param footer      the manifest's final line
     * @param report      one item per object line, extra object and malformed line
     * @param objectsRead how many objects were read to hash them
     */
    public record Result(ManifestHeader header, ManifestFooter footer, VerificationReport report, long objectsRead) {
        public boolean clean() {
            return report.clean();
        }
    }

    /** Checks {@code store} against the manifest {@code file}. */
    public static Result check(Path file, ObjectStore store, Options options) {
        String tampering;
        try (ManifestReader integrity = ManifestReader.open(file)) {
            tampering = integrity.readToEnd();
        }
        if (tampering != null) {
            throw new MigrationException(ErrorKind.VERIFICATION_FAILED, tampering);
        }
        VerificationReport report = new VerificationReport(options.keepProblems());
        AtomicLong reads = new AtomicLong();
        try (ManifestReader manifest = ManifestReader.open(file);
                Stream<ObjectInfo> listing = store.list("");
                OrderedParallel.Pushed<VerificationItem> work = OrderedParallel.pushed(options.transfers(),
                        "--transfers", "manifest", "checking objects against the manifest", report::add)) {
            boolean sameLocation = manifest.header().location().equals(store.uri());
            new Join(manifest, listing.iterator(), store, options.deep(), sameLocation, work, reads).run();
            work.finish();
            if (manifest.tampering() != null) { // the file changed between the two readings
                throw new MigrationException(ErrorKind.VERIFICATION_FAILED, manifest.tampering());
            }
            return new Result(manifest.header(), manifest.footer(), report, reads.get());
        }
    }

    /** The merge-join of the manifest's lines and the store's listing. */
    private static final class Join {
        private final ManifestReader manifest;
        private final Iterator<ObjectInfo> listing;
        private final ObjectStore store;
        private final boolean deep;
        private final boolean sameLocation;
        private final OrderedParallel.Pushed<VerificationItem> work;
        private final AtomicLong reads;
        private String previousKey;

        Join(ManifestReader manifest, Iterator<ObjectInfo> listing, ObjectStore store, boolean deep,
                boolean sameLocation, OrderedParallel.Pushed<VerificationItem> work, AtomicLong reads) {
            this.manifest = manifest;
            this.listing = listing;
            this.store = store;
            this.deep = deep;
            this.sameLocation = sameLocation;
            this.work = work;
            this.reads = reads;
        }

        void run() {
            ManifestEntry listed = nextUsable();
            ObjectInfo present = listing.hasNext() ? listing.next() : null;
            while (listed != null || present != null) {
                int order = listed == null ? 1 : present == null ? -1 : ObjectKeys.ORDER.compare(listed.key(),
                        present.key());
                if (order < 0) {
                    work.ready(new VerificationItem(listed.key(), VerificationOutcome.MISSING_ON_TARGET, "listing",
                            "in the manifest, missing in " + store.uri()));
                    listed = nextUsable();
                } else if (order > 0) {
                    work.ready(new VerificationItem(present.key(), VerificationOutcome.MISSING_ON_SOURCE, "listing",
                            "in " + store.uri() + ", not in the manifest"));
                    present = listing.hasNext() ? listing.next() : null;
                } else {
                    compare(listed, present);
                    listed = nextUsable();
                    present = listing.hasNext() ? listing.next() : null;
                }
            }
        }

        /** The next well-formed, safe, ordered object line; the others become errors on the way. */
        private ManifestEntry nextUsable() {
            for (ManifestReader.Line line = manifest.next(); line != null; line = manifest.next()) {
                String problem = problem(line);
                if (problem == null) {
                    previousKey = line.entry().key();
                    return line.entry();
                }
                work.ready(new VerificationItem("line " + line.number(), VerificationOutcome.ERROR, "manifest",
                        problem));
            }
            return null;
        }

        private String problem(ManifestReader.Line line) {
            if (line.entry() == null) {
                return line.problem();
            }
            String key = line.entry().key();
            String unsafe = ObjectKeys.problem(key);
            if (unsafe != null) {
                return "key '" + key + "' is not looked up: " + unsafe;
            }
            if (previousKey != null && ObjectKeys.ORDER.compare(previousKey, key) >= 0) {
                return "key '" + key + "' is out of order or repeated (after '" + previousKey + "')";
            }
            return null;
        }

        private void compare(ManifestEntry listed, ObjectInfo present) {
            if (present.size() >= 0 && present.size() != listed.size()) {
                work.ready(new VerificationItem(listed.key(), VerificationOutcome.DIFFER, "size",
                        "size " + listed.size() + " in the manifest, " + present.size() + " now"));
                return;
            }
            Optional<String> stored = deep || !sameVersion(listed, present) ? Optional.empty()
                    : StoredSha256.of(present);
            if (stored.isPresent()) {
                work.ready(verdict(listed, stored.get(), "sha256-stored"));
                return;
            }
            work.submit(() -> {
                reads.incrementAndGet();
                try {
                    return verdict(listed, StoredSha256.ofBytes(store, present.key()), "sha256");
                } catch (Exception e) {
                    return new VerificationItem(listed.key(), VerificationOutcome.ERROR, "sha256",
                            String.valueOf(e.getMessage()));
                }
            });
        }

        /**
         * Whether the object may still be the version the manifest saw: same ETag, or no ETag on one side, or another
         * location than the manifest's (whose ETags say nothing about this store's).
         */
        private boolean sameVersion(ManifestEntry listed, ObjectInfo present) {
            return !sameLocation || listed.etag() == null || present.etag() == null
                    || Objects.equals(CopyFacts.normalize(listed.etag()), CopyFacts.normalize(present.etag()));
        }

        private static VerificationItem verdict(ManifestEntry listed, String sha256, String method) {
            return sha256.equals(listed.sha256())
                    ? new VerificationItem(listed.key(), VerificationOutcome.MATCH, method, "")
                    : new VerificationItem(listed.key(), VerificationOutcome.DIFFER, method,
                            "sha256 " + listed.sha256() + " in the manifest, " + sha256 + " now");
        }
    }
}
