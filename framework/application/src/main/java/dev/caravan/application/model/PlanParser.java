package dev.caravan.application.model;

import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads an application plan ({@code application: {name, steps, hooks, cutover}}) into an {@link ApplicationSpec}.
 * Every error is a USER_CONFIG {@link MigrationException} whose message starts with {@code file:line:column} and,
 * for an unknown key, lists the keys allowed there. Values may use {@code ${NAME}} or {@code ${NAME:-default}},
 * resolved from the given variables, then the environment. Stateless and thread-safe.
 */
public final class PlanParser {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final List<String> TOP = List.of("application");
    private static final List<String> APP = List.of("name", "steps", "hooks", "cutover");
    private static final List<String> COMMON = List.of("id", "kind", "after", "hooks");
    private static final Map<String, List<String>> STEP_KEYS = Map.of(
            "files", List.of("from", "to", "fromOptions", "toOptions", "mode", "transfers"),
            "database", List.of("from", "to", "fromOptions", "toOptions", "include", "exclude", "incremental",
                    "verify", "parallelism"),
            "config", List.of("from", "to", "fromOptions", "toOptions", "files", "substitutions"),
            "vm", List.of("from", "to", "domain", "options"));
    private static final List<String> HOOK_KINDS = List.of("shell", "sql", "http", "endpoint");
    private static final List<String> HOOK_KEYS = List.of("shell", "sql", "http", "endpoint", "url", "user",
            "password", "method", "body", "headers", "expect", "timeout", "compensate");

    private final Function<String, String> variables;

    /** @param variables values of {@code ${NAME}} placeholders; unknown names fall back to the environment */
    public PlanParser(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        this.variables = name -> copy.containsKey(name) ? copy.get(name) : System.getenv(name);
    }

    /** Reads and checks a plan file. */
    public ApplicationSpec parse(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            return parse(in, file);
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot read the application plan " + file + ": " + e.getMessage());
        }
    }

    /** Reads and checks a plan; {@code file} names it in messages. */
    public ApplicationSpec parse(String yaml, Path file) {
        return parse(new StringReader(yaml), file);
    }

    private ApplicationSpec parse(Reader in, Path file) {
        YamlNode root = YamlNode.read(in, file.toString());
        if (root.type != YamlNode.Type.MAP || !root.map.containsKey("application")) {
            throw root.error("an application plan is a mapping with one key 'application'; found "
                    + root.describe());
        }
        allow(root, TOP, "the plan");
        YamlNode app = map(root.map.get("application"), "application");
        allow(app, APP, "application");
        String name = text(required(app, "name", "application"), "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw app.map.get("name").error("application name '" + name + "' must be letters, digits, '.', '_' or "
                    + "'-' (it names the work directory)");
        }
        YamlNode stepsNode = required(app, "steps", "application");
        if (stepsNode.type != YamlNode.Type.LIST || stepsNode.list.isEmpty()) {
            throw stepsNode.error("'steps' must be a non-empty list of steps");
        }
        List<Step> steps = new ArrayList<>();
        Map<String, YamlNode> ids = new LinkedHashMap<>();
        for (YamlNode s : stepsNode.list) {
            Step step = step(map(s, "a step"));
            YamlNode first = ids.putIfAbsent(step.id(), s);
            if (first != null) {
                throw s.error("step id '" + step.id() + "' is used twice (first at " + first.where() + ")");
            }
            steps.add(step);
        }
        Map<Phase, HookPair> phaseHooks = new EnumMap<>(Phase.class);
        YamlNode hooks = app.map.get("hooks");
        if (hooks != null) {
            map(hooks, "hooks");
            List<String> phases = java.util.Arrays.stream(Phase.values()).map(Phase::key).toList();
            allow(hooks, phases, "application hooks");
            for (Phase p : Phase.values()) {
                if (hooks.map.containsKey(p.key())) {
                    phaseHooks.put(p, pair(hooks.map.get(p.key()), "hooks." + p.key()));
                }
            }
        }
        Cutover cutover = Cutover.NONE;
        YamlNode c = app.map.get("cutover");
        if (c != null) {
            map(c, "cutover");
            allow(c, List.of("freeze", "switch"), "cutover");
            cutover = new Cutover(hooks(c.map.get("freeze")), hooks(c.map.get("switch")));
        }
        return new ApplicationSpec(name, file, StepGraph.sort(steps, ids), phaseHooks, cutover);
    }

    private Step step(YamlNode s) {
        String kind = text(required(s, "kind", "a step"), "kind");
        List<String> specific = STEP_KEYS.get(kind);
        if (specific == null) {
            throw s.map.get("kind").error("unknown step kind '" + kind + "'; allowed: " + STEP_KEYS.keySet()
                    .stream().sorted().toList());
        }
        String id = text(required(s, "id", "a step"), "id");
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            throw s.map.get("id").error("step id '" + id + "' must be letters, digits, '_' or '-'");
        }
        String what = kind + " step '" + id + "'";
        List<String> allowed = new ArrayList<>(COMMON);
        allowed.addAll(specific);
        allow(s, allowed, what);
        List<String> after = strings(s.map.get("after"), "after");
        HookPair hooks = s.map.containsKey("hooks") ? pair(s.map.get("hooks"), what + " hooks") : HookPair.NONE;
        String loc = s.where();
        return switch (kind) {
            case "files" -> new Step.Files(id, after, hooks, req(s, "from", what), options(s, "fromOptions"),
                    req(s, "to", what), options(s, "toOptions"), oneOf(s, "mode", "copy", List.of("copy", "sync")),
                    integer(s, "transfers", 4), loc);
            case "database" -> database(s, id, after, hooks, what, loc);
            case "config" -> config(s, id, after, hooks, what, loc);
            default -> new Step.Vm(id, after, hooks, req(s, "from", what), req(s, "to", what),
                    req(s, "domain", what), options(s, "options"), loc);
        };
    }

    private Step database(YamlNode s, String id, List<String> after, HookPair hooks, String what, String loc) {
        String column = null;
        String mode = null;
        YamlNode inc = s.map.get("incremental");
        if (inc != null) {
            map(inc, "incremental");
            allow(inc, List.of("column", "mode"), "incremental");
            column = text(required(inc, "column", "incremental"), "column");
            mode = oneOf(inc, "mode", "key", List.of("key", "updated-at"));
        }
        return new Step.Database(id, after, hooks, req(s, "from", what), options(s, "fromOptions"),
                req(s, "to", what), options(s, "toOptions"), strings(s.map.get("include"), "include"),
                strings(s.map.get("exclude"), "exclude"), column, mode,
                oneOf(s, "verify", "digest", List.of("digest", "count")), integer(s, "parallelism", 2), loc);
    }

    private Step config(YamlNode s, String id, List<String> after, HookPair hooks, String what, String loc) {
        List<String> files = strings(required(s, "files", what), "files");
        if (files.isEmpty()) {
            throw s.map.get("files").error("'files' must name at least one file");
        }
        List<Substitution> subs = new ArrayList<>();
        YamlNode list = s.map.get("substitutions");
        if (list != null) {
            if (list.type != YamlNode.Type.LIST) {
                throw list.error("'substitutions' must be a list of {find|regex, replace, files}");
            }
            for (YamlNode n : list.list) {
                map(n, "a substitution");
                allow(n, List.of("find", "regex", "replace", "files"), "a substitution");
                boolean literal = n.map.containsKey("find");
                if (literal == n.map.containsKey("regex")) {
                    throw n.error("a substitution has exactly one of 'find' (literal text) or 'regex'");
                }
                String replace = text(required(n, "replace", "a substitution"), "replace");
                List<String> only = strings(n.map.get("files"), "files");
                for (String f : only) {
                    if (!files.contains(f)) {
                        throw n.map.get("files").error("substitution names file '" + f + "', which is not in the "
                                + "step's files " + files);
                    }
                }
                if (literal) {
                    subs.add(new Substitution(text(n.map.get("find"), "find"), null, replace, only, n.where()));
                } else {
                    Pattern regex;
                    try {
                        regex = Pattern.compile(text(n.map.get("regex"), "regex"), Pattern.MULTILINE);
                    } catch (PatternSyntaxException e) {
                        throw n.map.get("regex").error("not a valid regular expression: " + e.getDescription());
                    }
                    checkReplacement(n.map.get("replace"), regex, replace);
                    subs.add(new Substitution(null, regex, replace, only, n.where()));
                }
            }
        }
        return new Step.Config(id, after, hooks, req(s, "from", what), options(s, "fromOptions"), req(s, "to", what),
                options(s, "toOptions"), files, subs, loc);
    }

    /**
     * Refuses the replacement of a regex substitution that Java would reject while rendering ({@code $$}, a group the
     * regex does not have) or read differently from what it says (a backslash before anything but {@code $} or
     * {@code \} is dropped: {@code C:\data} would be written {@code C:data}). The value itself is not quoted: it
     * may be a secret.
     */
    private static void checkReplacement(YamlNode n, Pattern regex, String replace) {
        String groups = "$1..$" + regex.matcher("").groupCount() + " or ${name} insert a group of the regex";
        for (int i = 0; i < replace.length(); i++) {
            if (replace.charAt(i) == '\\') {
                if (i + 1 == replace.length() || "\\$".indexOf(replace.charAt(i + 1)) < 0) {
                    throw n.error("a regex substitution's replace has a backslash (character " + (i + 1) + ") that "
                            + "escapes neither $ nor \\: write \\\\ for a backslash, \\$ for a dollar sign ("
                            + groups + ")");
                }
                i++;
            }
        }
        try {
            // an empty alternative matches "", so the replacement is evaluated once, with every group unmatched
            Pattern.compile(regex.pattern() + "|", regex.flags()).matcher("").replaceAll(replace);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw n.error("a regex substitution's replace is not valid: " + e.getMessage() + " (" + groups
                    + "; write \\$ for a dollar sign)");
        }
    }

    private HookPair pair(YamlNode n, String what) {
        map(n, what);
        allow(n, List.of("pre", "post"), what);
        return new HookPair(hooks(n.map.get("pre")), hooks(n.map.get("post")));
    }

    private List<Hook> hooks(YamlNode n) {
        if (n == null || n.type == YamlNode.Type.NULL) {
            return List.of();
        }
        List<YamlNode> items = n.type == YamlNode.Type.LIST ? n.list : List.of(n);
        List<Hook> out = new ArrayList<>();
        for (YamlNode h : items) {
            out.add(hook(h));
        }
        return out;
    }

    private Hook hook(YamlNode h) {
        map(h, "a hook");
        allow(h, HOOK_KEYS, "a hook");
        List<String> kinds = HOOK_KINDS.stream().filter(h.map::containsKey).toList();
        if (kinds.size() != 1) {
            throw h.error("a hook has exactly one of " + HOOK_KINDS + "; found " + kinds);
        }
        Hook.Kind kind = Hook.Kind.valueOf(kinds.get(0).toUpperCase(Locale.ROOT));
        String run = text(h.map.get(kinds.get(0)), kinds.get(0));
        String shown = expand(h.map.get(kinds.get(0)), true);
        String url = null;
        if (kind == Hook.Kind.SQL) {
            url = text(required(h, "url", "a sql hook"), "url");
            if (!url.startsWith("jdbc:")) {
                throw h.map.get("url").error("a sql hook's url is a JDBC URL (jdbc:...), got '" + url + "'");
            }
        }
        String method = h.map.containsKey("method") ? text(h.map.get("method"), "method").toUpperCase(Locale.ROOT)
                : "GET";
        int expect = integer(h, "expect", kind == Hook.Kind.HTTP ? Hook.ANY_2XX : 0);
        if (kind == Hook.Kind.HTTP && expect != Hook.ANY_2XX && (expect < 100 || expect > 599)) {
            throw h.map.get("expect").error("an http hook's 'expect' is an HTTP status (100-599), got " + expect);
        }
        Map<String, String> headers = options(h, "headers");
        if (!headers.isEmpty() && kind != Hook.Kind.HTTP && kind != Hook.Kind.ENDPOINT) {
            throw h.map.get("headers").error("'headers' applies to http and endpoint hooks only");
        }
        Duration timeout = h.map.containsKey("timeout") ? duration(h.map.get("timeout")) : null;
        Hook compensate = h.map.containsKey("compensate") ? hook(h.map.get("compensate")) : null;
        return new Hook(kind, run, url, opt(h, "user"), opt(h, "password"), method, opt(h, "body"), headers, expect,
                timeout, compensate, h.where(), shown);
    }

    private Duration duration(YamlNode n) {
        String v = text(n, "timeout");
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h)").matcher(v.trim());
        if (!m.matches()) {
            throw n.error("a duration is a number with ms, s, m or h (e.g. 30s), got '" + v + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    // ---- small typed readers; each error names its location -------------------------------------------------

    private static YamlNode map(YamlNode n, String what) {
        if (n.type != YamlNode.Type.MAP) {
            throw n.error(what + " must be a mapping, found " + n.describe());
        }
        return n;
    }

    private static void allow(YamlNode n, List<String> allowed, String what) {
        for (Map.Entry<String, YamlNode> k : n.keys.entrySet()) {
            if (!allowed.contains(k.getKey())) {
                throw k.getValue().error("unknown key '" + k.getKey() + "' in " + what + "; allowed: " + allowed);
            }
        }
    }

    private static YamlNode required(YamlNode n, String key, String what) {
        YamlNode v = n.map.get(key);
        if (v == null || v.type == YamlNode.Type.NULL) {
            throw n.error(what + " is missing the required key '" + key + "'");
        }
        return v;
    }

    private String req(YamlNode n, String key, String what) {
        return text(required(n, key, what), key);
    }

    private String opt(YamlNode n, String key) {
        YamlNode v = n.map.get(key);
        return v == null || v.type == YamlNode.Type.NULL ? null : text(v, key);
    }

    private String text(YamlNode n, String key) {
        if (n.type != YamlNode.Type.SCALAR) {
            throw n.error("'" + key + "' must be a single value, found " + n.describe());
        }
        return expand(n, false);
    }

    /**
     * The scalar with its variables replaced; with {@code hideSecrets}, those named like secrets ({@link
     * Redaction#secretVariable}) or whose value looks like one ({@link Redaction#secretValue}) stay as written.
     */
    private String expand(YamlNode n, boolean hideSecrets) {
        Matcher m = VARIABLE.matcher(n.scalar);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (hideSecrets && Redaction.secretVariable(name)) {
                m.appendReplacement(out, Matcher.quoteReplacement("${" + name + "}"));
                continue;
            }
            String value = variables.apply(name);
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                throw n.error("variable ${" + name + "} is not set (give it a value, or a default: ${" + name
                        + ":-value})");
            }
            if (hideSecrets && Redaction.secretValue(value)) {
                value = "${" + name + "}";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private List<String> strings(YamlNode n, String key) {
        if (n == null || n.type == YamlNode.Type.NULL) {
            return List.of();
        }
        if (n.type == YamlNode.Type.SCALAR) {
            return java.util.Arrays.stream(text(n, key).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                    .toList();
        }
        if (n.type != YamlNode.Type.LIST) {
            throw n.error("'" + key + "' must be a list, found " + n.describe());
        }
        List<String> out = new ArrayList<>();
        for (YamlNode i : n.list) {
            out.add(text(i, key));
        }
        return out;
    }

    private Map<String, String> options(YamlNode n, String key) {
        YamlNode v = n.map.get(key);
        if (v == null || v.type == YamlNode.Type.NULL) {
            return Map.of();
        }
        map(v, "'" + key + "'");
        Map<String, String> out = new TreeMap<>();
        v.map.forEach((k, val) -> out.put(k, text(val, key + "." + k)));
        return out;
    }

    private String oneOf(YamlNode n, String key, String dflt, List<String> allowed) {
        YamlNode v = n.map.get(key);
        if (v == null || v.type == YamlNode.Type.NULL) {
            return dflt;
        }
        String s = text(v, key).toLowerCase(Locale.ROOT);
        if (!Set.copyOf(allowed).contains(s)) {
            throw v.error("'" + key + "' must be one of " + allowed + ", got '" + s + "'");
        }
        return s;
    }

    private int integer(YamlNode n, String key, int dflt) {
        YamlNode v = n.map.get(key);
        if (v == null || v.type == YamlNode.Type.NULL) {
            return dflt;
        }
        try {
            return Integer.parseInt(text(v, key).trim());
        } catch (NumberFormatException e) {
            throw v.error("'" + key + "' must be a whole number, got " + v.describe());
        }
    }
}
