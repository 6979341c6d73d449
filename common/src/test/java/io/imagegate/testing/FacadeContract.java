package io.imagegate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.Outcome;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.oci.Platform;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade's contract, written once and run through every front end: the same scenarios (import,
 * scan pass and fail, vet, gate pass and fail, bad input, an unreachable registry) against the real
 * registry and the real Trivy, asserting outcomes and error kinds, never message text. A front
 * end's test extends this and supplies {@link #frontEnd()}.
 */
@NeedsComponents
public abstract class FacadeContract {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static TestImages.Image clean;
    static TestImages.Image vulnerable;
    static FrontEnd.ScanSetup scanSetup;

    @TempDir Path dir;

    /** The front end under test. */
    protected abstract FrontEnd frontEnd();

    @BeforeAll
    static void images() {
        Platform amd64 = Platform.parse("linux/amd64");
        clean = TestImages.cleanAlpine();
        vulnerable =
                TestImages.alpine(
                        amd64, List.<String[]>of(new String[] {"openssl", "3.5.0-r0", "openssl"}));
        ImagePusher pusher = new ImagePusher(registry);
        pusher.push("public/clean", "1", clean);
        pusher.push("public/vulnerable", "1", vulnerable);
        scanSetup = new FrontEnd.ScanSetup(FixtureVulnerabilityDb.cacheDir());
    }

    private String ref(String path) {
        return registry.hostPort() + "/" + path;
    }

    @Test
    void importCopiesAnImageAndAgainFindsItUpToDate() {
        FrontEnd.Observed first =
                frontEnd().importImage(ref("public/clean:1"), ref("contract/imported:1"));
        assertThat(first.outcome()).as(first.toString()).isEqualTo(Outcome.PASSED);
        assertThat(new ImagePusher(registry).manifestDigest("contract/imported", "1"))
                .contains(clean.digest());
        assertThat(
                        frontEnd()
                                .importImage(ref("public/clean:1"), ref("contract/imported:1"))
                                .outcome())
                .isEqualTo(Outcome.PASSED);
    }

    @Test
    void aMissingImageIsNotFound() {
        FrontEnd.Observed observed =
                frontEnd().importImage(ref("public/none:1"), ref("contract/none:1"));
        assertThat(observed.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(observed.error()).contains(ErrorKind.NOT_FOUND);
    }

    @Test
    void badInputIsAUsageErrorThatNamesTheField() {
        FrontEnd.Observed observed = frontEnd().importImage("Not/Valid", ref("contract/x:1"));
        assertThat(observed.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(observed.error()).contains(ErrorKind.USAGE);
        assertThat(observed.field()).contains(Field.SOURCE);
    }

    @Test
    void anUnreachableRegistryIsATransientError() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        FrontEnd.Observed observed =
                frontEnd()
                        .importImage(
                                "127.0.0.1:" + port + "/gone/app:1", ref("contract/unreachable:1"));
        assertThat(observed.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(observed.error()).contains(ErrorKind.TRANSIENT);
    }

    @Test
    void scanPassesACleanImageAndFailsAVulnerableOne() {
        assertThat(frontEnd().scan(ref("public/clean:1"), null, scanSetup).outcome())
                .isEqualTo(Outcome.PASSED);
        FrontEnd.Observed failed = frontEnd().scan(ref("public/vulnerable:1"), null, scanSetup);
        assertThat(failed.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(failed.error()).isEmpty();
    }

    @Test
    void aBrokenPolicyIsAConfigurationErrorNotAFailedScan() throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "failOn: HIGH\nfailOn: LOW\n");
        FrontEnd.Observed observed = frontEnd().scan(ref("public/clean:1"), policy, scanSetup);
        assertThat(observed.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(observed.error()).contains(ErrorKind.CONFIGURATION);
    }

    @Test
    void gatePassesTrustedReferencesAndFailsOthers() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + ref("trusted/base:1") + "\n");
        assertThat(
                        frontEnd()
                                .gate(dir, "Dockerfile", registry.hostPort() + "/trusted", false)
                                .outcome())
                .isEqualTo(Outcome.PASSED);
        Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        assertThat(
                        frontEnd()
                                .gate(dir, "Dockerfile", registry.hostPort() + "/trusted", false)
                                .outcome())
                .isEqualTo(Outcome.POLICY_FAILED);
    }

    @Test
    void aGateThatFindsNoImageIsAnErrorNotAPass() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "# nothing but a comment\n");
        FrontEnd.Observed observed =
                frontEnd().gate(dir, "Dockerfile", registry.hostPort() + "/trusted", false);
        assertThat(observed.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void vetPromotesACleanImageAndRefusesAVulnerableOne() throws IOException {
        FrontEnd.Observed passed =
                frontEnd().vet(ref("public/clean:1"), ref("trusted/clean:1"), null, scanSetup);
        assertThat(passed.outcome()).as(passed.toString()).isEqualTo(Outcome.PASSED);
        assertThat(new ImagePusher(registry).manifestDigest("trusted/clean", "1"))
                .contains(clean.digest());

        FrontEnd.Observed failed =
                frontEnd()
                        .vet(
                                ref("public/vulnerable:1"),
                                ref("trusted/vulnerable:1"),
                                null,
                                scanSetup);
        assertThat(failed.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(new ImagePusher(registry).tagExists("trusted/vulnerable", "1")).isFalse();

        Files.writeString(dir.resolve("Dockerfile"), "FROM " + ref("trusted/clean:1") + "\n");
        assertThat(
                        frontEnd()
                                .gate(dir, "Dockerfile", registry.hostPort() + "/trusted", true)
                                .outcome())
                .isEqualTo(Outcome.PASSED);
    }
}
