package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.TrivySettings;
import io.imagegate.api.VerdictSpec;
import io.imagegate.api.VerdictsResult;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.registry.TransportListener;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.testing.CosignSigner;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.Oras;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * In vet, the source's signatures and attestations go to quarantine with the image and are promoted
 * with it, so that {@code cosign verify --key upstream.pub} passes on the trusted name; an
 * upstream's imagegate verdict never travels.
 */
@NeedsComponents
class VetReferrersTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static final Platform AMD64 = Platform.parse("linux/amd64");
    static final String ATTESTATION = "https://example.com/attestations/test/v1";
    static Path cache;
    static CosignSigner upstreamKey;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() {
        cache = FixtureVulnerabilityDb.cacheDir();
        upstreamKey = new CosignSigner();
    }

    @AfterAll
    static void tearDown() {
        upstreamKey.close();
    }

    /**
     * A new image upstream under {@code repository:1}, signed both ways and attested: its reference
     * by digest.
     */
    private static String signedUpstream(String repository, List<String[]> packages) {
        TestImages.Image image = TestImages.alpine(AMD64, packages);
        new ImagePusher(upstream).push(repository, "1", image);
        String byDigest = upstream.hostPort() + "/" + repository + "@" + image.digest();
        upstreamKey.sign(byDigest);
        upstreamKey.signLegacy(byDigest);
        upstreamKey.attest(byDigest, ATTESTATION, "{\"built\":\"upstream\"}");
        return byDigest;
    }

    private static List<String[]> cleanPackages(String busybox) {
        return List.<String[]>of(new String[] {"busybox", busybox, "busybox"});
    }

    private VetResult vet(String source, String target, String referrers) {
        return ImageGate.create(TestSettings.in(dir))
                .vet(
                        VetSpec.builder()
                                .source(source)
                                .target(target)
                                .referrers(referrers)
                                .trivy(
                                        TrivySettings.builder()
                                                .cacheDir(cache.toString())
                                                .skipDbUpdate(true)
                                                .skipJavaDbUpdate(true)
                                                .offlineScan(true)
                                                .build())
                                .build(),
                        ProgressListener.NONE);
    }

    private static String priv(String path) {
        return registry.hostPort() + "/" + path;
    }

    private static String digestOf(String reference) {
        return reference.substring(reference.indexOf('@') + 1);
    }

    @Test
    void signaturesAndAttestationsArePromotedAndVerifyOnTheTrustedName() throws IOException {
        String source = signedUpstream("library/signed", cleanPackages("1.37.0-r30"));
        // The upstream also claims a PASS from "imagegate": a verdict with every field right, for
        // this very target.
        String target = priv("base/signed:1");
        forgeUpstreamVerdict(source, target);

        VetResult result = vet(source.replace("@" + digestOf(source), ":1"), target, null);

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        assertThat(result.promoted()).isTrue();
        String trusted = priv("base/signed@" + digestOf(source));
        upstreamKey.verify(trusted);
        upstreamKey.cosign(
                List.of(
                        "verify",
                        "--key",
                        "cosign.pub",
                        "--insecure-ignore-tlog",
                        "--allow-http-registry",
                        "--new-bundle-format=false",
                        trusted));
        upstreamKey.verifyAttestation(trusted, ATTESTATION);
        upstreamKey.verify(priv("quarantine/base/signed@" + digestOf(source)));
        // Only this vet's verdict stands beside the image and in quarantine: the upstream's stayed
        // upstream.
        VerdictsResult verdicts =
                ImageGate.create(TestSettings.in(dir)).verdicts(new VerdictSpec(target));
        assertThat(verdicts.verdicts())
                .singleElement()
                .satisfies(v -> assertThat(v.document()).doesNotContain("forged-upstream"));
        String discovered = Oras.run("discover", "--plain-http", "--format", "json", trusted);
        JsonNode referrers =
                new ObjectMapper()
                        .readTree(discovered.substring(discovered.indexOf('{')))
                        .path("referrers");
        assertThat(referrers)
                .extracting(r -> r.path("artifactType").asText())
                .containsExactlyInAnyOrder(
                        "application/vnd.dev.sigstore.bundle.v0.3+json",
                        "application/vnd.dev.sigstore.bundle.v0.3+json",
                        VerdictDocument.MEDIA_TYPE);
    }

    @Test
    void aFailingImagesSignaturesStayInQuarantine() {
        String source =
                signedUpstream(
                        "library/failing",
                        List.<String[]>of(
                                new String[] {"openssl", "3.5.0-r0", "openssl"},
                                new String[] {"busybox", "1.37.0-r30", "busybox"}));

        VetResult result =
                vet(source.replace("@" + digestOf(source), ":1"), priv("base/failing:1"), null);

        assertThat(result.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        upstreamKey.verify(priv("quarantine/base/failing@" + digestOf(source)));
        ImagePusher check = new ImagePusher(registry);
        String hex = digestOf(source).substring("sha256:".length());
        assertThat(check.tagExists("base/failing", "sha256-" + hex)).isFalse();
        assertThat(check.tagExists("base/failing", "sha256-" + hex + ".sig")).isFalse();
    }

    @Test
    void referrersNoneVetsTheImageAlone() {
        String source = signedUpstream("library/bare", cleanPackages("1.37.0-r31"));

        VetResult result =
                vet(source.replace("@" + digestOf(source), ":1"), priv("base/bare:1"), "none");

        assertThat(result.promoted()).as(result.toString()).isTrue();
        assertThatThrownBy(() -> upstreamKey.verify(priv("base/bare@" + digestOf(source))))
                .hasMessageContaining("no signatures found");
        assertThatThrownBy(
                        () -> upstreamKey.verify(priv("quarantine/base/bare@" + digestOf(source))))
                .hasMessageContaining("no signatures found");
    }

    /**
     * Attaches to the upstream image a PASS verdict artifact naming {@code target}, as imagegate
     * would write it.
     */
    private static void forgeUpstreamVerdict(String source, String target) {
        try (RegistryClient client =
                new RegistryClient(
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous(),
                        TransportListener.NONE)) {
            RemoteRepository repository = client.push(ImageReference.parse(source));
            Descriptor subject = repository.headManifest(digestOf(source)).orElseThrow();
            VerdictDocument document =
                    VerdictDocument.of(
                            ImageReference.parse(target),
                            subject.digest(),
                            subject.mediaType(),
                            ImageReference.parse(source),
                            Policy.defaults().digest(),
                            List.of(
                                    io.imagegate.policy.PolicyEvaluator.evaluate(
                                            Policy.defaults(),
                                            ImageReference.parse(source),
                                            java.util.Optional.of(AMD64),
                                            List.of(),
                                            1,
                                            new io.imagegate.finding.ScannerInfo(
                                                    "trivy",
                                                    "0.0.0",
                                                    java.util.Optional.empty(),
                                                    java.util.Optional.empty()),
                                            Instant.now())),
                            Instant.now(),
                            "forged-upstream",
                            java.util.Set.of());
            VerdictArtifact.of(subject, document).push(repository);
        }
    }
}
