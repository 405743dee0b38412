package dev.caravan.connector.s3;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectKeys;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where an S3 store is rooted: a bucket and a key prefix, parsed from {@code bucket}, {@code bucket/prefix} or
 * {@code //bucket/prefix} (the part after {@code s3:}).
 *
 * @param bucket the bucket name
 * @param prefix the key prefix of the store's root: empty, or ending with {@code /}
 */
record S3Location(String bucket, String prefix) {
    /** The longest full key S3 takes, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;
    /** The signing parameters of a presigned URL's query, as pasted after a prefix. */
    private static final Pattern PRESIGNED = Pattern.compile("[?&](?i:x-amz-(credential|signature|security-token))=");

    static S3Location parse(String location) {
        String l = location == null ? "" : location.trim();
        while (l.startsWith("/")) {
            l = l.substring(1);
        }
        if (l.isEmpty()) {
            throw MigrationException.userConfig("the s3 connector needs a bucket, e.g. s3:my-bucket or "
                    + "s3:my-bucket/some/prefix");
        }
        int slash = l.indexOf('/');
        String bucket = slash < 0 ? l : l.substring(0, slash);
        String prefix = slash < 0 ? "" : l.substring(slash + 1);
        refuseCredentials(bucket, prefix);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-_]{1,61}[a-z0-9]") || bucket.contains("..")) {
            throw MigrationException.userConfig("'" + bucket + "' is not a valid S3 bucket name: use 3 to 63 "
                    + "lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit");
        }
        if (!prefix.isEmpty()) {
            String problem = ObjectKeys.problem(prefix);
            if (problem != null) {
                throw MigrationException.userConfig("bad key prefix '" + prefix + "' in s3:" + location + ": "
                        + problem);
            }
            prefix = prefix + "/";
        }
        return new S3Location(bucket, prefix);
    }

    /**
     * Fails, without repeating them, for credentials written into the location: {@code s3://KEY:SECRET@bucket} (no
     * bucket name has an {@code @}) or the query of a presigned URL ({@code ?X-Amz-Credential=...}). A location is
     * printed, journaled and put into reports; credentials belong in the options, which are masked everywhere.
     */
    private static void refuseCredentials(String bucket, String prefix) {
        if (bucket.indexOf('@') >= 0) {
            throw MigrationException.userConfig("the s3 location carries credentials before '@' (s3://KEY:SECRET@"
                    + "BUCKET): give them as the options accessKeyId and secretAccessKey (or a profile), which are "
                    + "masked, and write the location as s3:" + bucket.substring(bucket.lastIndexOf('@') + 1));
        }
        if (PRESIGNED.matcher(prefix).find()) {
            throw MigrationException.userConfig("the s3 location carries the query of a presigned URL"
                    + " (X-Amz-Credential, X-Amz-Signature): Caravan signs its own requests; give the credentials as the"
                    + " options accessKeyId and secretAccessKey (or a profile), which are masked, and write the location"
                    + " as s3:BUCKET/PREFIX");
        }
    }

    /**
     * Why S3 cannot hold an object at a store-relative key, or {@code null}: the rules of {@link ObjectKeys#problem}
     * and S3's limit of {@value #MAX_KEY_BYTES} bytes per full key.
     */
    String keyProblem(String key) {
        String problem = ObjectKeys.problem(key);
        if (problem != null) {
            return problem;
        }
        int length = prefix.length() + key.length();
        int bytes = length * 3 <= MAX_KEY_BYTES ? length : fullKey(key).getBytes(StandardCharsets.UTF_8).length;
        return bytes <= MAX_KEY_BYTES ? null
                : "the S3 key would have " + bytes + " bytes in UTF-8, S3 allows " + MAX_KEY_BYTES;
    }

    /** The key itself when S3 can hold it; else fails with {@code USER_DATA} (see {@link #keyProblem}). */
    String requireKey(String key) {
        return ObjectKeys.require(key, keyProblem(key));
    }

    /** The full S3 key of a store-relative key. */
    String fullKey(String key) {
        return prefix + key;
    }

    /** {@code bucket} or {@code bucket/prefix}, for URIs and messages. */
    String display() {
        return prefix.isEmpty() ? bucket : bucket + "/" + prefix.substring(0, prefix.length() - 1);
    }
}
