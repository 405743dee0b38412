package dev.caravan.application.model;

import java.time.Duration;
import java.util.Objects;

/**
 * One hook: a shell command, a SQL statement, an HTTP call or any Camel endpoint, run at a point of the cutover.
 * A hook fails the run (and triggers the rollback) when the command exits non-zero, the statement fails, the HTTP
 * status is not the expected one, or the endpoint throws.
 *
 * @param kind       what the hook runs
 * @param run        the command, the statement, the URL or the endpoint URI
 * @param jdbcUrl    {@link Kind#SQL}: the JDBC URL the statement runs on; otherwise {@code null}
 * @param user       {@link Kind#SQL}: database user, or {@code null}
 * @param password   {@link Kind#SQL}: password (never shown), or {@code null}
 * @param method     {@link Kind#HTTP}: the method (default GET)
 * @param body       {@link Kind#HTTP}: request body, or {@code null}; {@link Kind#ENDPOINT}: message body
 * @param headers    {@link Kind#HTTP}: request headers; {@link Kind#ENDPOINT}: message headers (values may be
 *                   secrets: never shown); empty for none
 * @param expect     {@link Kind#HTTP}: expected status ({@link #ANY_2XX}, the default, accepts any 2xx);
 *                   {@link Kind#SHELL}: expected exit code (0)
 * @param timeout    how long the hook may take (default 60 s)
 * @param compensate the hook that undoes this one when the run rolls back (e.g. unfreeze), or {@code null}
 * @param location   {@code file:line:column} of the hook in the plan, for messages
 * @param shown      {@code run} as reports and logs show it: the plan's text with the variables that hold secrets
 *                   (a name with PASS, PWD, SECRET, TOKEN, KEY, CREDENTIAL or AUTH in it, or a value that looks like
 *                   one: {@link Redaction#secretValue}) left as {@code ${NAME}}; {@code null}: {@code run} itself.
 *                   {@link #describe} hides what {@link Redaction#text} finds in it too
 */
public record Hook(Kind kind, String run, String jdbcUrl, String user, String password, String method, String body,
        java.util.Map<String, String> headers, int expect, Duration timeout, Hook compensate, String location,
        String shown) {

    /** {@link #expect} of an http hook that accepts any 2xx status. */
    public static final int ANY_2XX = -2;

    /** What a hook runs. */
    public enum Kind { SHELL, SQL, HTTP, ENDPOINT }

    public Hook {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(run, "run");
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
        shown = shown == null ? run : shown;
    }

    /** A hook shown as it runs (no variable with a secret in {@code run}). */
    public Hook(Kind kind, String run, String jdbcUrl, String user, String password, String method, String body,
            java.util.Map<String, String> headers, int expect, Duration timeout, Hook compensate, String location) {
        this(kind, run, jdbcUrl, user, password, method, body, headers, expect, timeout, compensate, location, null);
    }

    /**
     * A one-line description without secrets, e.g. {@code shell 'touch maintenance.flag'}: {@link #shown} and the
     * JDBC URL with the credentials {@link Redaction#text} finds hidden ({@code https://lb/api?token=****}).
     */
    public String describe() {
        String text = Redaction.text(shown);
        return switch (kind) {
            case SHELL -> "shell '" + text + "'";
            case SQL -> "sql '" + text + "' on " + Redaction.text(jdbcUrl);
            case HTTP -> "http " + method + " " + text + " (expect " + (expect == ANY_2XX ? "2xx" : expect) + ")";
            case ENDPOINT -> "endpoint " + text;
        };
    }
}
