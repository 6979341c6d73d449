package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** vet, verdict, sync and gate --require-vetted through the command line. */
@NeedsComponents
class VetCommandTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static TestImages.Image clean;

    @TempDir Path dir;

    @BeforeAll
    static void images() {
        Platform amd64 = Platform.parse("linux/amd64");
        clean =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        ImagePusher pusher = new ImagePusher(upstream);
        pusher.push("library/clean", "1", clean);
        pusher.push(
                "library/vulnerable",
                "1",
                TestImages.alpine(
                        amd64, List.<String[]>of(new String[] {"openssl", "3.5.0-r0", "openssl"})));
    }

    private static List<String> offline(String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                args[0],
                                "--cache-dir",
                                FixtureVulnerabilityDb.cacheDir().toString(),
                                "--skip-db-update",
                                "--skip-java-db-update",
                                "--offline-scan"));
        all.addAll(List.of(args).subList(1, args.length));
        return all;
    }

    private static CliRun run(List<String> args) {
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void vetPromotesWhatPassesAndTheGateAcceptsOnlyThat() throws Exception {
        String trusted = registry.hostPort() + "/base";
        CliRun vet =
                run(offline("vet", upstream.hostPort() + "/library/clean:1", trusted + "/clean:1"));
        assertThat(vet.exitCode()).as(vet.err()).isZero();
        assertThat(vet.out())
                .contains("PASS ")
                .contains("vetted: " + trusted + "/clean:1@" + clean.digest());

        CliRun refused =
                run(
                        offline(
                                "vet",
                                upstream.hostPort() + "/library/vulnerable:1",
                                trusted + "/vulnerable:1"));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out())
                .contains("FAIL ")
                .contains("CRITICAL CVE-2099-0001 openssl")
                .contains("refused: ");

        CliRun verdict = CliRun.of("verdict", trusted + "/clean:1");
        assertThat(verdict.exitCode()).as(verdict.err()).isZero();
        assertThat(verdict.out()).startsWith("PASS " + clean.digest());

        CliRun none = CliRun.of("verdict", registry.hostPort() + "/quarantine/base/vulnerable:1");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.out()).startsWith("FAIL ");

        Path dockerfile =
                Files.writeString(dir.resolve("Dockerfile"), "FROM " + trusted + "/clean:1\n");
        CliRun gate =
                CliRun.of("gate", "--trusted", trusted, "--require-vetted", dockerfile.toString());
        assertThat(gate.exitCode()).as(gate.out() + gate.err()).isZero();

        new ImagePusher(registry).push("base/sneaked", "1", clean);
        Files.writeString(dockerfile, "FROM " + trusted + "/sneaked:1\n");
        CliRun sneaked =
                CliRun.of("gate", "--trusted", trusted, "--require-vetted", dockerfile.toString());
        assertThat(sneaked.exitCode()).isEqualTo(1);
        assertThat(sneaked.out())
                .contains("is not vetted: no verdict is recorded for " + clean.digest())
                // no upstream source recorded: vetted in place, said so
                .contains(
                        "(fix: imagegate vet "
                                + trusted
                                + "/sneaked:1 "
                                + trusted
                                + "/sneaked:1 (no upstream source is recorded for it");
    }

    @Test
    void syncReportsWhatItDid() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                images:
                  - source: %s/library/clean:1
                    target: %s/synced/clean:1
                """
                                .formatted(upstream.hostPort(), registry.hostPort()));
        CliRun first = run(offline("sync", file.toString()));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("PASS " + upstream.hostPort() + "/library/clean:1 -> ")
                .contains("new " + clean.digest())
                .contains("1 image(s), 1 vetted, 0 failed");
        CliRun again = run(offline("sync", file.toString()));
        assertThat(again.exitCode()).isZero();
        assertThat(again.out())
                .contains("unchanged " + clean.digest())
                .contains("1 image(s), 0 vetted, 0 failed");

        // an image that never got as far as a comparison says so, not "unchanged"
        Path broken =
                Files.writeString(
                        dir.resolve("broken.yaml"),
                        """
                images:
                  - source: %s/library/missing:1
                    target: %s/synced/missing:1
                """
                                .formatted(upstream.hostPort(), registry.hostPort()));
        CliRun missing = run(offline("sync", broken.toString()));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.out())
                .contains("ERROR " + upstream.hostPort() + "/library/missing:1 -> ")
                .contains(": not compared; ")
                .doesNotContain("unchanged");

        // a policy the sync file names is reported as the sync file's key, not as --policy
        Path policyNamed =
                Files.writeString(
                        dir.resolve("policy-named.yaml"),
                        """
                policy: nowhere.yaml
                images:
                  - source: %s/library/clean:1
                    target: %s/synced/clean:1
                """
                                .formatted(upstream.hostPort(), registry.hostPort()));
        CliRun noPolicy = run(offline("sync", policyNamed.toString()));
        assertThat(noPolicy.exitCode()).isEqualTo(2);
        assertThat(noPolicy.err())
                .contains("nowhere.yaml")
                .contains("policy-named.yaml (key policy)")
                .doesNotContain("--policy");
    }
}
