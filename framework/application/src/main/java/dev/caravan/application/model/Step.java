package dev.caravan.application.model;

import java.util.List;
import java.util.Map;

/**
 * One step of an application plan. Every step has an id unique in the plan, the ids it runs after, and hooks run
 * before and after each of its passes (warm and final).
 */
public sealed interface Step permits Step.Files, Step.Database, Step.Config, Step.Vm {

    String id();

    List<String> after();

    HookPair hooks();

    /** {@code files}, {@code database}, {@code config} or {@code vm}. */
    String kind();

    /** {@code file:line:column} of the step in the plan. */
    String location();

    /** Whether the step moves data (takes part in the warm and final passes). */
    default boolean moves() {
        return true;
    }

    /**
     * An object migration run by the core engine.
     *
     * @param mode      {@code copy} or {@code sync} (sync deletes target objects missing on the source; every
     *                  object it overwrites or deletes is backed up first, so a rollback restores it)
     * @param transfers objects moved at once
     */
    record Files(String id, List<String> after, HookPair hooks, String from, Map<String, String> fromOptions,
            String to, Map<String, String> toOptions, String mode, int transfers, String location) implements Step {
        public Files {
            after = List.copyOf(after);
            fromOptions = Map.copyOf(fromOptions);
            toOptions = Map.copyOf(toOptions);
        }

        @Override
        public String kind() {
            return "files";
        }
    }

    /**
     * A record migration of a whole database (or the tables matched by include/exclude) run by the core record
     * engine, incremental by key or updated-at column when {@code incrementalColumn} is set.
     *
     * @param incrementalColumn the increasing key or updated-at column, or {@code null}: then the final pass
     *                          reloads the tables (target mode replace)
     * @param incrementalMode   {@code key} or {@code updated-at}
     * @param verify            {@code digest}, {@code count} (no {@code none}: an application step is verified)
     */
    record Database(String id, List<String> after, HookPair hooks, String from, Map<String, String> fromOptions,
            String to, Map<String, String> toOptions, List<String> include, List<String> exclude,
            String incrementalColumn, String incrementalMode, String verify, int parallelism, String location)
            implements Step {
        public Database {
            after = List.copyOf(after);
            fromOptions = Map.copyOf(fromOptions);
            toOptions = Map.copyOf(toOptions);
            include = List.copyOf(include);
            exclude = List.copyOf(exclude);
        }

        @Override
        public String kind() {
            return "database";
        }
    }

    /**
     * Configuration files copied from the source environment with declared substitutions.
     *
     * @param files         keys of the files, relative to {@code from} and {@code to}
     * @param substitutions changes applied in order
     */
    record Config(String id, List<String> after, HookPair hooks, String from, Map<String, String> fromOptions,
            String to, Map<String, String> toOptions, List<String> files, List<Substitution> substitutions,
            String location) implements Step {
        public Config {
            after = List.copyOf(after);
            fromOptions = Map.copyOf(fromOptions);
            toOptions = Map.copyOf(toOptions);
            files = List.copyOf(files);
            substitutions = List.copyOf(substitutions);
        }

        @Override
        public String kind() {
            return "config";
        }
    }

    /**
     * The application's VM moved between hypervisors by the core's cold migration (libvirt connector): preflight in
     * the warm phase, the move itself in the final phase (see {@code VmStepRunner}).
     *
     * @param from    source hypervisor URI, e.g. {@code libvirt:qemu+tcp://127.0.0.1:16509/system}
     * @param to      target hypervisor URI
     * @param domain  the VM's name
     * @param options {@code source.<name>} / {@code target.<name>} connector options, cold-migration options
     *                ({@code shutdownTimeout}, {@code force}, {@code startTimeout}, {@code bandwidth},
     *                {@code linkBandwidth}, {@code transfers}) and {@code removeSource}; checked when the run starts
     */
    record Vm(String id, List<String> after, HookPair hooks, String from, String to, String domain,
            Map<String, String> options, String location) implements Step {
        public Vm {
            after = List.copyOf(after);
            options = Map.copyOf(options);
        }

        @Override
        public String kind() {
            return "vm";
        }
    }
}
