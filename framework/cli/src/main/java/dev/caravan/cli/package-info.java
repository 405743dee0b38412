/**
 * The {@code caravan} command line (picocli): {@link dev.caravan.cli.Main} is the entry point,
 * {@link dev.caravan.cli.CaravanCommand} holds the global options, and each subcommand is one small class
 * ({@code RunCommand}, {@code PlanCommand}, {@code CopyCommand} / {@code SyncCommand} / {@code MoveCommand},
 * {@code ResumeCommand}, {@code VerifyCommand}, {@code StatusCommand}, {@code ConnectorsCommand},
 * {@code DescribeCommand}). {@code run}, {@code plan} and {@code verify FILE.yaml} go through
 * {@code dev.caravan.runtime.CaravanRuntime} (Camel); the one-line migrations and the journal commands use the core
 * engine directly. Exit codes: 0 success, 1 failed or mismatch, 2 bad input.
 */
package dev.caravan.cli;
