package dev.caravan.application.model;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One declared change of a config step: a literal ({@code find}) or a regular expression ({@code regex}, Java
 * syntax, {@code $1} groups in {@code replace}), applied to every file of the step or to those named in
 * {@code files}. Each substitution must match at least once, else the step fails: a stale plan does not silently
 * leave the old database URL in place.
 *
 * @param literal  the text to find, or {@code null} when {@code regex} is set
 * @param regex    the pattern, or {@code null} when {@code literal} is set
 * @param replace  the replacement
 * @param files    the files (keys) it applies to; empty for all files of the step
 * @param location {@code file:line:column} in the plan
 */
public record Substitution(String literal, Pattern regex, String replace, List<String> files, String location) {
    public Substitution {
        files = List.copyOf(files);
    }

    /** Whether it applies to {@code key}. */
    public boolean appliesTo(String key) {
        return files.isEmpty() || files.contains(key);
    }

    /** {@code 'text'} or {@code /regex/}, with the credentials {@link Redaction#text} finds hidden. */
    public String describe() {
        return Redaction.text(literal != null ? "'" + literal + "'" : "/" + regex.pattern() + "/");
    }
}
