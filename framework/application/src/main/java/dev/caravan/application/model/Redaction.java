package dev.caravan.application.model;

import java.util.Locale;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an application plan, its report and its logs show of commands, URLs, statements and outputs: credentials
 * replaced by {@code ****}, everything else as written. One place for the rules, so that every place that shows a
 * hook, a location or a message hides the same things. Stateless and thread-safe.
 *
 * <p>Hidden in any text ({@link #text}): the password of {@code scheme://user:password@host} (and the whole user
 * part of an {@code http(s)://token@host}), the value of a {@code name=value} pair (query parameter, property,
 * connection string) or of a {@code Name: value} header whose name says it is a secret ({@link #secretName}: e.g.
 * {@code token}, {@code access_token}, {@code api_key}, {@code password}, {@code sig}, {@code Authorization},
 * {@code X-Amz-Signature}, {@code AccountKey}), the token after {@code Bearer}, private key blocks
 * ({@code -----BEGIN ... PRIVATE KEY-----}) and JSON web tokens. A {@code ${NAME}} placeholder is never hidden:
 * it is not the value.
 */
public final class Redaction {
    /** What a hidden value is replaced with. */
    public static final String MASK = "****";

    /** Variable names whose values are never shown (hooks show {@code ${NAME}} instead). */
    private static final Pattern SECRET_VARIABLE = Pattern.compile("(?i)pass|pwd|secret|token|key|credential|auth");
    /** Parameter and header names that hold secrets, lower case without {@code -_.}; whole name or its end. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(password|passwd|passphrase|pwd|secret|token"
            + "|credentials?|signature|(api|access|account|private|secret|signing|master|client|auth|encryption)key"
            + "|authorization|auth)|key|sig");
    private static final Pattern USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/\\s:@'\"]*):"
            + "([^/\\s@'\"]+)@");
    private static final Pattern HTTP_USER = Pattern.compile("(?i)\\b(https?://)([^/\\s:@'\"]+)@");
    private static final Pattern ASSIGNMENT = Pattern.compile("(?<![\\w.-])([A-Za-z_][\\w.-]*)(=)([^&;\\s'\"#,)]+)");
    private static final Pattern HEADER = Pattern.compile("(?i)(?<![\\w-])([a-z][\\w-]*)(:\\s+(?:(?:bearer|basic"
            + "|token|digest|bot)\\s+)?)([^\\s'\"]+)");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z0-9 ]*PRIVATE KEY[A-Z ]*)-----"
            + "[\\s\\S]*?(?:-----END \\1-----|$)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)([^\\s'\"]+)");
    private static final Pattern JWT = Pattern.compile("\\beyJ[\\w-]{4,}\\.eyJ[\\w-]{4,}\\.[\\w-]*");
    private static final Pattern AUTH_VALUE = Pattern.compile("(?i)(bearer|basic|token|digest)\\s+\\S+");

    private Redaction() {
    }

    /** {@code text} with the credentials in it hidden (see the class comment); {@code null} stays {@code null}. */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        String s = PRIVATE_KEY.matcher(text).replaceAll(m -> Matcher.quoteReplacement("-----BEGIN " + m.group(1)
                + "-----" + MASK + "-----END " + m.group(1) + "-----"));
        s = JWT.matcher(s).replaceAll(MASK);
        s = replace(USERINFO, s, m -> m.group(1) + m.group(2) + ":" + hidden(m.group(3)) + "@");
        s = replace(HTTP_USER, s, m -> m.group(1) + hidden(m.group(2)) + "@");
        s = replace(ASSIGNMENT, s, m -> m.group(1) + m.group(2) + (secretName(m.group(1)) ? hidden(m.group(3))
                : m.group(3)));
        s = replace(HEADER, s, m -> m.group(1) + m.group(2) + (secretName(m.group(1)) ? hidden(m.group(3))
                : m.group(3)));
        return replace(BEARER, s, m -> m.group(1) + hidden(m.group(2)));
    }

    /**
     * Whether a parameter, property or header name says its value is a secret: {@code password}, {@code token},
     * {@code access_token}, {@code client_secret}, {@code api-key}, {@code sig}, {@code Authorization}, ...
     * Ordinary names ({@code author}, {@code keyColumn}, {@code sortKey}) are not.
     */
    public static boolean secretName(String name) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "")).matches();
    }

    /**
     * Whether a plan variable is a secret by its name: it contains PASS, PWD, SECRET, TOKEN, KEY, CREDENTIAL or AUTH
     * (any case). Its value is then never shown.
     */
    public static boolean secretVariable(String name) {
        return SECRET_VARIABLE.matcher(name).find();
    }

    /**
     * Whether a value is a secret by its look, whatever its variable is called: a private key, a JSON web token, or
     * an {@code Authorization} header's value ({@code Bearer ...}, {@code Basic ...}).
     */
    public static boolean secretValue(String value) {
        return PRIVATE_KEY.matcher(value).find() || JWT.matcher(value).find()
                || AUTH_VALUE.matcher(value.strip()).matches();
    }

    private static String hidden(String value) {
        return value.startsWith("${") ? value : MASK;
    }

    private static String replace(Pattern p, String s, Function<MatchResult, String> with) {
        return p.matcher(s).replaceAll(m -> Matcher.quoteReplacement(with.apply(m)));
    }
}
