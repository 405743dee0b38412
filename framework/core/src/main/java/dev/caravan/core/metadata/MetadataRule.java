package dev.caravan.core.metadata;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.KeyGlob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A declared rule that changes the descriptive attributes of a streamed copy before they are written, written as
 * text in a migration's {@code metadataRules}. Attributes are named {@code contentType}, {@code cacheControl},
 * {@code contentDisposition}, {@code contentEncoding}, {@code contentLanguage}, {@code metadata.KEY} (user
 * metadata) and {@code tag.KEY} (object tags). The rules:
 *
 * <ul>
 * <li>{@code drop:GLOB} drops the attributes whose name matches the glob ({@code drop:metadata.x-*},
 * {@code drop:tag.*}, {@code drop:cacheControl});</li>
 * <li>{@code rename:FROM=TO} moves one attribute to another name, also across kinds
 * ({@code rename:metadata.Owner=metadata.owner}, {@code rename:cacheControl=metadata.cache-control});</li>
 * <li>{@code lowercase} lower-cases every user metadata key (a key that then collides with another is dropped,
 * and reported).</li>
 * </ul>
 *
 * Rules apply in order, to every streamed copy; server-side copies keep the source's attributes as they are.
 * Immutable.
 *
 * @param kind  the rule's kind
 * @param glob  for {@code drop}: the compiled glob
 * @param from  for {@code rename}: the attribute renamed
 * @param to    for {@code rename}: its new name
 * @param text  the rule as written
 */
public record MetadataRule(Kind kind, Pattern glob, String from, String to, String text) {

    /** What a rule does. */
    public enum Kind { DROP, RENAME, LOWERCASE }

    /** Prefix of user metadata attribute names. */
    public static final String METADATA = "metadata.";
    /** Prefix of tag attribute names. */
    public static final String TAG = "tag.";
    /** Attribute name of the content type. */
    public static final String CONTENT_TYPE = "contentType";

    private static final List<String> HEADER_NAMES = List.of(CONTENT_TYPE, ContentHeaders.CACHE_CONTROL,
            ContentHeaders.CONTENT_DISPOSITION, ContentHeaders.CONTENT_ENCODING, ContentHeaders.CONTENT_LANGUAGE);

    /** Parses one rule; {@code USER_CONFIG} naming the rule and the accepted forms when it is malformed. */
    public static MetadataRule parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("lowercase")) {
            return new MetadataRule(Kind.LOWERCASE, null, null, null, t);
        }
        int colon = t.indexOf(':');
        String verb = colon < 0 ? t : t.substring(0, colon).toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? "" : t.substring(colon + 1).trim();
        if (verb.equals("drop") && !arg.isEmpty()) {
            return new MetadataRule(Kind.DROP, KeyGlob.compile(arg), null, null, t);
        }
        if (verb.equals("rename")) {
            int eq = arg.indexOf('=');
            if (eq > 0 && eq < arg.length() - 1) {
                String from = arg.substring(0, eq).trim();
                String to = arg.substring(eq + 1).trim();
                requireAttribute(t, from);
                requireAttribute(t, to);
                return new MetadataRule(Kind.RENAME, null, from, to, t);
            }
        }
        throw MigrationException.userConfig("metadata rule '" + text + "' is not one of drop:GLOB, rename:FROM=TO, "
                + "lowercase (attribute names: contentType, cacheControl, contentDisposition, contentEncoding, "
                + "contentLanguage, metadata.KEY, tag.KEY)");
    }

    /** Parses rules in order; {@code null} means none. */
    public static List<MetadataRule> parseAll(List<String> texts) {
        List<MetadataRule> out = new ArrayList<>();
        if (texts != null) {
            texts.forEach(t -> out.add(parse(t)));
        }
        return List.copyOf(out);
    }

    /** Whether {@code name} is a valid attribute name. */
    static boolean isAttribute(String name) {
        return HEADER_NAMES.contains(name) || name.startsWith(METADATA) && name.length() > METADATA.length()
                || name.startsWith(TAG) && name.length() > TAG.length();
    }

    private static void requireAttribute(String rule, String name) {
        if (!isAttribute(name)) {
            throw MigrationException.userConfig("metadata rule '" + rule + "': '" + name + "' is not an attribute; "
                    + "use contentType, cacheControl, contentDisposition, contentEncoding, contentLanguage, "
                    + "metadata.KEY or tag.KEY");
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
