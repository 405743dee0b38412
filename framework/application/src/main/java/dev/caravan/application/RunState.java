package dev.caravan.application;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The durable progress of one cutover: {@code <run>/cutover.json}, rewritten (temporary file, fsync, atomic
 * rename) at every point the saga reaches: the status ({@code RUNNING} until the run ends), the point reached, the
 * participants that joined the saga in order ({@code step:<id>}, {@code hook:<label>}: what a rollback must
 * compensate), the passes that completed, and the process id. A run killed mid-cutover leaves {@code RUNNING}
 * behind; the next run of the application finds it ({@link #unfinished}) and rolls it back ({@link CutoverRecovery}).
 * Each step's own rollback snapshot lives next to it ({@code <run>/rollback/<step>.json}, {@link #saveSnapshot}).
 *
 * <p>Why a file and not the journal: the journal's SPI tracks transfer tasks (begin, checkpoint, complete); a saga's
 * participants and their compensation data are another shape, the state must survive a rollback of the run's own
 * journal database, and a small JSON file next to the journal can be read by a person deciding what to do. Thread-
 * safe (compensations run on the saga's threads).
 */
final class RunState {
    static final String FILE = "cutover.json";
    static final String RUNNING = "RUNNING";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path runDir;
    private final Map<String, Object> state = new LinkedHashMap<>();
    private final List<String> participants = new ArrayList<>();
    private final List<String> passes = new ArrayList<>();

    private RunState(Path runDir) {
        this.runDir = runDir;
    }

    /** Starts the state of a new run (status RUNNING) and writes it. */
    static RunState start(Path runDir, String application, String runId, Path plan) {
        RunState s = new RunState(runDir);
        s.state.put("application", application);
        s.state.put("runId", runId);
        s.state.put("plan", String.valueOf(plan));
        s.state.put("pid", ProcessHandle.current().pid());
        s.state.put("status", RUNNING);
        s.state.put("point", "before the warm phase");
        s.state.put("participants", s.participants);
        s.state.put("passes", s.passes);
        s.write();
        return s;
    }

    synchronized void point(String point) {
        state.put("point", point);
        write();
    }

    /** A participant joins the saga: from now on a rollback compensates it. Written before it changes anything. */
    synchronized void joined(String participant) {
        participants.add(participant);
        write();
    }

    synchronized void passed(String stepId, String phase) {
        passes.add(stepId + " " + phase);
        write();
    }

    /** The run ended (COMPLETE, ROLLED_BACK, ROLLBACK_INCOMPLETE): a later run has nothing to recover. */
    synchronized void finish(String status) {
        state.put("status", status);
        write();
    }

    private void write() {
        state.put("updated", Instant.now().toString());
        try {
            write(runDir.resolve(FILE), JSON.writeValueAsBytes(state));
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot record the cutover's progress in " + runDir + ": " + e);
        }
    }

    /**
     * Writes a file durably: a temporary sibling, fsync, atomic rename. Readable by its owner only (where the file
     * system has POSIX permissions): a rollback snapshot holds what the target had, e.g. the previous content of a
     * config file with its passwords.
     */
    static void write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // created afresh below, so that it gets the owner-only permissions
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel ch = FileChannel.open(tmp, options, OwnerOnly.file(tmp))) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A step's rollback snapshot (what its compensation needs), saved durably under the run directory. */
    static void saveSnapshot(Path runDir, String stepId, Map<String, Object> snapshot) {
        try {
            write(runDir.resolve("rollback").resolve(stepId + ".json"), JSON.writeValueAsBytes(snapshot));
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot save the rollback snapshot of step '" + stepId + "' in "
                    + runDir + ": " + e);
        }
    }

    /** The snapshot {@link #saveSnapshot} wrote, or {@code null} when the step saved none. */
    static Map<String, Object> loadSnapshot(Path runDir, String stepId) {
        Path f = runDir.resolve("rollback").resolve(stepId + ".json");
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return JSON.readValue(f.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot read the rollback snapshot " + f + ": " + e.getMessage());
        }
    }

    /** What a killed run left: its directory and state. */
    record Saved(Path runDir, String runId, long pid, String point, List<String> participants) {
    }

    /** Runs of the application (under {@code appDir}) whose state still says RUNNING, oldest first. */
    static List<Saved> unfinished(Path appDir) {
        return withStatus(appDir, RUNNING);
    }

    /**
     * The newest run of the application (under {@code appDir}) that completed its cutover, or {@code null}: after it
     * the target is the live application, which a new run must not freeze, overwrite or roll back.
     */
    static Saved completed(Path appDir) {
        List<Saved> done = withStatus(appDir, ApplicationReport.Outcome.COMPLETE.name());
        return done.isEmpty() ? null : done.get(done.size() - 1);
    }

    private static List<Saved> withStatus(Path appDir, String status) {
        List<Saved> out = new ArrayList<>();
        if (!Files.isDirectory(appDir)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(appDir)) {
            for (Path dir : dirs.filter(d -> Files.exists(d.resolve(FILE))).sorted().toList()) {
                Map<String, Object> m = JSON.readValue(dir.resolve(FILE).toFile(),
                        new TypeReference<Map<String, Object>>() { });
                if (status.equals(m.get("status"))) {
                    @SuppressWarnings("unchecked")
                    List<String> p = (List<String>) m.get("participants");
                    out.add(new Saved(dir, String.valueOf(m.get("runId")), ((Number) m.get("pid")).longValue(),
                            String.valueOf(m.get("point")), p == null ? List.of() : List.copyOf(p)));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw MigrationException.userConfig("cannot read the state of earlier runs in " + appDir + ": " + e);
        }
        return out;
    }

    /** Marks a recovered run's state with how its recovery ended. */
    static void mark(Path runDir, String status, List<String> recovery) {
        Path f = runDir.resolve(FILE);
        try {
            Map<String, Object> m = JSON.readValue(f.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
            m.put("status", status);
            m.put("recoveredBy", ProcessHandle.current().pid());
            m.put("recovery", recovery);
            m.put("updated", Instant.now().toString());
            write(f, JSON.writeValueAsBytes(m));
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot update " + f + ": " + e.getMessage());
        }
    }
}
