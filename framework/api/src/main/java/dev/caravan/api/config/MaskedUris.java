package dev.caravan.api.config;

import java.util.regex.Pattern;

/** Locations as Caravan shows them (logs, reports, task ids, status): the passwords in a URI or JDBC URL masked. */
public final class MaskedUris {
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    private MaskedUris() {
    }

    /**
     * The location with {@code password=...} query or property values and the password of {@code //user:pw@host}
     * replaced by {@code ****}; {@code null} stays {@code null}.
     */
    public static String of(String uri) {
        if (uri == null) {
            return null;
        }
        return USERINFO_PASSWORD.matcher(PASSWORD_PARAMETER.matcher(uri).replaceAll("$1****")).replaceAll("$1****@");
    }
}
