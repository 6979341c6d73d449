package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.testing.FacadeContract;
import io.imagegate.testing.FrontEnd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The facade contract through the command line: arguments in, exit codes and outcomes out. */
class CliContractTest extends FacadeContract {
    @Override
    protected FrontEnd frontEnd() {
        return new CliFrontEnd();
    }

    static final class CliFrontEnd implements FrontEnd {
        private static Observed run(List<String> args) {
            CliRun run = CliRun.of(args.toArray(String[]::new));
            if (run.result() == null) {
                // refused while parsing the command line: a usage error
                assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
                return new Observed(
                        io.imagegate.api.Outcome.ERROR,
                        Optional.of(ErrorKind.USAGE),
                        Optional.<Field>empty());
            }
            // the exit code follows the one table, and an error is one line without a stack trace
            assertThat(run.exitCode()).isEqualTo(ExitCodes.of(run.result().outcome()));
            assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
            return Observed.of(run.result());
        }

        private static List<String> trivy(ScanSetup setup) {
            return List.of(
                    "--cache-dir",
                    setup.cacheDir().toString(),
                    "--skip-db-update",
                    "--skip-java-db-update",
                    "--offline-scan");
        }

        @Override
        public Observed importImage(String source, String target) {
            return run(List.of("import", source, target));
        }

        @Override
        public Observed scan(String image, Path policy, ScanSetup setup) {
            List<String> args = new ArrayList<>(List.of("scan"));
            args.addAll(trivy(setup));
            if (policy != null) {
                args.addAll(List.of("--policy", policy.toString()));
            }
            args.add(image);
            return run(args);
        }

        @Override
        public Observed vet(String source, String target, Path policy, ScanSetup setup) {
            List<String> args = new ArrayList<>(List.of("vet"));
            args.addAll(trivy(setup));
            if (policy != null) {
                args.addAll(List.of("--policy", policy.toString()));
            }
            args.addAll(List.of(source, target));
            return run(args);
        }

        @Override
        public Observed gate(
                Path workDir, String dockerfile, String trusted, boolean requireVetted) {
            List<String> args = new ArrayList<>(List.of("gate", "--trusted", trusted));
            if (requireVetted) {
                args.add("--require-vetted");
            }
            args.add(workDir.resolve(dockerfile).toString());
            return run(args);
        }
    }
}
