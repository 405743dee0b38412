package dev.caravan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.camel.migration.CaravanEndpoint;
import dev.caravan.camel.migration.CaravanOperation;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.verify.VerifyMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {
    @TempDir
    Path tmp;

    @Test
    void writesAReadableUri() {
        String uri = Migration.from("local:/data").to("local:/backup").mode(Mode.SYNC).verify(VerifyMode.SHA256)
                .maxDelete("10%").include("**/*.csv").transfers(8).bandwidth("10M").uri();
        assertThat(uri).isEqualTo("caravan:migrate?source=local:/data&target=local:/backup&mode=sync&verify=sha256"
                + "&maxDelete=RAW(10%)&include=RAW(**/*.csv)&transfers=8&bandwidth=10M");
    }

    @Test
    void camelParsesTheUriBackIntoTheSameSpec() {
        Migration m = Migration.from("local:/my data/a+b&c").to("local:/backup (old)").mode(Mode.MOVE)
                .compare(Compare.CHECKSUM).include("**/*.{csv,txt}", "logs/**").exclude("*.tmp").minAge("7d")
                .maxDelete("25").retries(1).name("java dsl").sourceOption("followSymlinks", "true");
        CamelContext context = new DefaultCamelContext();
        try {
            context.start();
            MigrationSpec parsed = context.getEndpoint(m.uri(CaravanOperation.PLAN), CaravanEndpoint.class).spec();
            assertThat(parsed).isEqualTo(m.toSpec());
            assertThat(parsed.source()).isEqualTo("local:/my data/a+b&c");
            assertThat(parsed.target()).isEqualTo("local:/backup (old)");
            assertThat(parsed.filters().include()).containsExactly("**/*.{csv,txt}", "logs/**");
            assertThat(parsed.filters().minAge()).isEqualTo(Duration.ofDays(7));
            assertThat(parsed.sourceOptions()).containsEntry("followSymlinks", "true");
        } finally {
            context.stop();
        }
    }

    @Test
    void theLimitBackupAndFilterFileOptionsReachTheSpecAsTheEndpointReadsThem() throws Exception {
        Path list = Files.writeString(tmp.resolve("list.txt"), "# nightly\nreports/a.csv\nreports/b.csv\n");
        Migration m = Migration.from("local:/data").to("local:/mirror").mode(Mode.SYNC).filesFrom(list.toString())
                .maxTransfer("50G").maxDuration("6h").cutoffMode("cautious")
                .backupDir("local:/kept/2026-11-28", ".old", true).backupOption("fsync", "true");
        CamelContext context = new DefaultCamelContext();
        try {
            context.start();
            MigrationSpec parsed = context.getEndpoint(m.uri(CaravanOperation.PLAN), CaravanEndpoint.class).spec();
            MigrationSpec spec = m.toSpec();
            assertThat(parsed).isEqualTo(spec);
            assertThat(spec.maxTransfer()).isEqualTo(50L << 30);
            assertThat(spec.maxDuration()).isEqualTo(Duration.ofHours(6));
            assertThat(spec.cutoff()).isEqualTo(dev.caravan.core.plan.CutoffMode.CAUTIOUS);
            assertThat(spec.backup().location()).isEqualTo("local:/kept/2026-11-28");
            assertThat(spec.backup().options()).isEqualTo(java.util.Map.of("fsync", "true"));
            assertThat(spec.filters().filesFrom().keys()).containsExactly("reports/a.csv", "reports/b.csv");
        } finally {
            context.stop();
        }
    }

    @Test
    void theOutageWaitOfTheCommandLineIsAnOptionToo() {
        Migration m = Migration.from("local:/data").to("local:/mirror").outageWait("5m");
        assertThat(m.uri()).isEqualTo("caravan:migrate?source=local:/data&target=local:/mirror&outageWait=5m");
        CamelContext context = new DefaultCamelContext();
        try {
            context.start();
            MigrationSpec parsed = context.getEndpoint(m.uri(CaravanOperation.PLAN), CaravanEndpoint.class).spec();
            assertThat(parsed).isEqualTo(m.toSpec());
            assertThat(m.toSpec().outageWait()).isEqualTo(Duration.ofMinutes(5));
        } finally {
            context.stop();
        }
    }

    @Test
    void movesFilesFromAJavaDslRoute() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("in"));
        Path target = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(source.resolve("a.txt"), "alpha");
        Files.write(Files.createDirectories(source.resolve("sub")).resolve("b.bin"), new byte[] {1, 2, 3});
        String uri = Migration.from("local:" + source).to("local:" + target).mode(Mode.MOVE).uri();

        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")))) {
            CamelContext context = new DefaultCamelContext();
            context.getRegistry().bind("engine", engine);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:once?repeatCount=1&delay=-1").routeId("java-move").to(uri).to("mock:done");
                }
            });
            NotifyBuilder done = new NotifyBuilder(context).fromRoute("java-move").whenCompleted(1).create();
            context.start();
            try {
                assertThat(done.matches(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                RunResult result = context.getEndpoint("mock:done", org.apache.camel.component.mock.MockEndpoint.class)
                        .getReceivedExchanges().get(0).getMessage().getBody(RunResult.class);
                assertThat(result.exitCode()).isZero();
            } finally {
                context.stop();
            }
        }
        assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("alpha");
        assertThat(Files.readAllBytes(target.resolve("sub/b.bin"))).containsExactly(1, 2, 3);
        assertThat(source.resolve("a.txt")).doesNotExist();
    }

    @Test
    void runsOnAnEngineDirectly() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("in"));
        Path target = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(source.resolve("x.txt"), "x");
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")))) {
            Migration m = Migration.from("local:" + source).to("local:" + target);
            assertThat(m.plan(engine).summary().copyCount()).isEqualTo(1);
            assertThat(m.run(engine).exitCode()).isZero();
        }
        assertThat(Files.readString(target.resolve("x.txt"))).isEqualTo("x");
    }
}
