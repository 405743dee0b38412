package dev.caravan.connector.azureblob;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * What a shared access signature says that is no secret and explains a refusal: its permissions ({@code sp}) and its
 * expiry ({@code se}). Never holds the signature. Immutable.
 *
 * @param permissions the {@code sp} letters (e.g. {@code rl}), or {@code null} when the token has none
 * @param expiry      the {@code se} instant, or {@code null} when absent or unreadable
 */
record SasFacts(String permissions, Instant expiry) {

    /** The facts of {@code sasToken} (with or without a leading {@code ?}), or {@code null} for no token. */
    static SasFacts of(String sasToken) {
        if (sasToken == null || sasToken.isBlank()) {
            return null;
        }
        String permissions = null;
        Instant expiry = null;
        for (String pair : sasToken.replaceFirst("^\\?", "").split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("sp")) {
                permissions = value;
            } else if (name.equals("se")) {
                expiry = instant(value);
            }
        }
        return new SasFacts(permissions, expiry);
    }

    /**
     * Why the service refused a request made with this SAS, when the SAS itself tells it: it expired, or what the
     * mismatch the service names means for it (the permissions it grants, its resource types, its services); else
     * {@code null}.
     *
     * @param code the service's error code, e.g. {@code AuthorizationPermissionMismatch} ({@code ""}: none)
     */
    String explain(String code, Instant now) {
        if (expiry != null && expiry.isBefore(now)) {
            return "the SAS expired at " + expiry + " (its se): give a new one";
        }
        return switch (code) {
            case "AuthorizationPermissionMismatch" -> permissions == null ? null : "the SAS grants '" + permissions
                    + "' (its sp): a source needs r and l, a target also a, c, w and d (and t for tags)";
            case "AuthorizationResourceTypeMismatch" -> "the SAS does not cover the resource types this needs: an"
                    + " account SAS needs srt=sco (service, container, object); a container SAS, sr=c";
            case "AuthorizationServiceMismatch" -> "the SAS is not for the blob service: an account SAS needs b in"
                    + " its ss";
            default -> null;
        };
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
