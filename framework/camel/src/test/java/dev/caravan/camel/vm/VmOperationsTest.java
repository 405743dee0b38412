package dev.caravan.camel.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import dev.caravan.camel.support.BadInput;
import dev.caravan.core.journal.RunSummary;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/** The other operations, shared connections, and the bounded fleet pattern of the drain template. */
class VmOperationsTest extends VmTestSupport {

    @Override
    void routes(CamelContext context) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the shape of routes/vm/drain.yaml: list the running VMs, move them in parallel, at most 2 at once
                from("direct:drain")
                        .to("caravan-vm:list?source=" + A + "&state=running")
                        .split(body()).parallelProcessing()
                            .throttle(constant(2)).concurrentRequestsMode()
                            .to("caravan-vm:migrateLive?source=" + A + "&target=" + B)
                        .end();
            }
        });
    }

    @Test
    void preflightReportsTheChecksWithoutFailingTheExchange() {
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        host(B);
        a.preflight = List.of(new PreflightCheck("cpu-compatibility", PreflightCheck.Status.FAIL, "incompatible"),
                new PreflightCheck("forecast", PreflightCheck.Status.WARN, "no bandwidth declared"),
                new PreflightCheck("memory", PreflightCheck.Status.PASS, "ok"));

        Exchange live = template.send("caravan-vm:preflight?source=" + A + "&target=" + B + "&domain=web", e -> { });

        assertThat(live.getException()).isNull();
        assertThat(live.getMessage().getBody(List.class)).hasSize(3);
        assertThat(live.getMessage().getHeaders()).containsEntry(VmConstants.PREFLIGHT_PASSED, false)
                .containsEntry(VmConstants.PREFLIGHT_FAILURES, "cpu-compatibility: incompatible")
                .containsEntry(VmConstants.PREFLIGHT_WARNINGS, 1);
        assertThat(a.calls).containsExactly("preflight LIVE web");

        a.preflight = List.of(new PreflightCheck("state", PreflightCheck.Status.PASS, "running"));
        Exchange storage = template.send("caravan-vm:preflight?source=" + A + "&domain=web&kind=storage", e -> { });
        assertThat(storage.getMessage().getHeaders()).containsEntry(VmConstants.PREFLIGHT_PASSED, true)
                .containsEntry(VmConstants.PREFLIGHT_FAILURES, "");
        assertThat(a.calls).last().isEqualTo("preflight STORAGE web");
        assertThat(runs()).as("a preflight moves nothing and starts no run").isEmpty();
    }

    @Test
    void listFiltersByStateAndDescribeParsesOneDomain() {
        host(A).with("web", VmState.RUNNING).with("db", VmState.SHUT_OFF).with("cache", VmState.PAUSED);

        Exchange running = template.send("caravan-vm:list?source=" + A + "&state=running,paused", e -> { });
        Exchange all = template.send("caravan-vm:list?source=" + A, e -> { });
        Exchange named = template.send("caravan-vm:list?source=" + A + "&include=c*,web,db&exclude=d?", e -> { });
        Exchange web = template.send("caravan-vm:describe?source=" + A, e -> e.getMessage().setBody("web"));
        Exchange missing = template.send("caravan-vm:describe?source=" + A + "&domain=nope", e -> { });

        assertThat(running.getMessage().getBody(List.class)).extracting(o -> ((VmRef) o).name())
                .containsExactly("cache", "web");
        assertThat(running.getMessage().getHeader(VmConstants.COUNT)).isEqualTo(2);
        assertThat(all.getMessage().getBody(List.class)).hasSize(3);
        assertThat(named.getMessage().getBody(List.class)).extracting(o -> ((VmRef) o).name())
                .containsExactly("cache", "web");
        VmDescription d = web.getMessage().getBody(VmDescription.class);
        assertThat(d.memoryBytes()).isEqualTo(128L << 20);
        assertThat(d.dataDisks()).extracting(x -> x.target()).containsExactly("vda");
        assertThat(web.getMessage().getHeaders()).containsEntry(VmConstants.VM_STATE, "RUNNING")
                .containsEntry(VmConstants.NAME, "web").containsEntry(VmConstants.HOST, A);
        assertThat(missing.getException()).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(BadInput.failedWith(missing)).isTrue();
    }

    @Test
    void abortStopsARunningMigrationAndTheGuestStaysOnTheSource() throws Exception {
        FakeHypervisors.Host a = host(A).with("web", VmState.RUNNING);
        host(B);
        a.gate = new CountDownLatch(1);
        CompletableFuture<Exchange> live = template.asyncSend("caravan-vm:migrateLive?source=" + A + "&target=" + B
                + "&domain=web", e -> { });
        await().atMost(20, TimeUnit.SECONDS).until(() -> a.running.get() == 1);

        Exchange abort = template.send("caravan-vm:abort?source=" + A + "&domain=web", e -> { });

        assertThat(abort.getMessage().getHeader(VmConstants.ABORTED)).isEqualTo(true);
        assertThat(abort.getMessage().getBody(JobProgress.class).processedBytes()).isEqualTo(64L << 20);
        Exchange failed = live.get(30, TimeUnit.SECONDS);
        assertThat(failed.getException()).hasMessageContaining("aborted on request");
        assertThat(a.domains).containsEntry("web", VmState.RUNNING);
        assertThat(host(B).domains).isEmpty();
        RunSummary run = runs().get(0);
        assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(task(run.runId()).error()).contains("aborted on request");

        Exchange idle = template.send("caravan-vm:abort?source=" + A + "&domain=web", e -> { });
        assertThat(idle.getException()).isNull();
        assertThat(idle.getMessage().getHeader(VmConstants.ABORTED)).isEqualTo(false);
        assertThat(idle.getMessage().getBody()).isNull();
    }

    @Test
    void connectionsAreSharedByEndpointsAndClosedWithTheComponent() {
        host(A).with("web", VmState.RUNNING);

        template.send("caravan-vm:list?source=" + A, e -> { });
        template.send("caravan-vm:list?source=" + A, e -> { });
        template.send("caravan-vm:describe?source=" + A + "&domain=web", e -> { });
        assertThat(FakeHypervisors.OPENED.get()).isEqualTo(1);
        template.send("caravan-vm:list?source=" + A + "&source.label=other", e -> { });
        assertThat(FakeHypervisors.OPENED.get()).as("other options, other connection").isEqualTo(2);
        assertThat(vm.connections().size()).isEqualTo(2);

        context.stop();

        assertThat(FakeHypervisors.CLOSED.get()).isEqualTo(2);
    }

    @Test
    void aFleetDrainMovesEveryRunningVmWithABoundOnHowManyMoveAtOnce() throws Exception {
        FakeHypervisors.Host a = host(A).with("vm1", VmState.RUNNING).with("vm2", VmState.RUNNING)
                .with("vm3", VmState.RUNNING).with("vm4", VmState.RUNNING).with("off", VmState.SHUT_OFF);
        host(B);
        a.gate = new CountDownLatch(1);

        CompletableFuture<Exchange> drain = template.asyncSend("direct:drain", e -> { });
        await().atMost(20, TimeUnit.SECONDS).until(() -> a.running.get() == 2);
        a.gate.countDown();
        Exchange done = drain.get(60, TimeUnit.SECONDS);

        assertThat(done.getException()).isNull();
        assertThat(a.maxRunning.get()).as("never more than 2 at once").isEqualTo(2);
        assertThat(host(B).domains).containsOnlyKeys("vm1", "vm2", "vm3", "vm4");
        assertThat(a.domains).containsOnlyKeys("off");
        assertThat(runs()).hasSize(4).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE));
    }

    @Test
    void aDrainMovesTheOthersWhenOneVmIsRefusedAndThenFails() throws Exception {
        FakeHypervisors.Host a = host(A).with("vm1", VmState.RUNNING).with("vm2", VmState.RUNNING)
                .with("vm3", VmState.RUNNING);
        host(B);
        a.refused.add("vm2");

        Exchange done = template.send("direct:drain", e -> { });

        assertThat(done.getException()).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.getMessage()).contains("vm2", "refused by preflight"));
        assertThat(host(B).domains).containsOnlyKeys("vm1", "vm3");
        assertThat(a.domains).containsOnlyKeys("vm2");
        assertThat(runs()).extracting(RunSummary::outcome)
                .containsExactlyInAnyOrder(RunOutcome.COMPLETE, RunOutcome.COMPLETE, RunOutcome.ABORTED);
    }
}
