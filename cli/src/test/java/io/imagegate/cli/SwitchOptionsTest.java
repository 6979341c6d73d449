package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A true/false option is a bare flag, or takes {@code =true} or {@code =false}; anything else
 * attached to it fails the command before it runs. Picocli alone reads {@code --require-vetted=} as
 * false and {@code =TRUE} as true.
 */
class SwitchOptionsTest {
    @Test
    void everyTrueOrFalseOptionReadsItsValueThroughTheLibrary() {
        List<String> checked = new ArrayList<>();
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            for (OptionSpec option : sub.getCommandSpec().options()) {
                if (option.usageHelp()
                        || option.versionHelp()
                        || (option.type() != boolean.class && option.type() != Boolean.class)) {
                    continue;
                }
                assertThat(option.preprocessor())
                        .as(sub.getCommandName() + " " + option.longestName())
                        .isInstanceOf(Switch.class);
                checked.add(sub.getCommandName() + " " + option.longestName());
            }
        }
        assertThat(checked)
                .contains(
                        "gate --require-vetted",
                        "gate --require-digest",
                        "gate --any-policy",
                        "import --force",
                        "vet --force",
                        "vet --skip-db-update",
                        "scan --offline-scan",
                        "sync --skip-java-db-update",
                        "rewrite --pin",
                        "rewrite --check",
                        "refs --verify",
                        "refs --json",
                        "verdict --json");
    }

    @Test
    void aValueThatIsNotTrueOrFalseFailsTheCommandBeforeItRuns() {
        for (String given : new String[] {"yes", "1", "ture", "TRUE", "", "true "}) {
            CliRun run =
                    CliRun.of(
                            "gate",
                            "--trusted",
                            "registry.example.com/base",
                            "--require-vetted=" + given,
                            "Dockerfile");
            assertThat(run.exitCode()).as(given).isEqualTo(ExitCodes.ERROR);
            assertThat(run.err())
                    .startsWith(
                            "imagegate: --require-vetted: \"" + given + "\" is not true or false\n")
                    .contains("Try 'imagegate gate --help'");
            assertThat(run.result()).as("the gate did not run").isNull();
        }
        CliRun force =
                CliRun.of(
                        "import",
                        "--force=",
                        "alpine:3.20",
                        "registry.example.com/base/alpine:3.20");
        assertThat(force.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(force.err()).startsWith("imagegate: --force: \"\" is not true or false");
    }

    @Test
    void aBareFlagIsTrueAndTrueOrFalseSayWhich() {
        assertThat(requireVetted("--require-vetted")).isTrue();
        assertThat(requireVetted("--require-vetted=true")).isTrue();
        assertThat(requireVetted("--require-vetted=false")).isFalse();
        assertThat(requireVetted()).isFalse();
    }

    private static boolean requireVetted(String... given) {
        List<String> args =
                new ArrayList<>(List.of("gate", "--trusted", "registry.example.com/base"));
        args.addAll(List.of(given));
        args.add("Dockerfile");
        String[] all = args.toArray(String[]::new);
        CommandLine.ParseResult parsed = Main.commandLine(all).parseArgs(all);
        GateCommand gate = (GateCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(gate.files).containsExactly("Dockerfile");
        return gate.requireVetted;
    }
}
