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
        return api().gate(
                        GateSpec.builder()
                                .files(
                                        Files.exists(dir.resolve("Dockerfile"))
                                                ? List.of("Dockerfile")
                                                : List.of())
                                .images(images)
                                .trusted(List.of(priv("base")))
                                .map(map())
                                .quarantine("held")
                                .policy(policy().toString())
                                .requireDigest(requireDigest)
                                .requireVetted(true)
                                .build());
    }

    /** The inputs a fix of each operation may carry: this runner knows no other. */
    private static final Set<Field> VET_INPUTS =
            EnumSet.of(Field.SOURCE, Field.TARGET, Field.QUARANTINE, Field.POLICY);

    private static final Set<Field> REWRITE_INPUTS =
            EnumSet.of(Field.MAP, Field.PIN, Field.DOCKERFILES);

    /** Runs a fix as a front end would run its command: its inputs and nothing else. */
    private void run(Fix fix) {
        switch (fix.operation()) {
            case VET -> {
                assertThat(fix.inputs().keySet()).isSubsetOf(VET_INPUTS);
                VetResult result =
                        api().vet(
                                        VetSpec.builder()
                                                .source(fix.inputs().get(Field.SOURCE))
                                                .target(fix.inputs().get(Field.TARGET))
                                                .quarantine(fix.inputs().get(Field.QUARANTINE))
                                                .policy(fix.inputs().get(Field.POLICY))
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
}
