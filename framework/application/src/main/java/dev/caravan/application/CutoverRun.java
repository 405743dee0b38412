package dev.caravan.application;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.application.model.ApplicationSpec;
import dev.caravan.application.model.Hook;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SagaPropagation;
import org.apache.camel.saga.CamelSagaService;
import org.apache.camel.saga.InMemorySagaService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application run as a Camel saga. The main route ({@code REQUIRES_NEW}) calls, in order: the warm pass of
 * every step (each step's route joins the saga with its own compensation endpoint), the freeze hooks, the final
 * pass of every step, the verification of every step, the switch hooks; phase and step hooks around them. A hook
 * with a {@code compensate:} hook joins the saga too. Any exception, or a verification mismatch, ends the saga:
 * Camel's {@link InMemorySagaService} calls the compensation endpoints of the participants that joined, in reverse
 * order, and the run returns a report that names the failing point and each compensation.
 */
final class CutoverRun {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverRun.class);

    private final ApplicationSpec spec;
    private final List<StepRunner> runners;
    private final CamelContext camel;
    private final HookRunner hooks;
    private final RunState state;
    private final String prefix;
    private final List<String> routeIds = new ArrayList<>();
    private final Map<String, Map<String, Map<String, Object>>> figures = new LinkedHashMap<>();
    private final Map<String, Verdict> verdicts = new LinkedHashMap<>();
    private final Map<String, String> compensated = new LinkedHashMap<>();
    private final List<String> compensations = new CopyOnWriteArrayList<>();
    private final List<ApplicationReport.HookReport> hookReports = new CopyOnWriteArrayList<>();
    private volatile String failedAt;
    private volatile String failingStep;
    private volatile int joined;
    private int hookCount;

    CutoverRun(ApplicationSpec spec, List<StepRunner> runners, CamelContext camel, HookRunner hooks, RunState state,
            String runId) {
        this.spec = spec;
        this.runners = runners;
        this.camel = camel;
        this.hooks = hooks;
        this.state = state;
        this.prefix = "caravan-app-" + runId;
        runners.forEach(r -> figures.put(r.step().id(), new LinkedHashMap<>()));
    }

    /** Runs the saga; fills the report's parts. Returns the failure, or {@code null} when the run completed. */
    Throwable execute() throws Exception {
        if (camel.hasService(CamelSagaService.class) == null) {
            InMemorySagaService saga = new InMemorySagaService();
            saga.setMaxRetryAttempts(1);
            saga.setRetryDelayInMilliseconds(100);
            camel.addService(saga, true, true);
        }
        camel.addRoutes(new Routes());
        for (String id : routeIds) {
            if (!camel.getRouteController().getRouteStatus(id).isStarted()) {
                camel.getRouteController().startRoute(id); // a context may add routes without starting them
            }
        }
        try (ProducerTemplate template = camel.createProducerTemplate()) {
            Exchange done = template.request("direct:" + prefix, e -> { });
            Throwable failure = done.getException();
            if (failure != null) {
                awaitCompensations();
            } else {
                // switched: from now on a kill must not make the next run roll the live application back
                state.finish(ApplicationReport.Outcome.COMPLETE.name());
                completeAll();
            }
            return failure;
        } finally {
            for (String id : routeIds) {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            }
        }
    }

    /** The saga service compensates before it answers; this bounds the wait should an implementation not. */
    private void awaitCompensations() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        synchronized (compensations) {
            while (compensations.size() < joined && System.nanoTime() < deadline) {
                compensations.wait(200);
            }
        }
    }

    private final class Routes extends RouteBuilder {
        @Override
        public void configure() {
            errorHandler(noErrorHandler());
            RouteDefinition main = route(from("direct:" + prefix), "run");
            main.saga().propagation(SagaPropagation.REQUIRES_NEW);
            CutoverSequence.walk(spec, new CutoverSequence.Visitor() {
                @Override
                public void hooks(String point, List<Hook> list) {
                    hookCalls(main, list, point);
                }

                @Override
                public void step(Step step, Phase phase) {
                    main.to(stepRoute(runner(step), phase));
                }

                @Override
                public void verify() {
                    main.process(e -> verifyAll());
                }
            });
        }

        private RouteDefinition route(RouteDefinition from, String name) {
            String id = prefix + "-" + name;
            routeIds.add(id);
            return from.routeId(id);
        }

        private String stepRoute(StepRunner r, Phase phase) {
            String name = "step-" + r.step().id() + "-" + phase.key();
            RouteDefinition route = route(from("direct:" + prefix + "-" + name), name);
            if (phase == Phase.WARM) {
                String undo = prefix + "-undo-" + r.step().id();
                route.saga().propagation(SagaPropagation.MANDATORY).compensation("direct:" + undo);
                route(from("direct:" + undo), "undo-" + r.step().id()).process(e -> compensateStep(r));
            }
            route.process(e -> pass(r, phase));
            return "direct:" + prefix + "-" + name;
        }

        private void hookCalls(RouteDefinition main, List<Hook> list, String point) {
            for (int i = 0; i < list.size(); i++) {
                Hook hook = list.get(i);
                String label = CutoverSequence.label(point, i);
                String name = "hook-" + (++hookCount);
                RouteDefinition route = route(from("direct:" + prefix + "-" + name), name);
                if (hook.compensate() != null) {
                    String undo = prefix + "-un" + name;
                    route.saga().propagation(SagaPropagation.MANDATORY).compensation("direct:" + undo);
                    route(from("direct:" + undo), "un" + name).process(e -> compensateHook(hook, label));
                }
                route.process(e -> runHook(hook, label, true));
                main.to("direct:" + prefix + "-" + name);
            }
        }
    }

    private StepRunner runner(Step step) {
        return runners.stream().filter(r -> r.step() == step).findFirst().orElseThrow();
    }

    private void pass(StepRunner r, Phase phase) {
        String id = r.step().id();
        at("step '" + id + "' (" + phase.key() + ")", id);
        if (phase == Phase.WARM) {
            joined++;
            state.joined("step:" + id);
            r.prepare();
        }
        LOG.info("{}: {} pass of {} step '{}'", spec.name(), phase.key(), r.step().kind(), id);
        figures.get(id).put(phase.key(), r.pass(phase));
        state.passed(id, phase.key());
    }

    /** The saga completed: each step's clean-up that had to wait until no rollback could happen. */
    private void completeAll() {
        for (StepRunner r : runners) {
            String text = r.complete();
            if (text != null) {
                LOG.info("{}: completed step '{}': {}", spec.name(), r.step().id(), text);
                figures.get(r.step().id()).put("complete", Map.of("done", text));
            }
        }
    }

    private void verifyAll() {
        List<String> mismatches = new ArrayList<>();
        String first = null;
        for (StepRunner r : runners) {
            at("verification of step '" + r.step().id() + "'", r.step().id());
            Verdict v = r.verify();
            verdicts.put(r.step().id(), v);
            if (!v.ok()) {
                mismatches.add(r.step().id() + ": " + v.detail());
                first = first == null ? r.step().id() : first;
            }
        }
        if (first != null) {
            at("verification of step '" + first + "'", first);
            throw new MigrationException(ErrorKind.VERIFICATION_FAILED, "verification found a mismatch: "
                    + String.join("; ", mismatches));
        }
    }

    private void runHook(Hook hook, String label, boolean joins) {
        if (joins) {
            at(label + " hook", null);
            if (hook.compensate() != null) {
                joined++;
                state.joined("hook:" + label);
            }
        }
        long t0 = System.nanoTime();
        try {
            String out = hooks.run(hook, label);
            hookReports.add(new ApplicationReport.HookReport(label, hook.describe(), true, ms(t0), out));
        } catch (RuntimeException e) {
            hookReports.add(new ApplicationReport.HookReport(label, hook.describe(), false, ms(t0), e.getMessage()));
            throw e;
        }
    }

    private void compensateStep(StepRunner r) {
        String text;
        try {
            text = r.compensate();
        } catch (RuntimeException e) {
            text = "FAILED: " + e.getMessage();
        }
        LOG.info("{}: compensated step '{}': {}", spec.name(), r.step().id(), text);
        compensated.put(r.step().id(), text);
        done("step '" + r.step().id() + "': " + text);
    }

    private void compensateHook(Hook hook, String label) {
        String text;
        try {
            runHook(hook.compensate(), "compensate " + label, false);
            text = "ran " + hook.compensate().describe();
        } catch (RuntimeException e) {
            text = "FAILED: " + e.getMessage();
        }
        done(label + " hook: " + text);
    }

    private void done(String line) {
        synchronized (compensations) {
            compensations.add(line);
            compensations.notifyAll();
        }
    }

    private void at(String point, String stepId) {
        failingStep = stepId;
        failedAt = point;
        state.point(point);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Builds the report once {@link #execute()} returned. */
    ApplicationReport report(String runId, Instant started, Throwable failure, java.nio.file.Path runDir) {
        List<ApplicationReport.StepReport> steps = new ArrayList<>();
        for (StepRunner r : runners) {
            String id = r.step().id();
            Verdict v = verdicts.get(id);
            steps.add(new ApplicationReport.StepReport(id, r.step().kind(), figures.get(id), v == null ? null
                    : v.ok(), v == null ? null : v.method() + ": " + v.detail(), compensated.get(id)));
        }
        ApplicationReport.Outcome outcome = failure == null ? ApplicationReport.Outcome.COMPLETE
                : compensations.stream().anyMatch(c -> c.contains("FAILED")) || compensations.size() < joined
                ? ApplicationReport.Outcome.ROLLBACK_INCOMPLETE : ApplicationReport.Outcome.ROLLED_BACK;
        return new ApplicationReport(spec.name(), runId, outcome, started, Duration.between(started, Instant.now()),
                steps, hookReports, failure == null ? null : failedAt, failure == null ? null : failingStep,
                failure == null ? null : message(failure), compensations, runDir, List.of());
    }

    private static String message(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && !(c instanceof MigrationException) && c.getMessage() == null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
