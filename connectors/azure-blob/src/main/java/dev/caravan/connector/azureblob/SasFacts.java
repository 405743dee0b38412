package dev.caravan.connector.azureblob;

import dev.caravan.api.store.GrantedAccess;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * What a shared access signature says that is no secret and explains a refusal: its permissions ({@code sp}), its
 * expiry ({@code se}), and for an account SAS its services ({@code ss}) and resource types ({@code srt}). Never holds
 * the signature. Immutable.
 *
 * @param permissions   the {@code sp} letters (e.g. {@code rl}), or {@code null} when the token has none
 * @param expiry        the {@code se} instant, or {@code null} when absent or unreadable
 * @param services      the {@code ss} letters of an account SAS, or {@code null}
 * @param resourceTypes the {@code srt} letters of an account SAS, or {@code null}
 * @param resource      the {@code sr} of a service SAS ({@code c} container, {@code b} blob), or {@code null}
 */
record SasFacts(String permissions, Instant expiry, String services, String resourceTypes, String resource) {

    /** Facts of a SAS known by permissions and expiry only. */
    SasFacts(String permissions, Instant expiry) {
        this(permissions, expiry, null, null, null);
    }

    /** The facts of {@code sasToken} (with or without a leading {@code ?}), or {@code null} for no token. */
    static SasFacts of(String sasToken) {
        if (sasToken == null || sasToken.isBlank()) {
            return null;
        }
        String permissions = null;
        Instant expiry = null;
        String services = null;
        String resourceTypes = null;
        String resource = null;
        for (String pair : sasToken.replaceFirst("^\\?", "").split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("sp")) {
                permissions = value;
            } else if (name.equals("se")) {
                expiry = instant(value);
            } else if (name.equals("ss")) {
                services = value;
            } else if (name.equals("srt")) {
                resourceTypes = value;
            } else if (name.equals("sr")) {
                resource = value;
            }
        }
        return new SasFacts(permissions, expiry, services, resourceTypes, resource);
    }

    /** Whether the SAS says it grants reading blob index tags ({@code t} in its sp); a stored policy does not say. */
    boolean grantsTags() {
        return permissions != null && permissions.contains("t");
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
                    + "' (its sp): a source needs r and l (a move also d), a target also c and w, and d where the run"
                    + " deletes there (a sync) (and t for tags)";
            case "AuthorizationResourceTypeMismatch" -> "the SAS does not cover the resource types this needs: an"
                    + " account SAS needs srt=sco (service, container, object); a container SAS, sr=c";
            case "AuthorizationServiceMismatch" -> "the SAS is not for the blob service: an account SAS needs b in"
                    + " its ss";
            default -> null;
        };
    }

    /**
     * What this SAS lacks for {@code needs} (a side's role), in words, or {@code null} when it grants them or does
     * not tell (no {@code sp}: a stored access policy).
     */
    String lacking(Set<GrantedAccess.Need> needs) {
        if (services != null && !services.contains("b")) {
            return "the SAS is not for the blob service (its ss is '" + services + "'): an account SAS needs b in ss";
        }
        if (resourceTypes != null && !(resourceTypes.contains("c") && resourceTypes.contains("o"))) {
            return "the SAS covers the resource types '" + resourceTypes + "' (its srt): an account SAS needs c"
                    + " (container: listing) and o (objects) in srt, e.g. srt=sco";
        }
        if ("b".equals(resource) && needs.contains(GrantedAccess.Need.LIST)) {
            return "the SAS is for one blob (sr=b), which cannot list: give a container SAS (sr=c) or an account SAS";
        }
        if (permissions == null) {
            return null;
        }
        StringBuilder needed = new StringBuilder();
        StringBuilder missing = new StringBuilder();
        for (GrantedAccess.Need need : GrantedAccess.Need.values()) {
            if (needs.contains(need)) {
                String letter = letter(need);
                needed.append(needed.length() == 0 ? "" : ", ").append(letter);
                if (!permissions.contains(letter)) {
                    missing.append(missing.length() == 0 ? "" : ", ").append(letter);
                }
            }
        }
        return missing.length() == 0 ? null : "the SAS grants '" + permissions + "' (its sp), this side needs "
                + needed + ": missing " + missing;
    }

    private static String letter(GrantedAccess.Need need) {
        return switch (need) {
            case READ -> "r";
            case LIST -> "l";
            case WRITE -> "w";
            case CREATE -> "c";
            case DELETE -> "d";
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
