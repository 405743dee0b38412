package dev.caravan.connector.http;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a location given to the http connector is shown in its errors: the values of query parameters that look like
 * secrets (SAS {@code sig}, S3's {@code X-Amz-Signature}, {@code X-Amz-Credential}, {@code X-Amz-Security-Token},
 * any name with token, key, secret, password, signature or credential) and the password of user info are masked;
 * and, for a storage URL of Azure Blob or S3, which connector and location form to use instead. Stateless.
 */
final class HttpLocations {
    /** What a masked value is shown as. */
    static final String MASK = "***";
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)sig|.*(token|key|secret|password|passwd|pwd|signature|credential|auth).*");
    private static final Pattern AZURE_BLOB = Pattern.compile("(?i)([a-z0-9]{3,24})\\.blob\\.core\\.windows\\.net");
    /** Virtual-hosted ({@code bucket.s3.region.amazonaws.com}) or path-style ({@code s3.region.amazonaws.com}). */
    private static final Pattern S3_HOST = Pattern.compile(
            "(?i)(?:(.+)\\.)?s3(?:[.-][a-z0-9-]+)?(?:\\.dualstack)?(?:\\.[a-z0-9-]+)?\\.amazonaws\\.com(?:\\.cn)?");
    private static final Pattern AUTHORITY = Pattern.compile("^((?i)[a-z][a-z0-9+.-]*:)?//([^/?#]*)");

    private HttpLocations() {
    }

    /** {@code location} ({@code //host/path?query}, or a whole URL) with the secrets of its query string and user info masked. */
    static String masked(String location) {
        if (location == null) {
            return null;
        }
        String text = location;
        Matcher authority = AUTHORITY.matcher(text);
        if (authority.find() && authority.group(2).contains("@")) {
            String host = authority.group(2).substring(authority.group(2).lastIndexOf('@') + 1);
            text = Objects.toString(authority.group(1), "") + "//" + MASK + "@" + host
                    + text.substring(authority.end());
        }
        int q = text.indexOf('?');
        if (q < 0) {
            return text;
        }
        int hash = text.indexOf('#', q);
        String query = hash < 0 ? text.substring(q + 1) : text.substring(q + 1, hash);
        StringBuilder out = new StringBuilder(text.substring(0, q + 1));
        String[] params = query.split("&", -1);
        for (int i = 0; i < params.length; i++) {
            String p = params[i];
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            out.append(i == 0 ? "" : "&").append(eq >= 0 && SECRET_NAME.matcher(name).matches()
                    ? name + "=" + MASK : p);
        }
        return out.append(hash < 0 ? "" : text.substring(hash)).toString();
    }

    /**
     * What to use instead for a location on an Azure Blob or S3 endpoint (a sentence after ". "), or an empty string:
     * the connector that speaks the store's API, its location form, and where its credentials go.
     */
    static String otherConnector(String location) {
        Matcher authority = location == null ? null : AUTHORITY.matcher(location);
        if (authority == null || !authority.find()) {
            return "";
        }
        String host = authority.group(2).substring(authority.group(2).lastIndexOf('@') + 1).replaceFirst(":\\d+$", "");
        String path = location.substring(authority.end()).replaceFirst("[?#].*$", "").replaceAll("^/+|/+$", "");
        Matcher azure = AZURE_BLOB.matcher(host);
        if (azure.matches()) {
            return ". This is an Azure Blob Storage URL: use the azblob connector, azblob:"
                    + (path.isEmpty() ? "CONTAINER[/PREFIX]" : path) + " with the option account="
                    + azure.group(1).toLowerCase(Locale.ROOT) + " and the SAS (the query string) in the secret option"
                    + " sasToken (--source-option or --target-option sasToken=\"$SAS\"), not in the location";
        }
        Matcher s3 = S3_HOST.matcher(host);
        if (s3.matches()) {
            String bucketAndKey = s3.group(1) == null ? path : s3.group(1) + (path.isEmpty() ? "" : "/" + path);
            return ". This is an S3 URL: use the s3 connector, s3:" + (bucketAndKey.isEmpty() ? "BUCKET[/PREFIX]"
                    : bucketAndKey) + " with credentials in its options (accessKeyId, secretAccessKey, or the"
                    + " AWS environment), not a presigned URL";
        }
        return "";
    }
}
