package dev.caravan.camel.objects;

import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.camel.FiniteConsumer;
import dev.caravan.camel.support.OptionValues;
import dev.caravan.core.journal.JdbcJournal;
import dev.caravan.core.plan.DiffEntry;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlannedTask;
import dev.caravan.core.plan.Planner;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * On each poll, plans the store against the {@code target} store with core's {@link Planner} (the one diff of
 * Caravan) and emits one exchange per object to move: body the {@link ObjectInfo}, headers key, size, action
 * (COPY, REPLACE, or DELETE in sync mode), reason and task id. Without a target every listed object is a COPY.
 * Temporary objects an interrupted copy left on the target are removed by the consumer itself, not emitted.
 *
 * <p>With a journal (see the endpoint's {@code journal} option) a pass is a run of the engine's journal: the plan
 * goes into the journal first, then one exchange per open task (copies and replaces, then deletes, each in task-id
 * order; headers also carry the run id), each task committed or failed with its exchange, and the run finished
 * when the pass is done. A pass cut short (the route stopped or suspended) leaves the run unfinished; the next
 * pass takes it up and skips what it already did. Without a journal, exchanges come straight from the plan in key
 * order.
 *
 * <p>Exchanges are processed one after the other; a failed exchange goes to the exception handler and the pass
 * continues. With {@code once=true} the consumer does a single pass and then reports itself {@link #finished()}.
 */
public class ObjectsConsumer extends ScheduledPollConsumer implements FiniteConsumer {
    private static final Map<String, String> REASONS = Map.of(PlannedTask.COPY, "missing on target",
            PlannedTask.REPLACE, "differs from the target", PlannedTask.DELETE, "not on source",
            PlannedTask.METADATA, "same bytes, other attributes than the target's");

    private volatile boolean polled;
    private volatile boolean finished;

    public ObjectsConsumer(CaravanObjectsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public CaravanObjectsEndpoint getEndpoint() {
        return (CaravanObjectsEndpoint) super.getEndpoint();
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public void run() {
        try {
            super.run();
        } finally {
            // after Camel has handed a failed poll to the exception handler, so a runner that waits for this
            // consumer to finish sees the failure too
            if (polled && getEndpoint().isOnce()) {
                finished = true;
            }
        }
    }

    @Override
    protected int poll() throws Exception {
        polled = true;
        return pass();
    }

    private int pass() {
        CaravanObjectsEndpoint endpoint = getEndpoint();
        Optional<JdbcJournal> journal = endpoint.consumerJournal();
        String prefix = endpoint.getPrefix() == null ? "" : endpoint.getPrefix();
        String targetLocation = OptionValues.text(endpoint.getTarget());
        ObjectStore source = PrefixedStore.of(endpoint.store(), prefix);
        ObjectStore target = targetLocation == null ? new NoTarget()
                : PrefixedStore.of(endpoint.targetStore(targetLocation), prefix);
        MigrationSpec spec = endpoint.consumerSpec(source.uri(), target.uri(), getRouteId());
        try (Planner planner = new Planner(spec, source, target)) {
            Iterator<PlannedTask> tasks = planner.tasks();
            if (!tasks.hasNext()) {
                return 0; // nothing to do: no run either, so an idle scheduled consumer leaves the journal alone
            }
            Emitter emitter = new Emitter(source.uri(), targetLocation);
            return journal.isPresent()
                    ? journalPass(JournalPass.start(journal.get(), migrationId(spec, prefix), spec.name(), tasks),
                            source, target, emitter)
                    : plainPass(tasks, target, emitter);
        }
    }

    private int plainPass(Iterator<PlannedTask> tasks, ObjectStore target, Emitter emitter) {
        int emitted = 0;
        while (emitting() && tasks.hasNext()) {
            PlannedTask task = tasks.next();
            DiffEntry entry = task.entry();
            if (PlannedTask.CLEANUP.equals(task.spec().action())) {
                target.delete(task.spec().item());
                continue;
            }
            ObjectInfo body = PlannedTask.DELETE.equals(task.spec().action()) ? entry.target() : entry.source();
            emitter.emit(task.spec(), body, entry.reason(), null);
            emitted++;
        }
        return emitted;
    }

    private int journalPass(JournalPass pass, ObjectStore source, ObjectStore target, Emitter emitter) {
        int emitted = 0;
        for (boolean deletes : new boolean[] {false, true}) {
            try (Stream<TaskRecord> open = pass.openTasks()) {
                Iterator<TaskRecord> it = open.iterator();
                while (it.hasNext()) {
                    if (!emitting()) {
                        return emitted; // the run stays unfinished: the next pass takes it up
                    }
                    TaskSpec task = it.next().spec();
                    boolean delete = PlannedTask.DELETE.equals(task.action());
                    if (delete != deletes) {
                        continue;
                    }
                    if (PlannedTask.CLEANUP.equals(task.action())) {
                        target.delete(task.item());
                        pass.complete(task, Map.of("cleanup.reason", "temporary object of an interrupted copy"));
                        continue;
                    }
                    Optional<ObjectInfo> body = (delete ? target : source).stat(task.item());
                    if (body.isEmpty()) {
                        pass.skip(task, "gone from the " + (delete ? "target" : "source") + " since planning");
                        continue;
                    }
                    emitter.emit(task, body.get(), REASONS.getOrDefault(task.action(), ""), pass);
                    emitted++;
                }
            }
        }
        pass.listed();
        return emitted;
    }

    /** False once the route is stopping or suspended: the pass ends early. */
    private boolean emitting() {
        return isRunAllowed() && !isSuspendingOrSuspended();
    }

    /**
     * The journal identity of this consumer's passes: the migration's id (source, target, mode, filters, compare)
     * and the prefix, marked as a consumer's, so that a {@code caravan:migrate} of the same stores, or a consumer
     * of another prefix, keeps runs of its own.
     */
    static String migrationId(MigrationSpec spec, String prefix) {
        // TaskId.of is a deterministic digest of its three parts; 16 hex characters as in MigrationSpec's ids
        return "objects-" + TaskId.of(spec.migrationId(), prefix, "caravan-objects").value().substring(0, 16);
    }

    /** Emits exchanges with the headers every pass sets. */
    private final class Emitter {
        private final String sourceUri;
        private final String targetLocation;

        Emitter(String sourceUri, String targetLocation) {
            this.sourceUri = sourceUri;
            this.targetLocation = targetLocation;
        }

        void emit(TaskSpec task, ObjectInfo body, String reason, JournalPass pass) {
            Exchange exchange = createExchange(false);
            Synchronization completion = null;
            try {
                Message in = exchange.getIn();
                in.setBody(body);
                in.setHeader(ObjectsConstants.KEY, task.item());
                in.setHeader(ObjectsConstants.SIZE, body.size());
                in.setHeader(ObjectsConstants.ACTION, task.action());
                in.setHeader(ObjectsConstants.REASON, reason);
                in.setHeader(ObjectsConstants.TASK_ID, task.id().value());
                in.setHeader(ObjectsConstants.SOURCE_STORE, sourceUri);
                if (targetLocation != null) {
                    in.setHeader(ObjectsConstants.TARGET_STORE, targetLocation);
                }
                if (pass != null) {
                    in.setHeader(ObjectsConstants.RUN_ID, pass.runId());
                    completion = pass.begin(task);
                    exchange.getExchangeExtension().addOnCompletion(completion);
                }
                try {
                    getProcessor().process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                    if (completion != null) {
                        completion.onFailure(exchange); // settles once, should the unit of work not have run
                    }
                }
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("Error processing " + task.action() + " of '"
                            + task.item() + "'", exchange, exchange.getException());
                }
            } finally {
                releaseExchange(exchange, false);
            }
        }
    }
}
