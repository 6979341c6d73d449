package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.GateResult;
import io.imagegate.api.GateSpec;
import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.StoredVerdict;
import io.imagegate.api.TrivySettings;
import io.imagegate.api.VerdictSpec;
import io.imagegate.api.VerdictsResult;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.copy.ImportListener;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.scan.Trivy;
import io.imagegate.scan.TrivyOptions;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.Oras;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.RegistryFront;
import io.imagegate.testing.RegistryRequest;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vet workflow and reading verdicts, against the real registry, the real Trivy and the
 * project's fixture DB.
 */
@NeedsComponents
class VettingTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static final Platform AMD64 = Platform.parse("linux/amd64");
    static TestImages.Image clean;
    static TestImages.Image vulnerable;
    static TestImages.Index mixed;
    static Path cache;

    @TempDir Path dir;

    @BeforeAll
    static void images() {
        cache = FixtureVulnerabilityDb.cacheDir();
        clean = TestImages.cleanAlpine();
        vulnerable = TestImages.vulnerableAlpine();
        TestImages.Image armClean =
                TestImages.alpine(
                        Platform.parse("linux/arm64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r31", "busybox"}));
        mixed = TestImages.index(List.of(armClean, vulnerable), true);
        ImagePusher pusher = new ImagePusher(upstream);
        pusher.push("library/clean", "1", clean);
        pusher.push("library/vulnerable", "1", vulnerable);
        pusher.push("library/mixed", "1", mixed);
    }

    private String up(String path) {
        return upstream.hostPort() + "/" + path;
    }

    private String priv(String path) {
        return registry.hostPort() + "/" + path;
    }

    private ImageGate api() {
        return ImageGate.create(TestSettings.in(dir));
    }

    private VetResult vet(String source, String target, Path policy, boolean force) {
        return api().vet(
                        VetSpec.builder()
                                .source(source)
                                .target(target)
                                .policy(policy == null ? null : policy.toString())
                                .force(force)
                                .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                .build(),
                        ProgressListener.NONE);
    }

    private GateResult gate(String dockerfileText, Path policy, boolean anyPolicy)
            throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), dockerfileText);
        return api().gate(
                        GateSpec.builder()
                                .files(List.of("Dockerfile"))
                                .trusted(List.of(registry.hostPort()))
                                .requireVetted(true)
                                .policy(policy == null ? null : policy.toString())
                                .anyPolicy(anyPolicy)
                                .build());
    }

    @Test
    void aCleanImageIsPromotedThroughMountsWithItsVerdictBesideIt() {
        registry.clearRequests();
        VetResult result = vet(up("library/clean:1"), priv("base/clean:1"), null, false);

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        assertThat(result.promoted()).isTrue();
        ImagePusher check = new ImagePusher(registry);
        assertThat(check.manifestDigest("base/clean", "1")).contains(clean.digest());
        assertThat(check.manifestDigest("quarantine/base/clean", "1")).contains(clean.digest());
        // Promotion mounted every blob of the image from quarantine: no layer was uploaded into the
        // trusted repository;
        // the only uploads there are the verdict's empty config and document.
        List<RegistryRequest> requests = registry.awaitRequests();
        long mounted =
                requests.stream()
                        .filter(
                                r ->
                                        r.method().equals("POST")
                                                && r.path().equals("/v2/base/clean/blobs/uploads/")
                                                && r.status() == 201)
                        .count();
        assertThat(mounted).isEqualTo(clean.blobs().size());
        long uploaded =
                requests.stream()
                        .filter(
                                r ->
                                        r.method().equals("PUT")
                                                && r.path()
                                                        .startsWith(
                                                                "/v2/base/clean/blobs/uploads/"))
                        .count();
        assertThat(uploaded).isEqualTo(2);
        assertThat(requests)
                .noneMatch(
                        r -> r.method().equals("PATCH") && r.path().startsWith("/v2/base/clean/"));

        // The verdict is found through the referrers tag schema (this registry has no referrers
        // API).
        assertThat(check.tagExists("base/clean", "sha256-" + clean.digest().hex())).isTrue();
        VerdictsResult verdicts = api().verdicts(new VerdictSpec(priv("base/clean:1")));
        assertThat(verdicts.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(verdicts.verdicts())
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.verdict()).isEqualTo("PASS");
                            assertThat(v.subject()).isEqualTo(clean.digest().toString());
                            assertThat(v.policyDigest()).isEqualTo(Policy.defaults().digest());
                        });
    }

    @Test
    void aVulnerableImageIsNotPromotedAndItsFailIsRecordedInQuarantine() throws IOException {
        VetResult result = vet(up("library/vulnerable:1"), priv("base/vulnerable:1"), null, false);

        assertThat(result.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(result.promoted()).isFalse();
        assertThat(new ImagePusher(registry).tagExists("base/vulnerable", "1")).isFalse();
        VerdictsResult inQuarantine =
                api().verdicts(new VerdictSpec(priv("quarantine/base/vulnerable:1")));
        assertThat(inQuarantine.verdicts())
                .singleElement()
                .satisfies(v -> assertThat(v.verdict()).isEqualTo("FAIL"));
        JsonNode doc = new ObjectMapper().readTree(inQuarantine.verdicts().get(0).document());
        assertThat(doc.path("platforms").get(0).path("reasons").get(0).asText())
                .contains("severity HIGH or above");
        assertThat(doc.path("counts").path("CRITICAL").asInt()).isEqualTo(1);
    }

    @Test
    void anAllowlistedFindingLetsTheImageThroughAndTheVerdictSaysWhy() throws IOException {
        Path policy =
                Files.writeString(
                        dir.resolve("allow.yaml"),
                        """
                failOn: HIGH
                allowlist:
                  - id: CVE-2099-0001
                    package: openssl
                    reason: not reachable in our use
                    expires: 2099-12-31
                """);
        VetResult result = vet(up("library/vulnerable:1"), priv("base/allowed:1"), policy, false);

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        assertThat(new ImagePusher(registry).manifestDigest("base/allowed", "1"))
                .contains(vulnerable.digest());
        StoredVerdict stored =
                api().verdicts(new VerdictSpec(priv("base/allowed:1"))).verdicts().get(0);
        JsonNode doc = new ObjectMapper().readTree(stored.document());
        assertThat(doc.path("allowlisted"))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.path("id").asText()).isEqualTo("CVE-2099-0001");
                            assertThat(a.path("reason").asText())
                                    .isEqualTo("not reachable in our use");
                        });
        assertThat(doc.path("policy").path("digest").asText())
                .isEqualTo(Policy.load(policy).digest());
    }

    @Test
    void aMultiArchImageWithOneFailingPlatformIsNotPromoted() throws IOException {
        VetResult result = vet(up("library/mixed:1"), priv("base/mixed:1"), null, false);

        assertThat(result.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(result.verdicts())
                .extracting(v -> v.platform() + " " + v.verdict())
                .containsExactlyInAnyOrder("linux/arm64 PASS", "linux/amd64 FAIL");
        assertThat(new ImagePusher(registry).tagExists("base/mixed", "1")).isFalse();
        // the verdict's subject is the index; the document holds each platform's verdict
        JsonNode doc =
                new ObjectMapper()
                        .readTree(
                                api().verdicts(new VerdictSpec(priv("quarantine/base/mixed:1")))
                                        .verdicts()
                                        .get(0)
                                        .document());
        assertThat(doc.path("subject").path("digest").asText())
                .isEqualTo(mixed.digest().toString());
        assertThat(doc.path("platforms")).hasSize(2);
    }

    @Test
    void vettingAVettedImageAgainCopiesAndScansNothing() {
        assertThat(vet(up("library/clean:1"), priv("base/again:1"), null, false).promoted())
                .isTrue();
        registry.clearRequests();
        upstream.clearRequests();

        // A Trivy that does not exist: if vetting ran it, it would fail.
        VetResult again =
                api().vet(
                                VetSpec.builder()
                                        .source(up("library/clean:1"))
                                        .target(priv("base/again:1"))
                                        .trivy(
                                                TrivySettings.builder()
                                                        .path(dir.resolve("no-trivy").toString())
                                                        .build())
                                        .build(),
                                ProgressListener.NONE);

        assertThat(again.outcome()).as(again.toString()).isEqualTo(Outcome.PASSED);
        assertThat(again.alreadyVetted()).isTrue();
        List<RegistryRequest> upstreamRequests =
                upstream.awaitRequests().stream().filter(r -> !r.path().equals("/v2/")).toList();
        List<RegistryRequest> privateRequests =
                registry.awaitRequests().stream().filter(r -> !r.path().equals("/v2/")).toList();
        assertThat(upstreamRequests).extracting(RegistryRequest::method).containsExactly("HEAD");
        // HEAD of the trusted tag; the referrers index and API beside it and in quarantine (where a
        // FAIL may stand); the
        // verdict manifest and its document: nothing else, no layer
        assertThat(privateRequests)
                .hasSizeLessThanOrEqualTo(7)
                .allMatch(r -> r.method().equals("HEAD") || r.method().equals("GET"));
        assertThat(privateRequests.stream().filter(r -> r.path().contains("/blobs/")).toList())
                .hasSize(1);
    }

    @Test
    void verdictsSurviveARegistryRestart() throws IOException {
        assertThat(vet(up("library/clean:1"), priv("base/durable:1"), null, false).promoted())
                .isTrue();
        registry.restart();
        assertThat(api().verdicts(new VerdictSpec(priv("base/durable:1"))).outcome())
                .isEqualTo(Outcome.PASSED);
        assertThat(gate("FROM " + priv("base/durable:1") + "\n", null, false).outcome())
                .isEqualTo(Outcome.PASSED);
    }

    @Test
    void verdictsAreFoundThroughTheReferrersApiWhereARegistryOffersIt() throws IOException {
        try (RegistryFront front = new RegistryFront(registry)) {
            front.serveReferrersApi(true);
            String target = front.hostPort() + "/api/clean:1";
            VetResult result = vet(up("library/clean:1"), target, null, false);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
            // The registry indexed the verdict itself (OCI-Subject): no referrers tag was written.
            assertThat(
                            new ImagePusher(registry)
                                    .tagExists("api/clean", "sha256-" + clean.digest().hex()))
                    .isFalse();

            Files.writeString(dir.resolve("Dockerfile"), "FROM " + target + "\n");
            GateResult gate =
                    api().gate(
                                    GateSpec.builder()
                                            .files(List.of("Dockerfile"))
                                            .trusted(List.of(front.hostPort()))
                                            .requireVetted(true)
                                            .build());
            assertThat(gate.outcome()).as(gate.toString()).isEqualTo(Outcome.PASSED);
            assertThat(front.referrersQueries()).isPositive();
        }
    }

    @Test
    void theGateNamesWhyAnImageIsNotVetted() throws IOException {
        Path lenient =
                Files.writeString(
                        dir.resolve("lenient.yaml"),
                        """
                failOn: CRITICAL
                allowlist:
                  - id: CVE-2099-0001
                    reason: accepted for this test
                    expires: 2099-12-31
                """);
        Path strict = Files.writeString(dir.resolve("strict.yaml"), "failOn: HIGH\n");
        Path young =
                Files.writeString(dir.resolve("young.yaml"), "failOn: HIGH\nmaxVerdictAge: 1d\n");

        // vetted under the lenient policy
        assertThat(vet(up("library/vulnerable:1"), priv("gate/vuln:1"), lenient, false).promoted())
                .isTrue();
        assertThat(gate("FROM " + priv("gate/vuln:1") + "\n", lenient, false).outcome())
                .isEqualTo(Outcome.PASSED);
        // another policy's verdicts do not count
        GateResult other = gate("FROM " + priv("gate/vuln:1") + "\n", strict, false);
        assertThat(other.violations())
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.rule()).isEqualTo("not-vetted");
                            assertThat(v.reason().args())
                                    .anySatisfy(
                                            a ->
                                                    assertThat(a)
                                                            .isInstanceOfSatisfying(
                                                                    io.imagegate.message.Message
                                                                            .class,
                                                                    m ->
                                                                            assertThat(m.code())
                                                                                    .isEqualTo(
                                                                                            "vetting.other-policy")));
                        });
        // re-vetted under the strict policy it fails, and the FAIL goes beside the trusted name
        assertThat(vet(up("library/vulnerable:1"), priv("gate/vuln:1"), strict, true).outcome())
                .isEqualTo(Outcome.POLICY_FAILED);
        assertThat(reasonCode(gate("FROM " + priv("gate/vuln:1") + "\n", strict, false)))
                .isEqualTo("vetting.failed");
        assertThat(reasonCode(gate("FROM " + priv("gate/vuln:1") + "\n", null, true)))
                .isEqualTo("vetting.failed");
        // no verdict at all
        new ImagePusher(registry).push("gate/unvetted", "1", clean);
        assertThat(reasonCode(gate("FROM " + priv("gate/unvetted:1") + "\n", null, false)))
                .isEqualTo("vetting.no-verdict");
        // a PASS that is too old for the policy: vetted two days ago
        Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
        try (RegistryClient client =
                new RegistryClient(
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous(),
                        ImportListener.NONE)) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            new Vetter(
                            client,
                            () -> Trivy.locate(Optional.empty(), System.getenv(), cache, tmp),
                            TrivyOptions.offline(cache),
                            TransportOptions.defaults(),
                            CredentialProvider.anonymous(),
                            request -> ImportListener.NONE,
                            line -> {},
                            Clock.fixed(twoDaysAgo, ZoneOffset.UTC))
                    .vet(
                            new Vetter.Request(
                                    ImageReference.parse(up("library/clean:1")),
                                    ImageReference.parse(priv("gate/old:1")),
                                    ImageReference.parse(priv("quarantine/gate/old:1")),
                                    List.of(),
                                    false,
                                    Policy.load(young)));
        }
        assertThat(reasonCode(gate("FROM " + priv("gate/old:1") + "\n", young, false)))
                .isEqualTo("vetting.too-old");
        // under any policy and without an age limit, the same PASS vets it
        assertThat(reasonCode(gate("FROM " + priv("gate/old:1") + "\n", null, true))).isNull();
    }

    @Test
    void theVerdictDocumentFollowsItsPublishedSchema() throws IOException {
        Path policy =
                Files.writeString(
                        dir.resolve("allow.yaml"),
                        """
                failOn: HIGH
                allowlist:
                  - id: CVE-2099-0001
                    reason: accepted while the fix ships
                    expires: 2099-12-31
                """);
        vet(up("library/mixed:1"), priv("schema/mixed:1"), policy, false);
        String document =
                api().verdicts(new VerdictSpec(priv("schema/mixed:1")))
                        .verdicts()
                        .get(0)
                        .document();
        com.networknt.schema.JsonSchema schema =
                com.networknt.schema.JsonSchemaFactory.getInstance(
                                com.networknt.schema.SpecVersion.VersionFlag.V202012)
                        .getSchema(
                                Files.readString(
                                        FixtureVulnerabilityDb.projectRoot()
                                                .resolve("docs/verdict-v1.schema.json")));
        JsonNode json = new ObjectMapper().readTree(document);
        assertThat(schema.validate(json)).as("schema violations").isEmpty();
        assertThat(json.path("platforms")).hasSize(2);
        assertThat(json.path("allowlisted")).isNotEmpty();
        // and the schema does catch a document that breaks it
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("verdict", "MAYBE");
        assertThat(schema.validate(json)).isNotEmpty();
    }

    /** The code of the vetting reason of the one violation, or null when the gate passed. */
    private static String reasonCode(GateResult result) {
        if (result.outcome() == Outcome.PASSED) {
            return null;
        }
        assertThat(result.violations()).as(result.toString()).hasSize(1);
        return result.violations().get(0).reason().args().stream()
                .filter(a -> a instanceof io.imagegate.message.Message)
                .map(a -> ((io.imagegate.message.Message) a).code())
                .findFirst()
                .orElse(result.violations().get(0).reason().code());
    }

    @Test
    void orasSeesTheVerdicts() throws IOException {
        VetResult result = vet(up("library/clean:1"), priv("base/oras:1"), null, false);
        assertThat(result.promoted()).isTrue();

        JsonNode discovered =
                new ObjectMapper()
                        .readTree(
                                Oras.run(
                                        "discover",
                                        "--plain-http",
                                        "--format",
                                        "json",
                                        "--artifact-type",
                                        "application/vnd.imagegate.verdict.v1+json",
                                        priv("base/oras:1")));
        JsonNode referrers =
                discovered.has("referrers")
                        ? discovered.path("referrers")
                        : discovered.path("manifests");
        assertThat(referrers).hasSize(1);
        String verdictDigest = referrers.get(0).path("digest").asText();
        assertThat(referrers.get(0).path("artifactType").asText())
                .isEqualTo("application/vnd.imagegate.verdict.v1+json");

        Path out = Files.createDirectories(dir.resolve("pulled"));
        Oras.run(
                "pull",
                "--plain-http",
                "-o",
                out.toString(),
                priv("base/oras") + "@" + verdictDigest);
        String stored =
                api().verdicts(new VerdictSpec(priv("base/oras:1"))).verdicts().get(0).document();
        assertThat(Files.readString(out.resolve("imagegate-verdict.json"))).isEqualTo(stored);
    }
}
