package dev.caravan.cli;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.manifest.ManifestFooter;
import dev.caravan.core.manifest.ManifestMaker;
import dev.caravan.core.manifest.ManifestSignatures;
import dev.caravan.core.registry.ConnectorRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan manifest write|check|keygen}: an evidence bundle for a migration, a signed list of every object of a
 * location with its SHA-256, that proves months later, without the source, that the target still holds what was
 * moved. The work is done by {@code dev.caravan.core.manifest}.
 */
@Command(name = "manifest", mixinStandardHelpOptions = true,
        description = {"Writes or checks a manifest: every object of a location with its size and SHA-256, in a "
                + "tamper-evident JSON Lines file, optionally signed (Ed25519).",
            "Exit codes of check: 0 all match, 1 a difference, a changed manifest or a bad signature, 2 bad input."},
        subcommands = {ManifestCommand.Write.class, ManifestCheckCommand.class, ManifestCommand.Keygen.class})
final class ManifestCommand implements Callable<Integer> {
    /** Objects read at once when {@code --transfers} is not given. */
    static final int DEFAULT_TRANSFERS = 4;

    @Spec
    CommandSpec spec;

    @ParentCommand
    CaravanCommand root;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: write, check or keygen (try 'caravan manifest --help')");
    }

    /** Opens a location with its connector options (an unknown scheme or option is bad input, exit 2). */
    static ObjectStore open(String location, Map<String, String> options) {
        return ConnectorRegistry.load().openStore(location, options);
    }

    /** {@code caravan manifest write LOCATION FILE}. */
    @Command(name = "write", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Lists LOCATION and writes FILE: one JSON line per object (key, size, SHA-256, "
                    + "modification time, ETag) between a header and a final line with the object count, the total "
                    + "bytes and a chain digest over all lines.",
                "The SHA-256 is taken from where Caravan trusts it without reading (a native SHA-256, or the "
                        + "caravan-sha256 metadata of a verified Caravan copy), else computed by reading the object."})
    static final class Write implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        ManifestCommand manifest;

        @Parameters(index = "0", paramLabel = "LOCATION", description = "The location to list, e.g. s3:bucket/data.")
        String location;

        @Parameters(index = "1", paramLabel = "FILE", description = "The manifest to write (replaced if it exists).")
        Path file;

        @Option(names = {"--source-option", "--option"}, paramLabel = "KEY=VALUE",
                description = "A connector option of LOCATION.")
        Map<String, String> options = new LinkedHashMap<>();

        @Option(names = "--transfers", paramLabel = "N", defaultValue = "" + DEFAULT_TRANSFERS,
                description = "Objects read at once to hash them (default: ${DEFAULT-VALUE}).")
        int transfers;

        @Option(names = "--deep", description = "Read and hash every object, trusting no stored digest.")
        boolean deep;

        @Option(names = "--sign", paramLabel = "KEY",
                description = "Sign FILE with this Ed25519 private key (PEM, PKCS#8): writes FILE.sig.")
        Path signKey;

        @Override
        public Integer call() {
            RepeatedOptions.refuse(spec, "--source-option");
            if (signKey != null) {
                ManifestSignatures.requirePrivateKey(signKey); // before a long listing
            }
            Console console = manifest.root.console();
            ManifestMaker.Summary summary;
            try (ObjectStore store = open(location, options)) {
                summary = ManifestMaker.write(store, file, new ManifestMaker.Options(transfers, deep,
                        "caravan " + VersionProvider.version()));
            }
            ManifestFooter f = summary.footer();
            console.info("manifest " + file + ": " + Formats.plural(f.objects(), "object") + ", "
                    + Formats.count(f.bytes()) + " bytes; " + Formats.count(summary.objectsRead()) + " read to hash"
                    + " them, the others had a stored SHA-256");
            console.info("chain digest " + f.chain());
            if (signKey != null) {
                console.info("signature " + ManifestSignatures.sign(file, signKey));
            } else {
                removeStaleSignature(console);
            }
            return Main.OK;
        }

        /**
         * A signature beside FILE from an earlier write signs other bytes: left there, a check with a public key
         * would call this new, unsigned manifest tampered with. It goes, and the user is told.
         */
        private void removeStaleSignature(Console console) {
            Path sig = ManifestSignatures.signatureOf(file);
            try {
                if (java.nio.file.Files.deleteIfExists(sig)) {
                    console.warn("removed " + sig + ": it signed the manifest written there before (this one is not"
                            + " signed; --sign KEY signs it)");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot remove the old signature " + sig + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** {@code caravan manifest keygen PREFIX}. */
    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Writes a new Ed25519 key pair: PREFIX.key (private, PKCS#8 PEM, readable by its owner only) "
                    + "and PREFIX.pub (public, X.509 PEM). Existing files are not replaced.")
    static final class Keygen implements Callable<Integer> {
        @ParentCommand
        ManifestCommand manifest;

        @Parameters(paramLabel = "PREFIX", description = "Path and name of the two key files, e.g. keys/migration.")
        String prefix;

        @Override
        public Integer call() {
            Path[] files = ManifestSignatures.generate(prefix);
            manifest.root.console().info("private key " + files[0] + " (keep it secret), public key " + files[1]);
            return Main.OK;
        }
    }
}
