package dev.caravan.core.plan;

import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.store.ObjectInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the journal keeps of a verified copy (in its {@link dev.caravan.api.journal.TaskReport} values) so that a
 * rerun can tell from the listings alone that nothing changed: the ETag and size of the object as Caravan wrote it,
 * and the source's ETag when the source has one. A task id pins the source's key, size and time; with these facts a
 * target whose listing still shows the recorded ETag and size is the very object Caravan wrote and verified, so no
 * per-object request (S3: HEAD) is needed. Any mismatch only means "look closer" (the planner compares as before),
 * never "changed", so a fact recorded too early (e.g. before a later metadata write changed the ETag) costs a
 * request, not safety.
 */
public final class CopyFacts {
    /** ETag of the source object that was copied (absent when the source has none, e.g. a local file). */
    public static final String SOURCE_ETAG = "source.etag";
    /** ETag of the target object as written by the copy. */
    public static final String TARGET_ETAG = "target.etag";
    /** Size of the target object as written by the copy. */
    public static final String TARGET_SIZE = "target.size";
    /** The report key of the SHA-256 of the bytes the copy sent (written by the engine's task runner). */
    public static final String SHA256 = "hash.sha256";
    /** The report key of the bytes a copy sent itself (less than its size when it resumed an interrupted one). */
    public static final String BYTES_SENT = "copy.bytesSent";
    /** The report key of the verification method; {@code none} means the copy was not verified. */
    static final String VERIFY_METHOD = "verify.method";

    private CopyFacts() {
    }

    /**
     * The report values for a copy that wrote {@code written} from {@code source}; empty when the target gave no
     * ETag (then a rerun compares as before).
     */
    public static Map<String, String> of(ObjectInfo source, ObjectInfo written) {
        if (written == null || written.etag() == null || written.size() < 0) {
            return Map.of();
        }
        Map<String, String> facts = new HashMap<>();
        facts.put(TARGET_ETAG, written.etag());
        facts.put(TARGET_SIZE, Long.toString(written.size()));
        if (source != null && source.etag() != null) {
            facts.put(SOURCE_ETAG, source.etag());
        }
        return facts;
    }

    /**
     * Whether {@code task} proves that the listed pair needs nothing: the task (whose id the planner derived from
     * {@code source}) is done and was verified, and both listings still show what the copy recorded.
     */
    static boolean unchanged(TaskRecord task, ObjectInfo source, ObjectInfo target) {
        if (task == null || task.state() != TaskState.DONE || task.report() == null) {
            return false;
        }
        Map<String, String> r = task.report().values();
        String verified = r.get(VERIFY_METHOD);
        if (verified == null || "none".equals(verified) || target.etag() == null || target.size() < 0) {
            return false;
        }
        return sameEtag(r.get(TARGET_ETAG), target.etag())
                && Long.toString(target.size()).equals(r.get(TARGET_SIZE))
                && Objects.equals(normalize(r.get(SOURCE_ETAG)), normalize(source.etag()));
    }

    private static boolean sameEtag(String recorded, String listed) {
        return recorded != null && listed != null && normalize(recorded).equals(normalize(listed));
    }

    /** An ETag without quotes (listings and write responses quote differently); {@code null} stays null. */
    public static String normalize(String etag) {
        return etag == null ? null : etag.trim().replace("\"", "");
    }
}
