package dev.caravan.core.plan;

import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.core.metadata.MetadataMapping;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the "does the target carry the source's attributes?" test of two objects with the same bytes: the source's
 * content type, content headers and user metadata as a copy would write them ({@link MetadataMapping}: the declared
 * rules applied, what the target does not keep left out), and with {@link Compare#SIZE_MTIME} the kept modification
 * time. What the target cannot hold or fills in itself is not compared: kinds it does not keep, a content type the
 * source has none of (the target's default) or that the target infers from the name, Caravan's own metadata keys
 * ({@value #OWN_KEYS}...), and key case of user metadata (S3 lower-cases keys). Tags (as the rules map them, keys
 * case-sensitive) are compared when both stores keep them and both objects carry them as read
 * ({@link Check#why}: stat'ed, or listed by a store that {@link dev.caravan.api.store.ObjectStore#listsTags lists
 * tags}); an S3 listing has none, and reading them costs a request per tagged object. {@link Compare#SIZE} compares
 * no attributes.
 */
public final class AttributeComparison {
    /** Metadata keys starting so (any case) are Caravan's own: its SHA-256, its kept time, encoded names. */
    static final String OWN_KEYS = "caravan";

    private AttributeComparison() {
    }

    /** Why the attributes of two objects with the same bytes differ. */
    @FunctionalInterface
    public interface Check {
        /**
         * @param source   the source object
         * @param target   the target object
         * @param tagsRead whether both objects carry their tags as their stores hold them; when false (a listing
         *                 without tags), tags are not compared
         * @return why the target's attributes differ from the source's, or {@code null} when they are the same
         */
        String why(ObjectInfo source, ObjectInfo target, boolean tagsRead);
    }

    /**
     * @param compare the mode
     * @param mapping how a copy maps the source's attributes for the target
     * @param source  features of the source store
     * @param target  features of the target store
     * @return the check; {@code null} when the mode compares no attributes
     */
    public static Check of(Compare compare, MetadataMapping mapping,
            StoreFeatures source, StoreFeatures target) {
        if (compare == Compare.SIZE) {
            return null;
        }
        Duration precision = compare == Compare.SIZE_MTIME && target.keepsModTime()
                ? Comparison.coarser(source.modTimePrecision(), target.modTimePrecision()) : null;
        boolean bothKeepTags = comparesTags(source, target);
        return (s, t, tagsRead) -> {
            PutRequest wanted = mapping.map(s).request();
            String why = difference(wanted, t, target, bothKeepTags && tagsRead);
            if (why == null && precision != null && s.modTime() != null && t.modTime() != null
                    && Duration.between(s.modTime(), t.modTime()).abs().compareTo(precision) > 0) {
                why = "modified " + s.modTime() + " on source, " + t.modTime() + " on target";
            }
            return why == null ? null : why + " (same bytes)";
        };
    }

    /**
     * Whether the comparison reads descriptive attributes for this target (it keeps some), which listings may
     * leave out; otherwise it compares at most the modification time, which every listing has.
     */
    public static boolean readsAttributes(StoreFeatures target) {
        return target.keeps(MetadataKind.CONTENT_TYPE) || target.keeps(MetadataKind.CONTENT_HEADERS)
                || target.keeps(MetadataKind.USER_METADATA) || target.keeps(MetadataKind.TAGS);
    }

    /** Whether tags are compared between these stores: both keep them. */
    public static boolean comparesTags(StoreFeatures source, StoreFeatures target) {
        return source.keeps(MetadataKind.TAGS) && target.keeps(MetadataKind.TAGS);
    }

    /**
     * The tags to give a target object that holds {@code held} so that it carries {@code wanted} (a source's tags as
     * the rules map them): {@code wanted} with the held tags of Caravan's own keys kept; or {@code null} when the
     * target carries them already (Caravan's own keys aside).
     */
    public static Map<String, String> tagsToWrite(Map<String, String> wanted, Map<String, String> held) {
        if (comparableTags(wanted).equals(comparableTags(held))) {
            return null;
        }
        Map<String, String> out = new TreeMap<>(comparableTags(wanted));
        held.forEach((k, v) -> {
            if (isOwnKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String difference(PutRequest wanted, ObjectInfo t, StoreFeatures target, boolean tags) {
        if (target.keeps(MetadataKind.CONTENT_TYPE) && wanted.contentType() != null
                && !wanted.contentType().trim().equalsIgnoreCase(Objects.toString(t.contentType(), "").trim())) {
            return "content type " + wanted.contentType() + " on source, " + t.contentType() + " on target";
        }
        if (target.keeps(MetadataKind.CONTENT_HEADERS) && !wanted.headers().asMap().equals(t.headers().asMap())) {
            return "content headers " + wanted.headers().asMap() + " on source, " + t.headers().asMap() + " on target";
        }
        if (target.keeps(MetadataKind.USER_METADATA)) {
            Map<String, String> a = comparable(wanted.metadata());
            Map<String, String> b = comparable(t.metadata());
            if (!a.equals(b)) {
                TreeSet<String> keys = new TreeSet<>(a.keySet());
                keys.addAll(b.keySet());
                keys.removeIf(k -> Objects.equals(a.get(k), b.get(k)));
                return "user metadata " + keys + " differ";
            }
        }
        if (tags && tagsToWrite(wanted.tags(), t.tags()) != null) {
            return "tags " + comparableTags(wanted.tags()) + " on source, " + comparableTags(t.tags()) + " on target";
        }
        return null;
    }

    /** Tags without Caravan's own keys, sorted; keys as they are (tag keys are case-sensitive on S3 and Azure). */
    private static Map<String, String> comparableTags(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>();
        for (Entry<String, String> e : tags.entrySet()) {
            if (!isOwnKey(e.getKey())) {
                out.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
            }
        }
        return out;
    }

    private static boolean isOwnKey(String key) {
        return key.toLowerCase(Locale.ROOT).startsWith(OWN_KEYS);
    }

    /** User metadata without Caravan's own keys, by lower-case key. */
    private static Map<String, String> comparable(Map<String, String> metadata) {
        Map<String, String> out = new TreeMap<>();
        metadata.forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            if (!isOwnKey(key)) {
                out.put(key, v == null ? "" : v);
            }
        });
        return out;
    }
}
