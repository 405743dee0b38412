package dev.caravan.core.vm;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.StoreRef;
import dev.caravan.api.vm.VmDisk;
import dev.caravan.core.registry.ConnectorRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a cold migration does once the domain runs on the target, past its point of no return: remove the domain's
 * definition from the source and delete its copied source volumes (never a volume both hosts see). It is recorded as
 * resume state before its first step ({@link #state()}, keys {@code cold.*}), so that a rerun after a process killed
 * in the middle, which finds the domain gone from the source, finishes it ({@link #fromState}) instead of looking for
 * the domain there. Every step may run again: a definition already gone and a volume already deleted are skipped.
 *
 * @param undefine whether the source's definition is removed
 * @param volumes  the source volumes to delete, by pool
 */
record SourceRemoval(boolean undefine, Map<String, List<String>> volumes) {
    /** Resume-state key: the step a cold migration was at; {@link #STEP_REMOVE} past the point of no return. */
    static final String STEP = "cold.step";
    static final String STEP_REMOVE = "removeSource";
    static final String UNDEFINE = "cold.undefineSource";
    /** Resume-state key: the volumes to delete, {@code pool/volume} comma-separated. */
    static final String DELETE = "cold.deleteVolumes";

    SourceRemoval {
        Map<String, List<String>> copy = new TreeMap<>();
        volumes.forEach((pool, vols) -> copy.put(pool, List.copyOf(vols)));
        volumes = Map.copyOf(copy);
    }

    /** The removal a move with these options does, for the volumes it copied (by pool). */
    static SourceRemoval of(boolean undefine, boolean deleteVolumes, Map<String, List<VmDisk>> copied) {
        Map<String, List<String>> volumes = new TreeMap<>();
        if (deleteVolumes) {
            copied.forEach((pool, disks) -> volumes.put(pool, disks.stream().map(VmDisk::volume).toList()));
        }
        return new SourceRemoval(undefine, volumes);
    }

    /** The resume state that records this removal. */
    Map<String, String> state() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(STEP, STEP_REMOVE);
        s.put(UNDEFINE, Boolean.toString(undefine));
        s.put(DELETE, volumes.entrySet().stream().flatMap(e -> e.getValue().stream().map(v -> e.getKey() + "/" + v))
                .collect(Collectors.joining(",")));
        return s;
    }

    /** The removal a killed run recorded, or empty when it had not passed the point of no return. */
    static Optional<SourceRemoval> fromState(Map<String, String> state) {
        if (state == null || !STEP_REMOVE.equals(state.get(STEP))) {
            return Optional.empty();
        }
        Map<String, List<String>> volumes = new TreeMap<>();
        String listed = state.getOrDefault(DELETE, "");
        for (String pv : listed.isBlank() ? new String[0] : listed.split(",")) {
            int slash = pv.indexOf('/');
            volumes.computeIfAbsent(pv.substring(0, slash), k -> new ArrayList<>()).add(pv.substring(slash + 1));
        }
        return Optional.of(new SourceRemoval(Boolean.parseBoolean(state.get(UNDEFINE)), volumes));
    }

    /** The volumes as {@code pool/volume}, comma-separated (a result's detail). */
    String volumeList() {
        return state().get(DELETE);
    }

    /** Runs the removal (again): what is already gone is skipped. */
    void run(Hypervisor source, String name, ConnectorRegistry registry, PhaseClock clock) {
        if (undefine) {
            if (source.find(name).isPresent()) {
                source.undefine(name);
            }
            clock.lap("undefine");
        }
        for (Map.Entry<String, List<String>> e : volumes.entrySet()) {
            StoreRef ref = source.volumeStore(e.getKey());
            try (ObjectStore store = registry.openStore(ref.uri(), ref.options())) {
                e.getValue().forEach(store::delete); // deleting a missing object is no error
            }
        }
        if (!volumes.isEmpty()) {
            clock.lap("deleteSourceVolumes");
        }
    }

    /**
     * A failure of the removal: the domain runs on the target, so it is no refusal (never bad input), and a rerun
     * finishes what is left.
     */
    static MigrationException failed(RuntimeException e, String name, String target) {
        ErrorKind kind = e instanceof MigrationException m && !ColdMigration.refusal(m.kind()) ? m.kind()
                : ErrorKind.FATAL;
        return new MigrationException(kind, "cold migration of " + name + ": it runs on " + target + ", but removing"
                + " it from the source failed: " + e.getMessage() + "; run the move again to finish (it removes what"
                + " is left)", e);
    }
}
