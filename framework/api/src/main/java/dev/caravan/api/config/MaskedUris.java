package dev.caravan.api.config;

import java.util.regex.Pattern;

/** Locations as Caravan shows them (logs, reports, task ids, status): the passwords in a URI or JDBC URL masked. */
public final class MaskedUris {
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");
    /**
     * An option whose name has a secret's word, with its value (plain up to the next {@code &}, or {@code RAW(...)}
     * up to the {@code )} that ends the option), as endpoint URIs and Camel's messages quote them
     * ({@code ?name=value}, {@code &name=value}, {@code {name=value}}).
     */
    private static final Pattern SECRET_OPTION = Pattern.compile("(?i)((?:^|[?&{,\\s])[\\w.-]*(?:secret|password"
            + "|passphrase|token|key|credential|connectionstring|signature|authorization|sig)[\\w.-]*=)"
            + "(RAW\\((?:[^)]|\\)(?![&}\\s,]|$))*\\)|RAW\\{[^}]*}|[^&}\\s,]*)");

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
     * A message or stack trace with the value of every option whose name has a secret's word (secret, password,
     * passphrase, token, key, credential, connectionString, signature, authorization) replaced by {@code ****}: for
     * what Camel says about an endpoint URI, which it quotes unmasked in some causes; {@code null} stays
     * {@code null}.
     */
    public static String secretOptions(String text) {
        return text == null ? null : SECRET_OPTION.matcher(text).replaceAll("$1****");
    }

    /**
     * A command-line argument as an error message may quote it: the value of a secret {@code NAME=VALUE} option
     * ({@code secretAccessKey=...}, {@code sasToken=...}), a SAS signature of a location ({@code &sig=...}) and the
     * password of {@code //user:pw@host} replaced by {@code ****} ({@link #secretOptions}, {@link #of}); anything
     * else unchanged.
     */
    public static String argument(String arg) {
        return of(secretOptions(arg));
    }
}
