package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.imagegate.copy.ImportListener;
import io.imagegate.message.Edit;
import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Operation;
import io.imagegate.message.Vocabulary;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.scan.Trivy;
import io.imagegate.scan.TrivyOptions;
import io.imagegate.testing.Cosign;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import io.imagegate.vetting.Vetter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fix the gate prints, carried out exactly as given (its commands, then its edit), turns its
 * violation green: for each kind of violation, against the real registry, the real Trivy and the
 * fixture DB, with a team's mapping rules, quarantine and policy in force.
 */
@NeedsComponents
class GateFixesTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static final String JIB = "jib-maven-plugin <from><image>";

    static TestImages.Image clean;

    @TempDir Path dir;

    @BeforeAll
    static void images() {
        clean =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        new ImagePusher(upstream).push("library/clean", "1", clean);
    }

    private static String up(String path) {
        return upstream.hostPort() + "/" + path;
    }

    private static String priv(String path) {
        return registry.hostPort() + "/" + path;
    }

    /** The team's configuration: Docker Hub-style library images go under PRIV/base. */
    private List<String> map() {
        return List.of(upstream.hostPort() + "/library=" + priv("base"));
    }

    /** A policy that means something else than the default one, with an age limit. */
    private Path policy() throws IOException {
        return Files.writeString(
                dir.resolve("team-policy.yaml"), "failOn: CRITICAL\nmaxVerdictAge: 1d\n");
    }

    private ImageGate api() {
        return ImageGate.create(TestSettings.in(dir));
    }

    private GateResult gate(boolean requireDigest, List<ImageSource> images) throws IOException {
        return api().gate(spec(requireDigest, images).build());
    }

    /** The team's gate, to be completed by a test (platforms, verification keys). */
    private GateSpec.Builder spec(boolean requireDigest, List<ImageSource> images)
            throws IOException {
        return GateSpec.builder()
                .files(Files.exists(dir.resolve("Dockerfile")) ? List.of("Dockerfile") : List.of())
                .images(images)
                .trusted(List.of(priv("base")))
                .map(map())
                .quarantine("held")
                .policy(policy().toString())
                .requireDigest(requireDigest)
                .requireVetted(true);
    }

    /** The inputs a fix of each operation may carry: this runner knows no other. */
    private static final Set<Field> VET_INPUTS =
            EnumSet.of(Field.SOURCE, Field.TARGET, Field.QUARANTINE, Field.POLICY, Field.PLATFORM);

    private static final Set<Field> REWRITE_INPUTS =
            EnumSet.of(Field.MAP, Field.PIN, Field.DOCKERFILES);

    /** Runs a fix as a front end would run its command: its inputs and nothing else. */
    private void run(Fix fix) {
        run(fix, null);
    }

    /**
     * Runs a fix as a front end would run its command: its inputs and nothing else, and the signing
     * key when the fix says to set one.
     */
    private void run(Fix fix, Cosign.KeyPair signing) {
        switch (fix.operation()) {
            case VET -> {
                assertThat(fix.inputs().keySet()).isSubsetOf(VET_INPUTS);
                String platforms = fix.inputs().get(Field.PLATFORM);
                VetResult result =
                        (signing == null
                                        ? api()
                                        : ImageGate.create(
                                                TestSettings.in(
                                                        dir,
                                                        java.util.Map.of(
                                                                "IMAGEGATE_SIGNING_KEY_PASSWORD",
                                                                signing.password()))))
                                .vet(
                                        VetSpec.builder()
                                                .source(fix.inputs().get(Field.SOURCE))
                                                .target(fix.inputs().get(Field.TARGET))
                                                .quarantine(fix.inputs().get(Field.QUARANTINE))
                                                .policy(fix.inputs().get(Field.POLICY))
                                                .platforms(
                                                        platforms == null
                                                                ? List.of()
                                                                : List.of(platforms.split(",")))
                                                .signingKey(
                                                        signing == null
                                                                ? null
                                                                : signing.privateKey().toString())
                                                .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                                .build(),
                                        ProgressListener.NONE);
                assertThat(result.outcome())
                        .as(result.lines().toString())
                        .isEqualTo(Outcome.PASSED);
            }
            case REWRITE -> {
                assertThat(fix.inputs().keySet()).isSubsetOf(REWRITE_INPUTS);
                RewriteResult result =
                        api().rewrite(
                                        new RewriteSpec(
                                                List.of(fix.inputs().get(Field.DOCKERFILES)),
                                                Arrays.asList(
                                                        fix.inputs().get(Field.MAP).split(",")),
                                                "true".equals(fix.inputs().get(Field.PIN)),
                                                null,
                                                false));
                assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
            }
            default -> fail("the gate suggested " + fix.operation() + ", which no test runs");
        }
    }

    /**
     * Runs the one violation's fixes and applies its edit to the configured images; returns them.
     */
    private List<ImageSource> carryOut(GateResult result, List<ImageSource> images) {
        assertThat(result.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        GateResult.Violation v = result.violations().get(0);
        v.fixes().forEach(this::run);
        List<ImageSource> edited = new ArrayList<>(images);
        if (v.edit().isPresent()) {
            Edit edit = v.edit().get();
            edited.replaceAll(
                    s ->
                            s.what().equals(edit.what()) && s.line() == edit.line()
                                    ? new ImageSource(edit.value(), s.file(), s.line(), s.what())
                                    : s);
        }
        return edited;
    }

    private void assertFixed(String rule, String dockerfile, boolean requireDigest)
            throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        GateResult before = gate(requireDigest, List.of());
        assertThat(before.violations()).singleElement().extracting(v -> v.rule()).isEqualTo(rule);
        assertThat(before.violations().get(0).fixes()).isNotEmpty();
        carryOut(before, List.of());
        GateResult after = gate(requireDigest, List.of());
        assertThat(after.outcome()).as(after.violations().toString()).isEqualTo(Outcome.PASSED);
    }

    private static Fix onlyFix(GateResult result) {
        return result.violations().get(0).fixes().get(0);
    }

    @Test
    void anUntrustedImageIsVettedWhereTheTeamMapPutsItAndTheRewriteFollowsTheSameRules()
            throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + up("library/clean:1") + "\n");
        GateResult before = gate(false, List.of());
        Fix vet = onlyFix(before);
        assertThat(vet.inputs().get(Field.TARGET)).isEqualTo(priv("base/clean:1"));
        assertThat(vet.inputs().get(Field.QUARANTINE)).isEqualTo("held");
        assertThat(vet.inputs().get(Field.POLICY)).isEqualTo(policy().toString());

        assertFixed("untrusted", "FROM " + up("library/clean:1") + "\n", false);
        assertThat(Files.readString(dir.resolve("Dockerfile")))
                .startsWith("FROM " + priv("base/clean:1@") + clean.digest());
    }

    @Test
    void anImageImportedWithoutVettingIsVettedInPlace() throws IOException {
        new ImagePusher(registry).push("base/direct", "1", clean);
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + priv("base/direct:1") + "\n");
        Fix vet = onlyFix(gate(false, List.of()));
        assertThat(vet.inputs().get(Field.SOURCE)).isEqualTo(priv("base/direct:1"));

        assertFixed("not-vetted", "FROM " + priv("base/direct:1") + "\n", false);
    }

    @Test
    void aStaleVerdictIsVettedAgainFromTheUpstreamSourceItRecords() throws IOException {
        // vetted two days ago under the team policy, which allows one
        Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
        try (RegistryClient client =
                new RegistryClient(
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous(),
                        ImportListener.NONE)) {
            Path cache = FixtureVulnerabilityDb.cacheDir();
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
                                    ImageReference.parse(priv("base/old:1")),
                                    ImageReference.parse(priv("held/base/old:1")),
                                    List.of(),
                                    false,
                                    Policy.load(policy())));
        }
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + priv("base/old:1") + "\n");
        GateResult before = gate(false, List.of());
        assertThat(before.violations().get(0).reason().code()).isEqualTo("gate.not-vetted");
        assertThat(before.violations().get(0).reason().render(Vocabulary.NEUTRAL))
                .contains("older than the policy");
        // the recorded upstream source, pinned as it was vetted: no literal placeholder
        assertThat(onlyFix(before).inputs().get(Field.SOURCE))
                .isEqualTo(up("library/clean:1@") + clean.digest());
        assertThat(before.violations().get(0).describe(Vocabulary.NEUTRAL))
                .doesNotContain("<source>");

        assertFixed("not-vetted", "FROM " + priv("base/old:1") + "\n", false);
    }

    @Test
    void aVerdictUnderAnotherPolicyIsVettedAgainUnderTheGatesPolicy() throws IOException {
        VetResult vetted =
                api().vet(
                                VetSpec.builder()
                                        .source(up("library/clean:1"))
                                        .target(priv("base/other:1"))
                                        .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                        .build(),
                                ProgressListener.NONE);
        assertThat(vetted.outcome()).isEqualTo(Outcome.PASSED);
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + priv("base/other:1") + "\n");
        GateResult before = gate(false, List.of());
        assertThat(before.violations().get(0).reason().render(Vocabulary.NEUTRAL))
                .contains("another policy");
        assertThat(onlyFix(before).inputs().get(Field.SOURCE))
                .isEqualTo(up("library/clean:1@") + clean.digest());

        assertFixed("not-vetted", "FROM " + priv("base/other:1") + "\n", false);
    }

    @Test
    void anUnpinnedReferenceIsPinnedByTheRewriteItSuggests() throws IOException {
        assertFixed("untrusted", "FROM " + up("library/clean:1") + "\n", false);
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + priv("base/clean:1") + "\n");
        GateResult before = gate(true, List.of());
        assertThat(onlyFix(before).operation()).isEqualTo(Operation.REWRITE);

        assertFixed("unpinned", "FROM " + priv("base/clean:1") + "\n", true);
    }

    @Test
    void jibsBaseImageIsVettedThenSetToTheVettedNamePinnedByItsRealDigest() throws IOException {
        Path pom = dir.resolve("pom.xml");
        List<ImageSource> images =
                List.of(new ImageSource(up("library/clean:1"), pom.toString(), 12, JIB));
        GateResult before = gate(true, images);
        assertThat(before.violations())
                .singleElement()
                .extracting(v -> v.rule())
                .isEqualTo("untrusted");
        String pinned = priv("base/clean:1@") + clean.digest();
        assertThat(before.violations().get(0).edit())
                .contains(new Edit(JIB, pom.toString(), 12, pinned));
        assertThat(before.violations().get(0).fix().render(Vocabulary.NEUTRAL))
                .endsWith("then set " + JIB + " to " + pinned)
                .doesNotContain("…");

        List<ImageSource> edited = carryOut(before, images);
        GateResult after = gate(true, edited);
        assertThat(after.outcome()).as(after.violations().toString()).isEqualTo(Outcome.PASSED);

        // trusted but unpinned: the edit names the digest the tag holds
        List<ImageSource> unpinned =
                List.of(new ImageSource(priv("base/clean:1"), pom.toString(), 12, JIB));
        GateResult tagOnly = gate(true, unpinned);
        assertThat(tagOnly.violations().get(0).rule()).isEqualTo("unpinned");
        assertThat(tagOnly.violations().get(0).fix().render(Vocabulary.NEUTRAL))
                .isEqualTo("set " + JIB + " to " + pinned);
        assertThat(gate(true, carryOut(tagOnly, unpinned)).outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void aPinnedJibFixWithPlatformsInForceNamesThemAndPinsTheDigestTheVetPromotes()
            throws IOException {
        // A multi-arch upstream image: keeping one platform promotes a reduced index, a digest of
        // its own.
        TestImages.Index multi =
                TestImages.index(
                        List.of(
                                clean,
                                TestImages.alpine(
                                        Platform.parse("linux/arm64"),
                                        List.<String[]>of(
                                                new String[] {
                                                    "busybox", "1.37.0-r30", "busybox"
                                                }))),
                        true);
        new ImagePusher(upstream).push("library/multi", "1", multi);
        Path pom = dir.resolve("pom.xml");
        List<ImageSource> images =
                List.of(new ImageSource(up("library/multi:1"), pom.toString(), 12, JIB));
        GateResult before =
                api().gate(spec(true, images).platforms(List.of("linux/amd64")).build());
        assertThat(before.violations())
                .singleElement()
                .extracting(v -> v.rule())
                .isEqualTo("untrusted");
        Fix vet = onlyFix(before);
        assertThat(vet.inputs()).containsEntry(Field.PLATFORM, "linux/amd64");
        Edit edit = before.violations().get(0).edit().orElseThrow();
        String printed = edit.value().substring(edit.value().indexOf('@') + 1);
        String index =
                new ImagePusher(upstream)
                        .manifestDigest("library/multi", "1")
                        .orElseThrow()
                        .toString();
        // the vet keeps one platform: the index's own digest would name what it never promotes
        assertThat(printed).isNotEqualTo(index);
        assertThat(before.violations().get(0).fix().render(Vocabulary.NEUTRAL))
                .endsWith("then set " + JIB + " to " + priv("base/multi:1@") + printed);

        List<ImageSource> edited = carryOut(before, images);
        assertThat(
                        new ImagePusher(registry)
                                .manifestDigest("base/multi", "1")
                                .orElseThrow()
                                .toString())
                .isEqualTo(printed);
        GateResult after = api().gate(spec(true, edited).platforms(List.of("linux/amd64")).build());
        assertThat(after.outcome()).as(after.violations().toString()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void underVerifyKeysTheFixNamesOnlyASourceASignedVerdictRecordsAndSaysWhichKeyToSet()
            throws IOException {
        Cosign.KeyPair team = Cosign.generateKeyPair(dir, "team", "team-Secret-42");
        // Someone who can push to the registry, but has no key, records a newer unsigned verdict
        // naming their own "upstream" (a real vet, so the document is well formed).
        new ImagePusher(upstream).push("evil/clean", "1", clean);
        String hostile = up("evil/clean:1");
        VetResult signed =
                ImageGate.create(
                                TestSettings.in(
                                        dir,
                                        java.util.Map.of(
                                                "IMAGEGATE_SIGNING_KEY_PASSWORD", team.password())))
                        .vet(
                                VetSpec.builder()
                                        .source(up("library/clean:1"))
                                        .target(priv("base/signed:1"))
                                        .signingKey(team.privateKey().toString())
                                        .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                        .build(),
                                ProgressListener.NONE);
        assertThat(signed.outcome()).as(signed.lines().toString()).isEqualTo(Outcome.PASSED);
        // under a policy of their own, so that it supersedes nothing and both are read
        Path theirs =
                Files.writeString(
                        dir.resolve("their-policy.yaml"), "failOn: CRITICAL\nmaxVerdictAge: 30d\n");
        for (String target : List.of(priv("base/signed:1"), priv("base/forged:1"))) {
            VetResult forged =
                    api().vet(
                                    VetSpec.builder()
                                            .source(hostile)
                                            .target(target)
                                            .force(true)
                                            .policy(theirs.toString())
                                            .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                            .build(),
                                    ProgressListener.NONE);
            assertThat(forged.outcome()).as(forged.lines().toString()).isEqualTo(Outcome.PASSED);
        }
        String key = team.publicKey().toString();

        // Both are vetted under the default policy, not the team's: the gate fails them.
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + priv("base/signed:1") + "\n");
        GateResult keyed = api().gate(spec(false, List.of()).verifyKeys(List.of(key)).build());
        GateResult.Violation v = keyed.violations().get(0);
        assertThat(v.rule()).isEqualTo("not-vetted");
        // the signed verdict's source, never the newer unsigned one's
        assertThat(onlyFix(keyed).inputs().get(Field.SOURCE))
                .isEqualTo(up("library/clean:1@") + clean.digest());
        String text = v.describe(Vocabulary.NEUTRAL);
        assertThat(text).doesNotContain(hostile).doesNotContain("<the private key");
        // the signing key is an instruction of its own, naming the parameter and the key it matches
        assertThat(onlyFix(keyed).inputs()).doesNotContainKey(Field.SIGNING_KEY);
        assertThat(v.fix().code()).isEqualTo("gate.fix-signing-key");
        assertThat(text)
                .contains(
                        "(fix: set "
                                + Field.SIGNING_KEY.id()
                                + " to the private key matching "
                                + key
                                + " (the gate counts only verdicts signed by a listed key), then: vet ");

        // Without keys every verdict is unsigned: the newest one's source is only a suggestion.
        GateResult unkeyed = gate(false, List.of());
        assertThat(onlyFix(unkeyed).inputs().get(Field.SOURCE)).startsWith(hostile);
        assertThat(unkeyed.violations().get(0).describe(Vocabulary.NEUTRAL))
                .contains("(suggested: " + hostile)
                .contains("that verdict is not signed");

        // Only the unsigned verdict records a source: under keys, the fix vets in place.
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + priv("base/forged:1") + "\n");
        GateResult inPlace = api().gate(spec(false, List.of()).verifyKeys(List.of(key)).build());
        assertThat(onlyFix(inPlace).inputs().get(Field.SOURCE)).isEqualTo(priv("base/forged:1"));
        assertThat(inPlace.violations().get(0).describe(Vocabulary.NEUTRAL))
                .doesNotContain(hostile)
                .contains("no verdict signed by a listed key records an upstream source");

        // The fix, run as printed with the key it names, turns the gate green.
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + priv("base/signed:1") + "\n");
        run(onlyFix(keyed), team);
        GateResult after = api().gate(spec(false, List.of()).verifyKeys(List.of(key)).build());
        assertThat(after.outcome()).as(after.violations().toString()).isEqualTo(Outcome.PASSED);
    }
}
