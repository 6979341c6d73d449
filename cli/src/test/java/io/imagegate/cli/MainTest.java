package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The command line is built per run with only the subcommand it runs; everything else must still
 * see them all.
 */
class MainTest {
    @Test
    void topLevelHelpListsEverySubcommand() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("import", "scan", "refs", "rewrite", "gate", "help");
    }

    @Test
    void helpForOneSubcommandDescribesIt() {
        CliRun run = CliRun.of("help", "import");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--platform", "--src-creds-env");
        assertThat(CliRun.of("import", "--help").out()).isEqualTo(run.out());
    }

    @Test
    void anUnknownSubcommandIsNamedWithTheOnesThereAre() {
        CliRun run = CliRun.of("imprt", "a", "b");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("imprt").contains("import");
    }
}
