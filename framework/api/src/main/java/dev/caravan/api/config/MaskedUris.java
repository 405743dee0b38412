package dev.caravan.api.config;

import java.util.regex.Pattern;

/** Locations as Caravan shows them (logs, reports, task ids, status): the passwords in a URI or JDBC URL masked. */
public final class MaskedUris {
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    /** An option written {@code NAME=VALUE} whose name says it holds a secret: the whole value is one. */
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)^([a-z0-9_.-]*(?:secret|password|passphrase|token|signature|accountkey|connectionstring|credential)"
                    + "[a-z0-9_.-]*=).+");
    /** A query or property parameter that carries a secret (an Azure SAS's signature, a password). */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:sig|password|secret|token|accountkey)=)[^&;]+");

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

    /**
     * A command-line argument as an error message may quote it: the value of a secret {@code NAME=VALUE} option
     * ({@code secretAccessKey=...}, {@code sasToken=...}), a SAS signature or password parameter of a location and the
     * password of {@code //user:pw@host} replaced by {@code ****}; anything else unchanged.
     */
    public static String argument(String arg) {
        if (arg == null) {
            return null;
        }
        java.util.regex.Matcher option = SECRET_OPTION.matcher(arg);
        if (option.matches()) {
            return option.group(1) + "****";
        }
        return of(SECRET_PARAMETER.matcher(arg).replaceAll("$1****"));
    }
}
