package dev.caravan.core.metadata;

import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataCheck;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.core.metadata.MetadataNote.Action;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, before a copy writes (streamed, or server-side when the rules change something), which descriptive
 * attributes of the source object go to the target and under which names: the declared {@link MetadataRule}s apply first, in order; then every attribute of a kind the
 * target does not keep ({@link StoreFeatures#keeps()}), and every one its {@link MetadataCheck} refuses, is left
 * out. Each change is a {@link MetadataNote}, so nothing is lost silently and the copy itself still succeeds. A
 * source modification time the target cannot keep is noted too. A content type the target infers from the object's
 * name ({@link ObjectStore#impliedContentType}) is not written, and not noted: the target reports it as it was.
 * Immutable and thread-safe.
 */
public final class MetadataMapping {
    /** Attribute name of the modification time in notes. */
    public static final String MOD_TIME = "modTime";

    private final List<MetadataRule> rules;
    private final ObjectStore target;
    private final StoreFeatures features;
    private final Optional<MetadataCheck> check;

    /**
     * @param rules  declared rules, applied in order (possibly empty)
     * @param target the store written to
     */
    public MetadataMapping(List<MetadataRule> rules, ObjectStore target) {
        this.rules = List.copyOf(rules);
        this.target = target;
        this.features = target.features();
        this.check = target.capability(MetadataCheck.class);
    }

    /**
     * What to write.
     *
     * @param request the put request for the target: the source's attributes as far as the target holds them
     * @param notes   what changed, one note per attribute (empty when everything went as it was)
     */
    public record Mapped(PutRequest request, List<MetadataNote> notes) {
        public Mapped {
            notes = List.copyOf(notes);
        }
    }

    /** Whether rules were declared (a copy then needs the source's attributes to apply them). */
    public boolean hasRules() {
        return !rules.isEmpty();
    }

    /** Maps the attributes of {@code source} for a put into the target. */
    public Mapped map(ObjectInfo source) {
        List<MetadataNote> notes = new ArrayList<>();
        Map<String, String> attributes = flatten(source);
        Map<String, String> origin = new LinkedHashMap<>(); // name after the rules -> name on the source
        for (MetadataRule rule : rules) {
            apply(rule, attributes, origin, notes);
        }
        String type = attributes.get(MetadataRule.CONTENT_TYPE);
        if (type != null && type.equalsIgnoreCase(target.impliedContentType(source.key()))) {
            attributes.remove(MetadataRule.CONTENT_TYPE); // nothing to store: the target infers it from the name
        }
        for (Iterator<Map.Entry<String, String>> it = attributes.entrySet().iterator(); it.hasNext(); ) {
            String name = it.next().getKey();
            MetadataKind kind = kindOf(name);
            if (!features.keeps(kind)) {
                it.remove();
                notes.add(new MetadataNote(origin.getOrDefault(name, name), Action.NOT_KEPT, target.uri()
                        + " keeps no " + words(kind)));
            }
        }
        PutRequest request = unflatten(PutRequest.from(source), attributes);
        if (check.isPresent() && !attributes.isEmpty()) {
            for (MetadataCheck.Refusal r : check.get().refusals(source.key(), request)) {
                String name = attributeName(r.kind(), r.name());
                if (attributes.remove(name) != null) {
                    notes.add(new MetadataNote(origin.getOrDefault(name, name), Action.NOT_KEPT, r.reason()));
                }
            }
            request = unflatten(request, attributes);
        }
        if (source.modTime() != null && !features.keepsModTime()) {
            notes.add(new MetadataNote(MOD_TIME, Action.NOT_KEPT, target.uri() + " keeps no modification time"));
        }
        return new Mapped(request, notes);
    }

    private static void apply(MetadataRule rule, Map<String, String> attributes, Map<String, String> origin,
            List<MetadataNote> notes) {
        switch (rule.kind()) {
            case DROP -> attributes.keySet().removeIf(name -> {
                boolean match = rule.glob().matcher(name).matches();
                if (match) {
                    notes.add(new MetadataNote(origin.getOrDefault(name, name), Action.DROPPED_BY_RULE, rule.text()));
                }
                return match;
            });
            case RENAME -> {
                String value = attributes.remove(rule.from());
                if (value != null) {
                    String replaced = attributes.put(rule.to(), value);
                    if (replaced != null) { // the object had that attribute too: its value is not kept, and said so
                        notes.add(new MetadataNote(origin.getOrDefault(rule.to(), rule.to()), Action.DROPPED_BY_RULE,
                                rule.text() + " wrote " + rule.from() + " over it"));
                    }
                    String first = origin.getOrDefault(rule.from(), rule.from());
                    origin.put(rule.to(), first);
                    notes.add(new MetadataNote(first, Action.MAPPED, "to " + rule.to()));
                }
            }
            case LOWERCASE -> {
                Map<String, String> out = new LinkedHashMap<>();
                List<Map.Entry<String, String>> changed = new ArrayList<>();
                attributes.forEach((name, value) -> {
                    String lower = name.startsWith(MetadataRule.METADATA) ? MetadataRule.METADATA
                            + name.substring(MetadataRule.METADATA.length()).toLowerCase(Locale.ROOT) : name;
                    if (lower.equals(name)) {
                        out.put(name, value);
                    } else {
                        changed.add(Map.entry(name, value));
                    }
                });
                for (Map.Entry<String, String> e : changed) { // keys already in lower case win a collision
                    String lower = MetadataRule.METADATA
                            + e.getKey().substring(MetadataRule.METADATA.length()).toLowerCase(Locale.ROOT);
                    String first = origin.getOrDefault(e.getKey(), e.getKey());
                    if (out.containsKey(lower)) {
                        notes.add(new MetadataNote(first, Action.NOT_KEPT, "collides with " + lower
                                + " after the rule lowercase"));
                    } else {
                        out.put(lower, e.getValue());
                        origin.put(lower, first);
                        notes.add(new MetadataNote(first, Action.MAPPED, "to " + lower));
                    }
                }
                attributes.clear();
                attributes.putAll(out);
            }
            default -> throw new IllegalStateException(rule.kind().name());
        }
    }

    /** The source's attributes by name, in a fixed order. */
    static Map<String, String> flatten(ObjectInfo source) {
        Map<String, String> out = new LinkedHashMap<>();
        if (source.contentType() != null && !source.contentType().isBlank()) {
            out.put(MetadataRule.CONTENT_TYPE, source.contentType());
        }
        out.putAll(source.headers().asMap());
        new java.util.TreeMap<>(source.metadata()).forEach((k, v) -> out.put(MetadataRule.METADATA + k, v));
        new java.util.TreeMap<>(source.tags()).forEach((k, v) -> out.put(MetadataRule.TAG + k, v));
        return out;
    }

    private static PutRequest unflatten(PutRequest base, Map<String, String> attributes) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (name.startsWith(MetadataRule.METADATA)) {
                metadata.put(name.substring(MetadataRule.METADATA.length()), value);
            } else if (name.startsWith(MetadataRule.TAG)) {
                tags.put(name.substring(MetadataRule.TAG.length()), value);
            } else {
                headers.put(name, value);
            }
        });
        return base.withAttributes(headers.get(MetadataRule.CONTENT_TYPE), ContentHeaders.fromMap(headers), metadata,
                tags);
    }

    static MetadataKind kindOf(String attribute) {
        if (attribute.startsWith(MetadataRule.METADATA)) {
            return MetadataKind.USER_METADATA;
        }
        if (attribute.startsWith(MetadataRule.TAG)) {
            return MetadataKind.TAGS;
        }
        return attribute.equals(MetadataRule.CONTENT_TYPE) ? MetadataKind.CONTENT_TYPE : MetadataKind.CONTENT_HEADERS;
    }

    private static String attributeName(MetadataKind kind, String name) {
        return switch (kind) {
            case USER_METADATA -> MetadataRule.METADATA + name;
            case TAGS -> MetadataRule.TAG + name;
            case CONTENT_TYPE -> MetadataRule.CONTENT_TYPE;
            case CONTENT_HEADERS -> name;
        };
    }

    private static String words(MetadataKind kind) {
        return switch (kind) {
            case CONTENT_TYPE -> "content type";
            case CONTENT_HEADERS -> "content headers";
            case USER_METADATA -> "user metadata";
            case TAGS -> "tags";
        };
    }
}
