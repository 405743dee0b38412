package dev.caravan.connector.local;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataCheck.Refusal;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the descriptive attributes of objects in extended attributes of the {@code user.} namespace, as rclone's
 * local backend keeps user metadata with {@code --metadata}:
 *
 * <ul>
 * <li>user metadata {@code KEY} is {@code user.KEY} (so rclone and {@code getfattr -d} see the same names);</li>
 * <li>the content type is {@code user.mime_type} (the freedesktop.org convention);</li>
 * <li>content headers are {@code user.caravan.cache-control}, {@code user.caravan.content-disposition},
 * {@code user.caravan.content-encoding} and {@code user.caravan.content-language};</li>
 * <li>tag {@code KEY} is {@code user.caravan.tag.KEY}.</li>
 * </ul>
 *
 * Values are UTF-8. User metadata keys {@code mime_type} and {@code caravan.*} are reserved and refused (reported).
 * Linux limits names to 255 bytes and values to 64 KiB, and ext2/3/4 hold all attributes of a file in one 4 KiB
 * block, so the check keeps the total under about 3.9 KB there. Stateless and thread-safe.
 */
final class LocalXattrs {
    static final String MIME_TYPE = "mime_type";
    static final String RESERVED = "caravan.";
    static final String TAG = RESERVED + "tag.";
    private static final Map<String, String> HEADER_NAMES = Map.of(
            ContentHeaders.CACHE_CONTROL, RESERVED + "cache-control",
            ContentHeaders.CONTENT_DISPOSITION, RESERVED + "content-disposition",
            ContentHeaders.CONTENT_ENCODING, RESERVED + "content-encoding",
            ContentHeaders.CONTENT_LANGUAGE, RESERVED + "content-language");
    /** Longest attribute name with its {@code user.} prefix. */
    private static final int MAX_NAME = 255;
    private static final int MAX_VALUE = 64 * 1024;
    /** Room for all attributes of one file on ext2/3/4 (one 4 KiB block less its header and some reserve). */
    private static final int EXT_BUDGET = 3900;

    private final int budget;

    private LocalXattrs(int budget) {
        this.budget = budget;
    }

    /**
     * The attribute keeper for {@code root}, or {@code null} when the file system of its nearest existing directory
     * has no user extended attributes.
     */
    static LocalXattrs forRoot(Path root) {
        try {
            FileStore store = Files.getFileStore(LocalFiles.nearestExisting(root));
            if (!store.supportsFileAttributeView(UserDefinedFileAttributeView.class)) {
                return null;
            }
            return new LocalXattrs(store.type().toLowerCase(Locale.ROOT).startsWith("ext") ? EXT_BUDGET
                    : 16 * MAX_VALUE);
        } catch (IOException e) {
            return null;
        }
    }

    /** The attributes a request asks for, by extended attribute name (without {@code user.}). */
    static Map<String, String> toXattrs(PutRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        if (request.contentType() != null) {
            out.put(MIME_TYPE, request.contentType());
        }
        request.headers().asMap().forEach((k, v) -> out.put(HEADER_NAMES.get(k), v));
        new TreeMap<>(request.metadata()).forEach((k, v) -> {
            if (!k.equals(MIME_TYPE) && !k.startsWith(RESERVED)) { // reserved names are refused, see refusals
                out.put(k, v == null ? "" : v);
            }
        });
        new TreeMap<>(request.tags()).forEach((k, v) -> out.put(TAG + k, v == null ? "" : v));
        return out;
    }

    /** What the file system would not hold of {@code request}. */
    List<Refusal> refusals(PutRequest request) {
        List<Refusal> out = new ArrayList<>();
        int used = 0;
        for (Map.Entry<String, String> e : new TreeMap<>(request.metadata()).entrySet()) {
            String k = e.getKey();
            if (k.equals(MIME_TYPE) || k.startsWith(RESERVED)) {
                out.add(new Refusal(MetadataKind.USER_METADATA, k, "the extended attribute user." + k + " is where "
                        + "Caravan keeps its own attributes"));
            }
        }
        for (Map.Entry<String, String> e : toXattrs(request).entrySet()) {
            String name = e.getKey();
            int nameBytes = ("user." + name).getBytes(StandardCharsets.UTF_8).length;
            int valueBytes = e.getValue().getBytes(StandardCharsets.UTF_8).length;
            int cost = 16 + pad(nameBytes) + pad(valueBytes);
            String why = null;
            if (name.isEmpty() || name.indexOf('\0') >= 0 || nameBytes > MAX_NAME) {
                why = "extended attribute names are 1 to " + MAX_NAME + " bytes without NUL";
            } else if (valueBytes > MAX_VALUE || used + cost > budget) {
                why = "the extended attributes of one file hold at most about " + budget + " bytes here";
            }
            if (why == null) {
                used += cost;
            } else {
                out.add(refusal(name, why));
            }
        }
        return out;
    }

    /**
     * Replaces Caravan's and the user's extended attributes of {@code file} by those of {@code request}; a
     * {@code fresh} file (just created) has none to remove, so nothing is read (the file is not even opened when
     * the request has no attributes).
     */
    static void write(Path file, PutRequest request, boolean fresh) {
        Map<String, String> wanted = toXattrs(request);
        if (fresh && wanted.isEmpty()) {
            return;
        }
        UserDefinedFileAttributeView view = view(file);
        try {
            if (view == null) {
                throw new UnsupportedOperationException("no user extended attributes");
            }
            for (String existing : fresh ? List.<String>of() : view.list()) {
                if (!wanted.containsKey(existing)) {
                    view.delete(existing); // left by an earlier attempt on the same temporary file
                }
            }
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                view.write(e.getKey(), ByteBuffer.wrap(e.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw unkeepable(file, e);
        }
    }

    /** The failure of a write of extended attributes that the file system announced but did not take. */
    static MigrationException unkeepable(Path file, Exception e) {
        return MigrationException.userData("cannot keep the attributes of " + file + " in extended attributes ("
                + e.getMessage() + "); set the option xattrs=false to copy without them (they are then reported "
                + "as not kept)");
    }

    /**
     * Replaces the content type, content headers and user metadata kept in {@code file}'s extended attributes by
     * those of {@code request}, as {@link #write} keeps them: first each wanted value is written (a {@code setxattr}
     * replaces one value atomically), then the names no longer wanted are removed. Only names this class reports as
     * those attributes are removed: {@code user.mime_type}, the four header names and user metadata; names starting
     * with {@code caravan} (tags, Caravan's own keys, names of later versions) stay, and the request's tags are
     * ignored. A kill in between leaves each attribute either old or new.
     */
    static void replace(Path file, PutRequest request) throws IOException {
        Map<String, String> wanted = toXattrs(request.withAttributes(request.contentType(), request.headers(),
                request.metadata(), Map.of()));
        UserDefinedFileAttributeView view = view(file);
        if (view == null) {
            throw new IOException("no user extended attributes");
        }
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            view.write(e.getKey(), ByteBuffer.wrap(e.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        for (String existing : view.list()) {
            if (!wanted.containsKey(existing) && describes(existing)) {
                view.delete(existing);
            }
        }
    }

    /** Whether the extended attribute {@code name} holds a content type, a content header or user metadata. */
    private static boolean describes(String name) {
        return name.equals(MIME_TYPE) || HEADER_NAMES.containsValue(name)
                || !name.toLowerCase(Locale.ROOT).startsWith("caravan");
    }

    /** The attributes kept in {@code file}'s extended attributes (none when it has none or they cannot be read). */
    static ObjectInfo read(Path file, ObjectInfo info) {
        UserDefinedFileAttributeView view = view(file);
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        String contentType = null;
        if (view == null) {
            return info;
        }
        try {
            List<String> names = view.list();
            if (names.isEmpty()) {
                return info;
            }
            for (String name : names) {
                ByteBuffer buffer = ByteBuffer.allocate(view.size(name));
                view.read(name, buffer);
                String value = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
                if (name.equals(MIME_TYPE)) {
                    contentType = value;
                } else if (name.startsWith(TAG)) {
                    tags.put(name.substring(TAG.length()), value);
                } else if (name.startsWith(RESERVED)) {
                    HEADER_NAMES.forEach((attribute, xattr) -> {
                        if (xattr.equals(name)) {
                            headers.put(attribute, value);
                        }
                    });
                } else {
                    metadata.put(name, value);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return info; // attributes that cannot be read are not reported; the bytes still copy
        }
        return info.withAttributes(contentType, ContentHeaders.fromMap(headers), metadata, tags);
    }

    private static Refusal refusal(String xattr, String why) {
        if (xattr.equals(MIME_TYPE)) {
            return new Refusal(MetadataKind.CONTENT_TYPE, "contentType", why);
        }
        if (xattr.startsWith(TAG)) {
            return new Refusal(MetadataKind.TAGS, xattr.substring(TAG.length()), why);
        }
        for (Map.Entry<String, String> h : HEADER_NAMES.entrySet()) {
            if (h.getValue().equals(xattr)) {
                return new Refusal(MetadataKind.CONTENT_HEADERS, h.getKey(), why);
            }
        }
        return new Refusal(MetadataKind.USER_METADATA, xattr, why);
    }

    private static UserDefinedFileAttributeView view(Path file) {
        return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static int pad(int n) {
        return (n + 3) & ~3;
    }
}
