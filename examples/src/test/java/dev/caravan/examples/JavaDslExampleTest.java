package dev.caravan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.camel.migration.CaravanConstants;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.examples.javadsl.BackupMain;
import dev.caravan.examples.javadsl.BackupRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java DSL example (examples/java-dsl/README.md): its routes in a Camel context of one's own, and its main. */
class JavaDslExampleTest {
    @TempDir
    Path tmp;

    private Path source() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("data/reports"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(src.resolve("r" + i + ".csv"), "id,total\n" + i + "," + i * 10 + "\n");
        }
        Files.writeString(src.resolve("being-written.tmp"), "half");
        return src.getParent();
    }

    private List<Exchange> backupOnce(Path src, Path dst) throws Exception {
        CamelContext context = new DefaultCamelContext();
        // the caravan: component takes the engine of the registry (else it opens one on ~/.caravan or CARAVAN_HOME)
        MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")));
        context.getRegistry().bind("engine", engine);
        context.addRoutes(new BackupRoutes("timer:once?repeatCount=1&delay=-1", "local:" + src, "local:" + dst,
                "mock:done", "mock:failed", "mock:refused"));
        NotifyBuilder ended = new NotifyBuilder(context).fromRoute("backup").whenDone(1).create();
        context.start();
        try {
            assertThat(ended.matches(60, TimeUnit.SECONDS)).as("the backup ended").isTrue();
            List<Exchange> all = new java.util.ArrayList<>();
            for (String mock : List.of("mock:done", "mock:failed", "mock:refused")) {
                context.getEndpoint(mock, MockEndpoint.class).getReceivedExchanges().forEach(e -> {
                    e.setProperty("endpoint", mock);
                    all.add(e);
                });
            }
            return all;
        } finally {
            context.stop();
            engine.close();
        }
    }

    @Test
    void aBackupSyncsVerifiesAndTellsTheDoneEndpoint() throws Exception {
        Path src = source();
        Path dst = tmp.resolve("backup");

        List<Exchange> first = backupOnce(src, dst);
        Files.writeString(dst.resolve("reports/gone.csv"), "deleted from the source since the last backup");
        Files.writeString(src.resolve("reports/r7.csv"), "id,total\n7,71\n");
        List<Exchange> second = backupOnce(src, dst);

        assertThat(first).singleElement().satisfies(e -> {
            assertThat(e.getProperty("endpoint")).isEqualTo("mock:done");
            assertThat(e.getMessage().getHeader(CaravanConstants.OUTCOME)).isEqualTo("COMPLETE");
            assertThat(e.getMessage().getHeader(CaravanConstants.OBJECTS_COPIED, Long.class)).isEqualTo(20);
        });
        assertThat(second).singleElement().satisfies(e -> {
            assertThat(e.getProperty("endpoint")).isEqualTo("mock:done");
            assertThat(e.getMessage().getHeader(CaravanConstants.OBJECTS_COPIED, Long.class)).isEqualTo(1);
            assertThat(e.getMessage().getHeader(CaravanConstants.OBJECTS_DELETED, Long.class)).isEqualTo(1);
        });
        assertThat(dst.resolve("reports/gone.csv")).doesNotExist();
        assertThat(dst.resolve("reports/being-written.tmp")).as("excluded").doesNotExist();
        assertThat(Files.readString(dst.resolve("reports/r7.csv"))).isEqualTo("id,total\n7,71\n");
    }

    @Test
    void aBackupThatWouldDeleteMoreThanATenthOfTheTargetIsRefusedAndWritesNothing() throws Exception {
        Path src = source();
        Path dst = Files.createDirectories(tmp.resolve("backup"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(dst.resolve("only-here-" + i + ".txt"), "x");
        }

        List<Exchange> told = backupOnce(src, dst);

        assertThat(told).singleElement().satisfies(e -> {
            assertThat(e.getProperty("endpoint")).isEqualTo("mock:refused");
            assertThat(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)).hasMessageContaining("maxDelete");
        });
        try (var files = Files.list(dst)) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(10).allMatch(n -> n.startsWith("only-"));
        }
    }

    @Test
    void theMainBacksUpOnceAndExitsWithTheCliCodes() throws Exception {
        Path src = source();
        Path dst = tmp.resolve("main-backup");
        Path missing = tmp.resolve("no-such-dir");

        assertThat(main("local:" + src, "local:" + dst)).isZero();
        assertThat(Files.readString(dst.resolve("reports/r3.csv"))).isEqualTo("id,total\n3,30\n");
        assertThat(main("local:" + missing, "local:" + tmp.resolve("other"))).isEqualTo(2);
    }

    private int main(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), BackupMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("main.log").toFile());
        builder.environment().put("CARAVAN_HOME", tmp.resolve("main-home").toString());
        Process p = builder.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("main ended").isTrue();
        System.out.println(Files.readString(tmp.resolve("main.log")));
        return p.exitValue();
    }
}
