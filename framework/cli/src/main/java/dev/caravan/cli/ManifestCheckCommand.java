package dev.caravan.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.manifest.ManifestChecker;
import dev.caravan.core.manifest.ManifestSignatures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan manifest check FILE LOCATION}: the manifest's own integrity (chain digest, signature), then every
 * object of LOCATION against it. Exit 0 all match; 1 a difference, a changed manifest or a bad signature; 2 bad input.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks FILE (its chain digest, and its signature FILE.sig with --verify-key), then LOCATION "
                + "against it: every listed object present with the same size and SHA-256; missing, differing and "
                + "extra objects are printed one by one.",
            "Without --deep, a SHA-256 the store has stored is trusted (on the manifest's own location only while "
                    + "the object's ETag is the one in the manifest); with --deep every object is read.",
            "Exit code 0: all match; 1: a difference, a changed manifest or a bad signature; 2: bad input."})
final class ManifestCheckCommand implements Callable<Integer> {
    /** Problems printed as text (the others are counted); as JSON, {@link #JSON_PROBLEMS}. */
    static final int TEXT_PROBLEMS = 50;
    static final int JSON_PROBLEMS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @ParentCommand
    ManifestCommand manifest;

    @Parameters(index = "0", paramLabel = "FILE", description = "The manifest.")
    Path file;

    @Parameters(index = "1", paramLabel = "LOCATION", description = "The location to check, e.g. s3:new-bucket/data.")
    String location;

    @Option(names = {"--target-option", "--option"}, paramLabel = "KEY=VALUE",
            description = "A connector option of LOCATION.")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--deep", description = "Read and hash every object, trusting no stored digest.")
    boolean deep;

    @Option(names = "--verify-key", paramLabel = "PUB",
            description = "Check the signature FILE.sig with this Ed25519 public key (PEM) first.")
    Path verifyKey;

    @Option(names = "--transfers", paramLabel = "N", defaultValue = "" + ManifestCommand.DEFAULT_TRANSFERS,
            description = "Objects read at once to hash them (default: ${DEFAULT-VALUE}).")
    int transfers;

    @Option(names = "--json", description = "Print the verdict as one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        RepeatedOptions.refuse(spec, "--target-option");
        Console console = manifest.root.console();
        ManifestChecker.Result result;
        try {
            if (verifyKey != null) {
                ManifestSignatures.verify(file, verifyKey);
            }
            try (ObjectStore store = ManifestCommand.open(location, options)) {
                result = ManifestChecker.check(file, store, new ManifestChecker.Options(transfers, deep,
                        json ? JSON_PROBLEMS : TEXT_PROBLEMS));
            }
        } catch (MigrationException e) {
            if (e.kind() != ErrorKind.VERIFICATION_FAILED) {
                throw e; // bad input: exit 2 from the error handler
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("manifest", file.toString());
                doc.put("location", location);
                doc.put("verdict", "tampered");
                doc.put("problem", e.getMessage());
                console.print(toJson(doc));
            } else {
                console.error(e.getMessage());
            }
            return Main.FAILED;
        }
        if (json) {
            console.print(toJson(document(result)));
        } else {
            print(console, result);
        }
        return result.clean() ? Main.OK : Main.FAILED;
    }

    private void print(Console console, ManifestChecker.Result result) {
        VerificationReport report = result.report();
        List<String> lines = new ArrayList<>();
        lines.add("manifest " + file + " (" + result.header().location() + ", " + result.header().created() + "), "
                + location + ": " + Formats.plural(result.footer().objects(), "listed object") + ": "
                + counts(report) + "; " + Formats.count(result.objectsRead()) + " read"
                + (verifyKey != null ? "; signature valid" : ""));
        for (VerificationItem item : report.problems()) {
            lines.add("  " + label(item.outcome()) + "  " + item.item() + RunPrinter.detail(item));
        }
        long more = report.droppedProblems();
        if (more > 0) {
            lines.add("  ... and " + Formats.count(more) + " more");
        }
        if (report.clean()) {
            lines.forEach(console::info);
            return;
        }
        lines.forEach(console::printLine);
        long bad = report.total() - report.count(VerificationOutcome.MATCH);
        console.error("check of " + location + " against " + file + " found " + Formats.count(bad)
                + (bad == 1 ? " difference" : " differences"));
    }

    private Map<String, Object> document(ManifestChecker.Result result) {
        VerificationReport report = result.report();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("manifest", file.toString());
        doc.put("location", location);
        doc.put("manifestLocation", result.header().location());
        doc.put("manifestCreated", result.header().created().toString());
        doc.put("verdict", report.clean() ? "match" : "differ");
        doc.put("signature", verifyKey == null ? "not checked" : "valid");
        doc.put("listedObjects", result.footer().objects());
        Map<String, Long> counts = new LinkedHashMap<>();
        for (VerificationOutcome o : VerificationOutcome.values()) {
            counts.put(label(o), report.count(o));
        }
        doc.put("counts", counts);
        doc.put("objectsRead", result.objectsRead());
        List<Map<String, String>> problems = new ArrayList<>();
        for (VerificationItem item : report.problems()) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("item", item.item());
            p.put("outcome", label(item.outcome()));
            p.put("method", item.method());
            p.put("detail", item.detail());
            problems.add(p);
        }
        doc.put("problems", problems);
        doc.put("problemsLeftOut", report.droppedProblems());
        return doc;
    }

    private static String counts(VerificationReport report) {
        List<String> parts = new ArrayList<>();
        for (VerificationOutcome o : VerificationOutcome.values()) {
            if (report.count(o) > 0) {
                parts.add(Formats.count(report.count(o)) + " " + label(o));
            }
        }
        return parts.isEmpty() ? "nothing to check" : String.join(", ", parts);
    }

    /** The outcome as a manifest check names it: the manifest is the source, LOCATION the target. */
    static String label(VerificationOutcome outcome) {
        return switch (outcome) {
            case MATCH -> "match";
            case DIFFER -> "differ";
            case MISSING_ON_TARGET -> "missing";
            case MISSING_ON_SOURCE -> "extra";
            case ERROR -> "error";
        };
    }

    private static String toJson(Object doc) {
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
