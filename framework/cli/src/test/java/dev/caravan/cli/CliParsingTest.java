package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.verify.VerifyMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class CliParsingTest {

    private static <T> T sub(ParseResult pr, Class<T> type) {
        return type.cast(pr.subcommand().commandSpec().userObject());
    }

    private static CaravanCommand root(CommandLine cl) {
        return (CaravanCommand) cl.getCommandSpec().userObject();
    }

    @Test
    void aCommandLineRegistersTheSubcommandsItNamesOrAllOfThem() {
        java.io.PrintWriter sink = new java.io.PrintWriter(new java.io.StringWriter());
        assertThat(Main.commandLine(sink, sink, false, "--home", "/h", "copy", "local:/a", "local:/b")
                .getSubcommands()).containsOnlyKeys("copy");
        assertThat(Main.commandLine(sink, sink, false, "help", "sync").getSubcommands())
                .containsOnlyKeys("help", "sync");
        assertThat(Main.commandLine(sink, sink, false, "copy", "local:/a", "local:/b", "--name", "status")
                .getSubcommands()).as("an option value that is a name registers one more").containsOnlyKeys("copy",
                        "status");
        List<String> all = List.copyOf(CliRunner.parser().getSubcommands().keySet());
        assertThat(all).hasSize(CaravanCommand.SUBCOMMANDS.size()).startsWith("run", "plan", "copy");
        assertThat(Main.commandLine(sink, sink, false, "--help").getSubcommands().keySet()).containsExactlyElementsOf(
                all);
        assertThat(Main.commandLine(sink, sink, false, "cpy").getSubcommands().keySet()).as("a misspelt command: all")
                .containsExactlyElementsOf(all);
        CliRunner.Result help = CliRunner.run("copy", "--help");
        assertThat(help.out()).as("the subcommand's help as with every subcommand registered")
                .isEqualTo(helpOf(CliRunner.parser(), "copy"));
        assertThat(CliRunner.run("cpy").code()).isEqualTo(Main.BAD_INPUT);
    }

    private static String helpOf(CommandLine all, String subcommand) {
        return all.getSubcommands().get(subcommand).getUsageMessage();
    }

    @Test
    void copyBuildsTheSpecFromEveryOption() {
        CommandLine cl = CliRunner.parser();
        ParseResult pr = cl.parseArgs("copy", "local:/src", "local:/dst", "--include", "*.csv", "--include",
                "logs/**", "--exclude", "*.tmp", "--min-size", "1k", "--max-size", "10M", "--min-age", "30m",
                "--max-age", "7d", "--transfers", "8", "--bwlimit", "10M", "--verify", "size", "--compare",
                "checksum", "--retries", "2", "--outage-wait", "5m", "--name", "nightly", "--source-option",
                "followLinks=true");
        MigrationSpec spec = sub(pr, CopyCommand.class).spec();
        assertThat(spec.mode()).isEqualTo(Mode.COPY);
        assertThat(spec.source()).isEqualTo("local:/src");
        assertThat(spec.target()).isEqualTo("local:/dst");
        assertThat(spec.name()).isEqualTo("nightly");
        assertThat(spec.filters().include()).containsExactly("*.csv", "logs/**");
        assertThat(spec.filters().exclude()).containsExactly("*.tmp");
        assertThat(spec.filters().minSize()).isEqualTo(1024);
        assertThat(spec.filters().maxSize()).isEqualTo(10L << 20);
        assertThat(spec.filters().minAge()).isEqualTo(Duration.ofMinutes(30));
        assertThat(spec.filters().maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(spec.transfers()).isEqualTo(8);
        assertThat(spec.bandwidth()).isEqualTo(10L << 20);
        assertThat(spec.verify()).isEqualTo(VerifyMode.SIZE);
        assertThat(spec.compare()).isEqualTo(Compare.CHECKSUM);
        assertThat(spec.retries()).isEqualTo(2);
        assertThat(spec.outageWait()).isEqualTo(Duration.ofMinutes(5));
        assertThat(spec.sourceOptions()).containsEntry("followLinks", "true");
        ParseResult named = CliRunner.parser().parseArgs("sync", "local:/a", "local:/b", "--bandwidth", "4M");
        assertThat(sub(named, SyncCommand.class).spec().bandwidth()).as("--bandwidth, the templates' name")
                .isEqualTo(4L << 20);
    }

    @Test
    void aConnectorOptionGivenTwiceWithDifferentValuesIsRefused() {
        ParseResult twice = CliRunner.parser().parseArgs("copy", "local:/a", "s3:b", "--target-option", "region=a",
                "--target-option", "secretAccessKey=s1", "--target-option", "region=b");
        assertThatThrownBy(() -> sub(twice, CopyCommand.class).spec())
                .isInstanceOf(picocli.CommandLine.ParameterException.class)
                .hasMessage("--target-option region is given twice, with different values: give it once");
        ParseResult same = CliRunner.parser().parseArgs("copy", "local:/a", "s3:b", "--target-option", "region=a",
                "--target-option", "region=a");
        assertThat(sub(same, CopyCommand.class).spec().targetOptions()).containsEntry("region", "a");
    }

    @Test
    void unsetOptionsKeepTheEngineDefaults() {
        ParseResult pr = CliRunner.parser().parseArgs("sync", "local:/a", "local:/b");
        MigrationSpec spec = sub(pr, SyncCommand.class).spec();
        MigrationSpec defaults = MigrationSpec.builder("local:/a", "local:/b").mode(Mode.SYNC).build();
        assertThat(spec).isEqualTo(defaults);
    }

    @Test
    void syncAndMoveSelectTheirModeAndMaxDelete() {
        assertThat(sub(CliRunner.parser().parseArgs("sync", "local:/a", "local:/b", "--max-delete", "10%"),
                SyncCommand.class).spec().maxDelete()).isEqualTo("10%");
        assertThat(sub(CliRunner.parser().parseArgs("move", "local:/a", "local:/b", "--dry-run"),
                MoveCommand.class)).satisfies(m -> {
                    assertThat(m.dryRun).isTrue();
                    assertThat(m.spec().mode()).isEqualTo(Mode.MOVE);
                });
    }

    @Test
    void metadataRulesAreKeptInOrder() {
        ParseResult pr = CliRunner.parser().parseArgs("copy", "s3:a", "local:/b", "--metadata-rule", "drop:tag.*",
                "--metadata-rule", "rename:cacheControl=metadata.cache-control", "--metadata-rule", "lowercase");
        assertThat(sub(pr, CopyCommand.class).spec().metadataRules())
                .containsExactly("drop:tag.*", "rename:cacheControl=metadata.cache-control", "lowercase");
    }

    @Test
    void keyMapRulesReachTheSpecOfTransfers() {
        ParseResult pr = CliRunner.parser().parseArgs("sync", "s3:a", "azblob:b", "--key-map", "replace:\\=\uff3c",
                "--key-map", "replace::=\uff1a");
        assertThat(sub(pr, SyncCommand.class).spec().parsedKeyMap().target("a\\b:c")).isEqualTo("a\uff3cb\uff1ac");
    }

    @Test
    void compareAcceptsHyphenatedNames() {
        ParseResult pr = CliRunner.parser().parseArgs("copy", "local:/a", "local:/b", "--compare", "size-mtime");
        assertThat(sub(pr, CopyCommand.class).spec().compare()).isEqualTo(Compare.SIZE_MTIME);
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand() {
        CommandLine before = CliRunner.parser();
        before.parseArgs("--home", "/tmp/h", "-q", "--journal", "jdbc:h2:mem:x", "status");
        assertThat(root(before).home).isEqualTo(Path.of("/tmp/h"));
        assertThat(root(before).quiet).isTrue();
        assertThat(root(before).journalUrl).isEqualTo("jdbc:h2:mem:x");

        CommandLine after = CliRunner.parser();
        after.parseArgs("copy", "local:/a", "local:/b", "--no-progress", "--home", "/tmp/h2", "--debug");
        assertThat(root(after).noProgress).isTrue();
        assertThat(root(after).debug).isTrue();
        assertThat(root(after).home).isEqualTo(Path.of("/tmp/h2"));
        assertThat(root(after).settings().home()).isEqualTo(Path.of("/tmp/h2"));
        assertThat(root(after).settings().journalUrl()).contains("/tmp/h2");
    }

    @Test
    void runAndPlanTakeYamlFiles() {
        ParseResult run = CliRunner.parser().parseArgs("run", "a.yaml", "b.yaml");
        assertThat(sub(run, RunCommand.class).files).containsExactly(Path.of("a.yaml"), Path.of("b.yaml"));
        ParseResult plan = CliRunner.parser().parseArgs("plan", "--json", "a.yaml");
        assertThat(sub(plan, PlanCommand.class).json).isTrue();
        assertThatThrownBy(() -> CliRunner.parser().parseArgs("run"))
                .isInstanceOf(CommandLine.MissingParameterException.class);
    }

    @Test
    void resumeStatusVerifyDescribeConnectors() {
        assertThat(sub(CliRunner.parser().parseArgs("resume"), ResumeCommand.class).runId).isNull();
        assertThat(sub(CliRunner.parser().parseArgs("resume", "r1"), ResumeCommand.class).runId).isEqualTo("r1");
        StatusCommand status = sub(CliRunner.parser().parseArgs("status", "--limit", "5", "r2"), StatusCommand.class);
        assertThat(status.runId).isEqualTo("r2");
        assertThat(status.limit).isEqualTo(5);
        VerifyCommand verify = sub(CliRunner.parser().parseArgs("verify", "local:/a", "local:/b", "--exclude",
                "*.tmp"), VerifyCommand.class);
        assertThat(verify.args).containsExactly("local:/a", "local:/b");
        assertThat(verify.filters.toFilters().exclude()).containsExactly("*.tmp");
        assertThat(sub(CliRunner.parser().parseArgs("verify", "m.yaml"), VerifyCommand.class).args)
                .containsExactly("m.yaml");
        DescribeCommand describe = sub(CliRunner.parser().parseArgs("describe", "local", "--markdown"),
                DescribeCommand.class);
        assertThat(describe.scheme).isEqualTo("local");
        assertThat(describe.markdown).isTrue();
        assertThat(CliRunner.parser().parseArgs("connectors").subcommand().commandSpec().name())
                .isEqualTo("connectors");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String name : List.of("run", "plan", "copy", "sync", "move", "resume", "verify", "status", "connectors",
                "describe")) {
            CliRunner.Result r = CliRunner.run(name, "--help");
            assertThat(r.code()).as(name).isZero();
            assertThat(r.out()).as(name).contains("Usage: caravan " + name);
        }
    }
}
