package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.GateResult;
import io.imagegate.api.GateSpec;
import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import io.imagegate.message.Message;
import io.imagegate.testing.Cosign;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An in-place rescan with a signing key records a verdict signed with it: a gate that requires
 * verdicts signed by that key accepts the image on the rescan's verdict alone, and one that
 * requires another key refuses it.
 */
@NeedsComponents
class SignedRescanTest {
    static final String PASSWORD = "rescan-Signing-246";

    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir static Path keys;
    static Cosign.KeyPair org;
    static Cosign.KeyPair rogue;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        org = Cosign.generateKeyPair(Files.createDirectories(keys.resolve("org")), PASSWORD);
        rogue = Cosign.generateKeyPair(Files.createDirectories(keys.resolve("rogue")), PASSWORD);
        new ImagePusher(upstream).push("library/clean", "1", TestImages.cleanAlpine());
    }

    private SyncResult sync(Path file, Cosign.KeyPair signingKey, String rescanOlderThan) {
        return ImageGate.create(TestSettings.in(dir, Map.of("COSIGN_PASSWORD", PASSWORD)))
                .sync(
                        new SyncSpec(
                                        file.toString(),
                                        null,
                                        null,
                                        1,
                                        null,
                                        FixtureVulnerabilityDb.offlineTrivy(),
                                        signingKey == null
                                                ? null
                                                : signingKey.privateKey().toString())
                                .with(null, rescanOlderThan),
                        ProgressListener.NONE);
    }

    private GateResult gate(String image, Cosign.KeyPair... verifyKeys) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + image + "\n");
        return ImageGate.create(TestSettings.in(dir))
                .gate(
                        GateSpec.builder()
                                .files(List.of("Dockerfile"))
                                .trusted(List.of(registry.hostPort()))
                                .requireVetted(true)
                                .verifyKeys(
                                        java.util.Arrays.stream(verifyKeys)
                                                .map(k -> k.publicKey().toString())
                                                .toList())
                                .build());
    }

    /** The code of the vetting reason of the one violation, or null when the gate passed. */
    private static String reasonCode(GateResult result) {
        if (result.outcome() == Outcome.PASSED) {
            return null;
        }
        assertThat(result.violations()).as(result.toString()).hasSize(1);
        return result.violations().get(0).reason().args().stream()
                .filter(a -> a instanceof Message)
                .map(a -> ((Message) a).code())
                .findFirst()
                .orElse(result.violations().get(0).reason().code());
    }

    @Test
    void aRescanWithAKeySignsItsVerdictAndGatesVerifyItAgainstTheirKeys() throws IOException {
        String trusted = registry.hostPort() + "/base/clean:1";
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                images:
                  - source: %s/library/clean:1
                    target: %s
                """
                                .formatted(upstream.hostPort(), trusted));
        // vetted unsigned first: what a signed gate then accepts can only be the rescan's verdict
        SyncResult first = sync(file, null, null);
        assertThat(first.outcome()).as(first.toString()).isEqualTo(Outcome.PASSED);
        assertThat(reasonCode(gate(trusted, org))).isEqualTo("vetting.unsigned");

        SyncResult rescan = sync(file, org, "0s");
        assertThat(rescan.outcome()).as(rescan.toString()).isEqualTo(Outcome.PASSED);
        SyncResult.Entry entry = rescan.entries().get(0);
        assertThat(entry.rescanned()).isTrue();
        assertThat(entry.changed()).isFalse();

        GateResult signed = gate(trusted, org);
        assertThat(reasonCode(signed)).as(signed.toString()).isNull();
        assertThat(signed.summary()).contains("verdict signatures verified");
        assertThat(reasonCode(gate(trusted, rogue))).isEqualTo("vetting.signed-unlisted-key");
        // and unsigned gates take the rescan's PASS as they took the first
        assertThat(reasonCode(gate(trusted))).isNull();

        // A signed sync then finds the signed PASS fresh, and leaves the image alone.
        SyncResult again = sync(file, org, null);
        assertThat(again.outcome()).as(again.toString()).isEqualTo(Outcome.PASSED);
        assertThat(again.entries().get(0).rescanned()).isFalse();
        assertThat(again.entries().get(0).vetted()).isFalse();
        assertThat(again.entries().get(0).verdictCreated()).isEqualTo(entry.verdictCreated());
    }
}
