package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.TrivySettings;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestProxy;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;

/**
 * Real Maven builds of the projects under {@code src/it} against the real registry and the real
 * Trivy with the fixture DB: the plugin as users meet it, from {@code mvn registry:import} without
 * a project to a parallel multi-module gate.
 */
@NeedsComponents
class MavenPluginIT {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension secured = RegistryExtension.htpasswd();

    static final Path WORK = Path.of("target/it").toAbsolutePath();
    static TestImages.Image clean;
    static TestImages.Image vulnerable;
    static TestImages.Image unvetted;
    static Path trivyCache;
    static Path home;
    static Path settings;
    static Map<String, String> tokens;

    @BeforeAll
    static void setUp() throws IOException {
        MavenBuild.delete(WORK);
        Platform amd64 = Platform.parse("linux/amd64");
        clean =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        vulnerable =
                TestImages.alpine(
                        amd64, List.<String[]>of(new String[] {"openssl", "3.5.0-r0", "openssl"}));
        unvetted =
                TestImages.alpine(
                        amd64, List.<String[]>of(new String[] {"zlib", "1.3.1-r5", "zlib"}));
        ImagePusher pusher = new ImagePusher(registry);
        pusher.push("public/clean", "1", clean);
        pusher.push("public/vulnerable", "1", vulnerable);
        pusher.push("trusted/unvetted", "1", unvetted);
        trivyCache = FixtureVulnerabilityDb.cacheDir();
        // The vetted image every gate test expects: vetted through the API, as a CI job with the
        // CLI would.
        VetResult vetted =
                ImageGate.create(TestSettings.in(WORK))
                        .vet(
                                VetSpec.builder()
                                        .source(ref("public/clean:1"))
                                        .target(ref("trusted/clean:1"))
                                        .trivy(trivy())
                                        .build(),
                                ProgressListener.NONE);
        assertThat(vetted.outcome()).as(vetted.lines().toString()).isEqualTo(Outcome.PASSED);

        Files.createDirectories(WORK);
        home = Files.createDirectories(WORK.resolve("home"));
        settings = MavenBuild.settings(WORK.resolve("settings.xml"), "");
        tokens = Map.of("registry", registry.hostPort(), "secure.registry", secured.hostPort());
    }

    static TrivySettings trivy() {
        return TrivySettings.builder()
                .cacheDir(trivyCache.toString())
                .skipDbUpdate(true)
                .skipJavaDbUpdate(true)
                .offlineScan(true)
                .build();
    }

    static String ref(String path) {
        return registry.hostPort() + "/" + path;
    }

    static String[] trivyProperties() {
        return new String[] {
            "-Dregistry.cacheDir=" + trivyCache,
            "-Dregistry.skipDbUpdate",
            "-Dregistry.skipJavaDbUpdate",
            "-Dregistry.offlineScan"
        };
    }

    private static MavenBuild.Result build(Path project, String... args) {
        return MavenBuild.run(project, settings, home, args);
    }

    /** A failed build explains itself in a few lines: no stack trace without -e. */
    private static void assertNoStackTrace(MavenBuild.Result result) {
        assertThat(result.log()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void importRunsWithoutAProjectThroughThePluginGroupAndRefusesToRunOffline() {
        Path dir = MavenBuild.project("import-standalone", tokens);

        MavenBuild.Result result =
                build(
                        dir,
                        "registry:import",
                        "-Dregistry.source=" + ref("public/clean:1"),
                        "-Dregistry.target=" + ref("imported/clean:1"));
        assertThat(result.succeeded()).as(result.log()).isTrue();
        assertThat(result.log())
                .contains("imported " + ref("imported/clean:1") + "@" + clean.digest());
        assertThat(new ImagePusher(registry).manifestDigest("imported/clean", "1"))
                .contains(clean.digest());

        // The full groupId:artifactId:version:goal form, offline: refused before anything is
        // copied.
        MavenBuild.Result offline =
                build(
                        dir,
                        "-o",
                        "io.imagegate:registry-maven-plugin:"
                                + MavenBuild.pluginVersion()
                                + ":import",
                        "-Dregistry.source=" + ref("public/clean:1"),
                        "-Dregistry.target=" + ref("offline/clean:1"));
        assertThat(offline.succeeded()).isFalse();
        assertThat(offline.log())
                .contains(
                        "registry:import needs the network to reach the registries, and Maven runs offline (-o)");
        assertNoStackTrace(offline);
        assertThat(new ImagePusher(registry).tagExists("offline/clean", "1")).isFalse();
    }

    @Test
    void aDockerfileUsingAVettedImagePassesVerify() {
        MavenBuild.Result result = build(MavenBuild.project("vetted-dockerfile", tokens), "verify");
        assertThat(result.succeeded()).as(result.log()).isTrue();
        assertThat(result.log())
                .contains("registry:gate: 1 image reference(s) checked, all trusted");
    }

    @Test
    void anUnvettedImageFailsInValidateNamingFileLineReasonAndFix() {
        Path dir = MavenBuild.project("unvetted-dockerfile", tokens);
        MavenBuild.Result result = build(dir, "validate");
        assertThat(result.succeeded()).isFalse();
        assertThat(result.log())
                .contains("BUILD FAILURE")
                .contains(
                        dir.resolve("Dockerfile")
                                + ":2: "
                                + ref("trusted/unvetted:1")
                                + ": "
                                + ref("trusted/unvetted:1")
                                + " is not vetted:")
                .contains(
                        "(fix: mvn registry:vet -Dregistry.source="
                                + ref("trusted/unvetted:1")
                                + " -Dregistry.target="
                                + ref("trusted/unvetted:1")
                                + " (no upstream source is recorded for it")
                .contains("registry:gate: 1 violation(s) in 1 image reference(s)");
        assertNoStackTrace(result);
        assertGateSarif(dir, "Dockerfile", 2, "not-vetted");
    }

    /**
     * The gate's SARIF log in {@code target/imagegate/gate.sarif}: its one result, of {@code rule},
     * at {@code file}:{@code line} relative to the module, its message the reason and the fix.
     */
    private static void assertGateSarif(Path dir, String file, int line, String rule) {
        try {
            com.fasterxml.jackson.databind.JsonNode results =
                    new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(dir.resolve("target/imagegate/gate.sarif").toFile())
                            .path("runs")
                            .get(0)
                            .path("results");
            assertThat(results).hasSize(1);
            com.fasterxml.jackson.databind.JsonNode physical =
                    results.get(0).path("locations").get(0).path("physicalLocation");
            assertThat(results.get(0).path("ruleId").asText()).isEqualTo(rule);
            assertThat(physical.path("artifactLocation").path("uri").asText()).isEqualTo(file);
            assertThat(physical.path("region").path("startLine").asInt()).isEqualTo(line);
            assertThat(results.get(0).path("message").path("text").asText())
                    .contains(" is not vetted")
                    .contains("(fix: mvn registry:vet -Dregistry.source=");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theGatesFixRunAsPrintedTurnsTheBuildGreenWithTheTeamsMapAndQuarantine() {
        Map<String, String> values = new java.util.HashMap<>(tokens);
        values.put("trivy.cache", trivyCache.toString());
        Path dir = MavenBuild.project("gate-fix-map", values);
        MavenBuild.Result red = build(dir, "validate");
        assertThat(red.succeeded()).as(red.log()).isFalse();
        java.util.regex.Matcher printed =
                java.util.regex.Pattern.compile(
                                "\\(fix: (mvn registry:vet .*)\\)$",
                                java.util.regex.Pattern.MULTILINE)
                        .matcher(red.log());
        assertThat(printed.find()).as(red.log()).isTrue();
        String fix = printed.group(1);
        // the POM's map, quarantine and Trivy settings are in force: no -D would override them
        assertThat(fix)
                .contains("-Dregistry.target=" + ref("base/clean:1"))
                .doesNotContain("-Dregistry.map")
                .doesNotContain("-Dregistry.quarantine")
                .doesNotContain("<source>");
        for (String command : fix.split(" && ")) {
            assertThat(command).startsWith("mvn ");
            MavenBuild.Result step = build(dir, command.substring(4).split(" "));
            assertThat(step.succeeded()).as(command + "\n" + step.log()).isTrue();
        }
        assertThat(new ImagePusher(registry).tagExists("held/base/clean", "1")).isTrue();
        MavenBuild.Result green = build(dir, "validate");
        assertThat(green.succeeded()).as(green.log()).isTrue();
        assertThat(green.log())
                .contains("registry:gate: 1 image reference(s) checked, all trusted");
    }

    @Test
    void reportOnlyKeepsTheBuildGreenWithEachFixAndOfflineTheErrorNamesWhatWorksOffline() {
        Path dir = MavenBuild.project("unvetted-dockerfile", tokens);
        MavenBuild.Result reportOnly = build(dir, "validate", "-Dregistry.failOnViolation=false");
        assertThat(reportOnly.succeeded()).as(reportOnly.log()).isTrue();
        assertThat(reportOnly.log())
                .contains(
                        "[WARNING]   "
                                + dir.resolve("Dockerfile")
                                + ":2: "
                                + ref("trusted/unvetted:1"))
                .contains(
                        "(fix: mvn registry:vet -Dregistry.source="
                                + ref("trusted/unvetted:1")
                                + " -Dregistry.target="
                                + ref("trusted/unvetted:1"))
                .contains(
                        "[WARNING] <failOnViolation>/-Dregistry.failOnViolation is false: the build"
                                + " goes on")
                .contains("BUILD SUCCESS");

        MavenBuild.Result offline = build(dir, "-o", "validate");
        assertThat(offline.succeeded()).isFalse();
        assertThat(offline.log())
                .contains(
                        "registry:gate needs the network to reach the registries, and Maven runs"
                                + " offline (-o): run it without -o, or gate offline with"
                                + " -Dregistry.requireVetted=false (trusted prefixes and digests"
                                + " only; no verdict is checked)");
        assertNoStackTrace(offline);
        // and that switch works offline: the image is in a trusted prefix
        MavenBuild.Result prefixesOnly =
                build(dir, "-o", "validate", "-Dregistry.requireVetted=false");
        assertThat(prefixesOnly.succeeded()).as(prefixesOnly.log()).isTrue();
    }

    @Test
    void afterThePolicysMeaningChangesFollowProjectVetsThePrivateImageAgainAndTheGateTurnsGreen()
            throws IOException {
        Map<String, String> values = new java.util.HashMap<>(tokens);
        values.put("trivy.cache", trivyCache.toString());
        Path dir = MavenBuild.project("revet-policy", values);
        MavenBuild.Result vetted =
                build(
                        dir,
                        "registry:vet",
                        "-Dregistry.source=" + ref("public/clean:1"),
                        "-Dregistry.target=" + ref("revet/clean:1"));
        assertThat(vetted.succeeded()).as(vetted.log()).isTrue();
        MavenBuild.Result green = build(dir, "validate");
        assertThat(green.succeeded()).as(green.log()).isTrue();

        // A stricter threshold: a change of meaning, so the verdicts no longer count.
        Files.writeString(dir.resolve("policy.yaml"), "failOn: MEDIUM\n");
        MavenBuild.Result red = build(dir, "validate");
        assertThat(red.succeeded()).as(red.log()).isFalse();
        assertThat(red.log())
                .contains(
                        ref("revet/clean:1")
                                + " is not vetted: its verdicts were made under another policy");

        // The one command: before, it logged "private already", vetted nothing and succeeded.
        MavenBuild.Result revet = build(dir, "registry:vet", "-Dregistry.followProject");
        assertThat(revet.succeeded()).as(revet.log()).isTrue();
        assertThat(revet.log())
                .contains(
                        ref("revet/clean:1")
                                + " ("
                                + dir.resolve("Dockerfile")
                                + ":2) is private already, but "
                                + ref("revet/clean:1")
                                + " is not vetted: its verdicts were made under another policy")
                .contains(": vetting it again from " + ref("public/clean:1@") + clean.digest())
                .contains("Following the build: 1 image(s) to vet")
                .doesNotContain("private already)");
        MavenBuild.Result after = build(dir, "validate");
        assertThat(after.succeeded()).as(after.log()).isTrue();
        assertThat(after.log())
                .contains("registry:gate: 1 image reference(s) checked, all trusted and vetted");
    }

    @Test
    void syncVetsTheSyncFilesImagesOnceLeavesThemAloneAfterAndFailsOnARefusedOne() {
        Map<String, String> values = new java.util.HashMap<>(tokens);
        values.put("trivy.cache", trivyCache.toString());
        Path dir = MavenBuild.project("sync", values);
        String file = "-Dregistry.syncFile=" + dir.resolve("images.yaml");

        MavenBuild.Result first = build(dir, "registry:sync", file);
        assertThat(first.succeeded()).as(first.log()).isTrue();
        assertThat(first.log())
                .contains(
                        ref("public/clean:1")
                                + " -> "
                                + ref("synced/clean:1")
                                + ": vetted "
                                + clean.digest())
                .contains(
                        ref("trusted/unvetted:1")
                                + " -> "
                                + ref("synced/zlib:1")
                                + ": vetted "
                                + unvetted.digest());
        assertThat(new ImagePusher(registry).manifestDigest("synced/zlib", "1"))
                .contains(unvetted.digest());

        // Nothing moved upstream, every verdict stands: a second run changes nothing.
        MavenBuild.Result second = build(dir, "registry:sync", file);
        assertThat(second.succeeded()).as(second.log()).isTrue();
        assertThat(second.log())
                .contains(ref("synced/clean:1") + ": unchanged, vetted already " + clean.digest())
                .contains(ref("synced/zlib:1") + ": unchanged, vetted already " + unvetted.digest())
                .doesNotContain(": vetted sha256:");

        // An image the policy refuses fails the build, naming it; nothing is promoted for it.
        MavenBuild.Result refused =
                build(
                        dir,
                        "registry:sync",
                        "-Dregistry.syncFile=" + dir.resolve("vulnerable.yaml"));
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.log())
                .contains("BUILD FAILURE")
                .contains("registry:sync: 1 of 2 image(s) not vetted:")
                .contains(
                        ref("public/vulnerable:1")
                                + " -> "
                                + ref("synced/vulnerable:1")
                                + ": refused by the policy");
        assertThat(new ImagePusher(registry).tagExists("synced/vulnerable", "1")).isFalse();
        assertNoStackTrace(refused);
    }

    @Test
    void aRequireVettedThatIsNotTrueOrFalseFailsTheBuildInsteadOfSwitchingTheCheckOff() {
        Path dir = MavenBuild.project("unvetted-dockerfile", tokens);
        // Maven's own conversion read each of these as false, and the unvetted image passed
        for (String given : List.of("yes", "")) {
            MavenBuild.Result result = build(dir, "validate", "-Dregistry.requireVetted=" + given);
            assertThat(result.succeeded()).as(result.log()).isFalse();
            assertThat(result.log())
                    .contains(
                            "<requireVetted>/-Dregistry.requireVetted: \""
                                    + given
                                    + "\" is not true or false")
                    .doesNotContain("registry:gate: ");
            assertNoStackTrace(result);
        }
        // A bare -Dregistry.requireVetted is Maven's "true"
        MavenBuild.Result bare = build(dir, "validate", "-Dregistry.requireVetted");
        assertThat(bare.succeeded()).isFalse();
        assertThat(bare.log()).contains(ref("trusted/unvetted:1") + " is not vetted:");
    }

    @Test
    void anUnvettedJibBaseImageFailsWithItsPomLineAndImportFollowsIt() throws IOException {
        Path dir = MavenBuild.project("jib-unvetted", tokens);
        List<String> pom = Files.readAllLines(dir.resolve("pom.xml"));
        int line =
                pom.indexOf(
                                pom.stream()
                                        .filter(l -> l.contains("<image>"))
                                        .findFirst()
                                        .orElseThrow())
                        + 1;

        MavenBuild.Result result = build(dir, "verify");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.log())
                .contains(
                        dir.resolve("pom.xml")
                                + ":"
                                + line
                                + ": "
                                + ref("trusted/unvetted:1")
                                + ": "
                                + ref("trusted/unvetted:1")
                                + " is not vetted:");
        assertNoStackTrace(result);
        assertGateSarif(dir, "pom.xml", line, "not-vetted");

        // Import following the project takes Jib's base image too, mapped with the rules.
        MavenBuild.Result followed =
                build(
                        dir,
                        "registry:import",
                        "-Dregistry.followProject",
                        "-Dregistry.map=" + ref("trusted") + "=" + ref("followed"));
        assertThat(followed.succeeded()).as(followed.log()).isTrue();
        assertThat(followed.log())
                .contains(
                        "Importing "
                                + ref("trusted/unvetted:1")
                                + " (used at "
                                + dir.resolve("pom.xml")
                                + ":"
                                + line
                                + ")");
        assertThat(new ImagePusher(registry).manifestDigest("followed/unvetted", "1"))
                .contains(unvetted.digest());
    }

    @Test
    void vetOfAVulnerableImageFailsAndPromotesNothing() {
        Path dir = MavenBuild.project("vet-vulnerable", tokens);
        String[] args =
                concat(
                        new String[] {
                            "io.imagegate:registry-maven-plugin:"
                                    + MavenBuild.pluginVersion()
                                    + ":vet",
                            "-Dregistry.source=" + ref("public/vulnerable:1"),
                            "-Dregistry.target=" + ref("trusted/vulnerable:1")
                        },
                        trivyProperties());

        MavenBuild.Result result = build(dir, args);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.log())
                .contains("registry:vet refused 1 image(s); nothing was promoted")
                .contains("FAIL");
        assertThat(new ImagePusher(registry).tagExists("trusted/vulnerable", "1")).isFalse();
        assertThat(dir.resolve("target/imagegate")).isDirectory();
        // the run's aggregate, in every format by default: without a POM, imagegate-images
        for (String suffix : List.of(".json", ".sarif", "-junit.xml", ".html")) {
            assertThat(dir.resolve("target/imagegate/imagegate-images" + suffix)).isRegularFile();
        }
        assertThat(result.log()).contains("module report: ");
        assertNoStackTrace(result);
    }

    @Test
    void rewriteCheckFailsOnAStaleDockerfileAndRewriteChangesExactlyItsReferences()
            throws IOException {
        Path dir = MavenBuild.project("rewrite", tokens);
        String before = Files.readString(dir.resolve("Dockerfile"));

        MavenBuild.Result check = build(dir, "registry:rewrite", "-Dregistry.rewrite.check");
        assertThat(check.succeeded()).isFalse();
        assertThat(check.log())
                .contains("-Dregistry.rewrite.check")
                .contains(":3: - FROM " + ref("public/clean:1"));
        assertThat(Files.readString(dir.resolve("Dockerfile"))).isEqualTo(before);
        assertNoStackTrace(check);

        MavenBuild.Result rewrite = build(dir, "registry:rewrite");
        assertThat(rewrite.succeeded()).as(rewrite.log()).isTrue();
        String expected =
                before.replace(
                        "FROM " + ref("public/clean:1") + "   AS base",
                        "FROM " + ref("trusted/clean:1") + "@" + clean.digest() + "   AS base");
        assertThat(expected).isNotEqualTo(before);
        assertThat(Files.readString(dir.resolve("Dockerfile"))).isEqualTo(expected);
    }

    /**
     * The nightly "are we current" job: the trusted tag moves to a newly vetted digest, the check
     * fails naming every stale pin (a Dockerfile in one module, Jib's base image property in
     * another), registry:update re-pins exactly those, and the check then passes.
     */
    @Test
    void updateCheckFailsOnStalePinsInEveryModuleAndUpdateRepinsThemToTheNewVettedDigest()
            throws IOException {
        TestImages.Image newer =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r31", "busybox"}));
        ImagePusher pusher = new ImagePusher(registry);
        pusher.push("public/moving", "1", clean);
        assertThat(vet("public/moving:1", "trusted/moving:1").outcome()).isEqualTo(Outcome.PASSED);
        Path dir =
                MavenBuild.project(
                        "update",
                        Map.of(
                                "registry",
                                registry.hostPort(),
                                "old.digest",
                                clean.digest().toString()));
        Path dockerfile = dir.resolve("app/Dockerfile");
        Path pom = dir.resolve("jib/pom.xml");
        String dockerfileBefore = Files.readString(dockerfile);
        String pomBefore = Files.readString(pom);

        MavenBuild.Result current = build(dir, "registry:update", "-Dregistry.update.check");
        assertThat(current.succeeded()).as(current.log()).isTrue();
        assertThat(current.log()).contains("every trusted reference is current");

        // upstream moves; the new build is vetted under the same trusted tag
        pusher.push("public/moving", "1", newer);
        assertThat(vet("public/moving:1", "trusted/moving:1").outcome()).isEqualTo(Outcome.PASSED);

        MavenBuild.Result check = build(dir, "registry:update", "-Dregistry.update.check");
        assertThat(check.succeeded()).isFalse();
        assertThat(check.log())
                .contains("registry:update: pins are stale (-Dregistry.update.check)")
                .contains(
                        "app/Dockerfile:2: - FROM "
                                + ref("trusted/moving:1")
                                + "@"
                                + clean.digest()
                                + " AS base")
                .contains(
                        "app/Dockerfile:2: + FROM "
                                + ref("trusted/moving:1")
                                + "@"
                                + newer.digest()
                                + " AS base")
                .contains("jib/pom.xml:")
                .contains(clean.digest() + " -> " + newer.digest());
        assertThat(Files.readString(dockerfile)).isEqualTo(dockerfileBefore);
        assertThat(Files.readString(pom)).isEqualTo(pomBefore);
        assertNoStackTrace(check);

        MavenBuild.Result update = build(dir, "registry:update");
        assertThat(update.succeeded()).as(update.log()).isTrue();
        String pinned = ref("trusted/moving:1") + "@" + newer.digest();
        assertThat(Files.readString(dockerfile))
                .isEqualTo(
                        dockerfileBefore.replace(
                                ref("trusted/moving:1") + "@" + clean.digest(), pinned));
        assertThat(Files.readString(pom))
                .isEqualTo(
                        pomBefore.replace(
                                "<base.image>"
                                        + ref("trusted/moving:1")
                                        + "@"
                                        + clean.digest()
                                        + "</base.image>",
                                "<base.image>" + pinned + "</base.image>"))
                .isNotEqualTo(pomBefore);

        MavenBuild.Result again = build(dir, "registry:update", "-Dregistry.update.check");
        assertThat(again.succeeded()).as(again.log()).isTrue();
        assertThat(again.log()).contains("every trusted reference is current");
    }

    private static VetResult vet(String source, String target) {
        return ImageGate.create(TestSettings.in(WORK))
                .vet(
                        VetSpec.builder()
                                .source(ref(source))
                                .target(ref(target))
                                .trivy(trivy())
                                .force(true)
                                .build(),
                        ProgressListener.NONE);
    }

    @Test
    void anArgTemplatedFromIsRewrittenKeepingTheArgAndTheGateThenPasses() throws IOException {
        Path dir = MavenBuild.project("rewrite-arg", tokens);
        Path dockerfile = dir.resolve("Dockerfile");
        String before = Files.readString(dockerfile);

        // The gate checks the image the ARG resolves to and names the line to write.
        MavenBuild.Result gate = build(dir, "validate");
        assertThat(gate.succeeded()).isFalse();
        assertThat(gate.log())
                .contains(
                        dockerfile
                                + ":3: "
                                + ref("public/clean:${TAG}")
                                + ": "
                                + ref("public/clean:1")
                                + " is not in a trusted registry")
                .contains("edit " + dockerfile + " line 3 to: FROM " + ref("trusted/"))
                .contains(":${TAG}   AS build)");
        assertNoStackTrace(gate);

        MavenBuild.Result check =
                build(
                        dir,
                        "registry:rewrite",
                        "-Dregistry.rewrite.check",
                        "-Dregistry.buildArgs=TAG=1");
        assertThat(check.succeeded()).isFalse();
        assertThat(check.log())
                .contains(":3: + FROM " + ref("trusted/clean:${TAG}") + "   AS build");
        assertThat(Files.readString(dockerfile)).isEqualTo(before);

        MavenBuild.Result rewrite = build(dir, "registry:rewrite");
        assertThat(rewrite.succeeded()).as(rewrite.log()).isTrue();
        assertThat(Files.readString(dockerfile))
                .isEqualTo(before.replace(ref("public/clean:"), ref("trusted/clean:")));

        MavenBuild.Result after = build(dir, "validate");
        assertThat(after.succeeded()).as(after.log()).isTrue();
        assertThat(after.log())
                .contains("registry:gate: 1 image reference(s) checked, all trusted");

        // A tag chosen by an ARG is not pinned: the check says which line pins it.
        MavenBuild.Result pin =
                build(dir, "registry:rewrite", "-Dregistry.rewrite.check", "-Dregistry.pin");
        assertThat(pin.succeeded()).isFalse();
        assertThat(pin.log())
                .contains("edit these by hand")
                .contains(
                        "edit line 3 to: FROM "
                                + ref("trusted/clean:1")
                                + "@"
                                + clean.digest()
                                + "   AS build");
        assertNoStackTrace(pin);
    }

    @Test
    void settingsXmlCredentialsWithAnEncryptedPasswordAndAProxyServeEveryGoalAndNoSecretIsLogged()
            throws Exception {
        Path dir = MavenBuild.project("credentials", tokens);
        Path userHome = Files.createDirectories(WORK.resolve("credentials-home/.m2")).getParent();
        DefaultPlexusCipher cipher = new DefaultPlexusCipher();
        String master = "it-master-Passphrase-7";
        Files.writeString(
                userHome.resolve(".m2/settings-security.xml"),
                "<settingsSecurity><master>"
                        + cipher.encryptAndDecorate(master, "settings.security")
                        + "</master></settingsSecurity>\n");
        String encrypted = cipher.encryptAndDecorate(RegistryExtension.PUSH_PASSWORD, master);
        try (TestProxy proxy = TestProxy.withCredentials("proxy-user", "proxy-Secret-9")) {
            Path credentialsSettings =
                    MavenBuild.settings(
                            WORK.resolve("credentials-settings.xml"),
                            """
                      <servers>
                        <server>
                          <id>%s</id>
                          <username>%s</username>
                          <password>%s</password>
                        </server>
                      </servers>
                      <proxies>
                        <proxy>
                          <id>it-proxy</id>
                          <active>true</active>
                          <protocol>http</protocol>
                          <host>%s</host>
                          <port>%d</port>
                          <username>proxy-user</username>
                          <password>%s</password>
                        </proxy>
                      </proxies>
                    """
                                    .formatted(
                                            secured.hostPort(),
                                            RegistryExtension.PUSH_USER,
                                            encrypted,
                                            proxy.host(),
                                            proxy.port(),
                                            cipher.encryptAndDecorate("proxy-Secret-9", master)));

            // With -X: Maven's debug output includes the HTTP client's, headers and all.
            MavenBuild.Result result =
                    MavenBuild.run(
                            dir,
                            credentialsSettings,
                            userHome,
                            "-X",
                            "registry:import",
                            "-Dregistry.source=" + ref("public/clean:1"),
                            "-Dregistry.target=" + secured.hostPort() + "/team/clean:1");

            assertThat(result.succeeded()).as(result.log()).isTrue();
            assertThat(new ImagePusher(secured).manifestDigest("team/clean", "1"))
                    .contains(clean.digest());
            assertThat(proxy.seen()).isNotEmpty().allMatch(TestProxy.Seen::authorized);
            assertNoSecret(result);

            // Every other goal, with the same credentials, in one build: vet into the secured
            // registry, scan what it
            // promoted, rewrite the Dockerfile to it (pinned: a lookup there), and gate it (its
            // verdict read there).
            Path project = MavenBuild.project("credentials-every-goal", tokens);
            MavenBuild.Result every =
                    MavenBuild.run(
                            project,
                            credentialsSettings,
                            userHome,
                            concat(
                                    new String[] {
                                        "-X",
                                        "registry:vet",
                                        "registry:scan",
                                        "registry:rewrite",
                                        "registry:gate",
                                        "-Dregistry.source=" + ref("public/clean:1"),
                                        "-Dregistry.target="
                                                + secured.hostPort()
                                                + "/trusted/clean:1",
                                        "-Dregistry.image="
                                                + secured.hostPort()
                                                + "/trusted/clean:1"
                                    },
                                    trivyProperties()));
            assertThat(every.succeeded()).as(every.log()).isTrue();
            assertThat(Files.readString(project.resolve("Dockerfile")))
                    .startsWith(
                            "FROM "
                                    + secured.hostPort()
                                    + "/trusted/clean:1@"
                                    + clean.digest()
                                    + "\n");
            assertThat(every.log())
                    .contains("registry:gate: 1 image reference(s) checked, all trusted");
            assertNoSecret(every);
            // Trivy's reports too
            try (java.util.stream.Stream<Path> reports = Files.walk(project.resolve("target"))) {
                for (Path report : reports.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(report))
                            .as(report.toString())
                            .doesNotContain(RegistryExtension.PUSH_PASSWORD)
                            .doesNotContain("proxy-Secret-9");
                }
            }
        }
    }

    @Test
    void aRefusedPasswordNamesTheSettingsServerItCameFromAndNotThePassword() throws Exception {
        Path dir = MavenBuild.project("credentials", tokens);
        Path userHome = Files.createDirectories(WORK.resolve("wrong-home/.m2")).getParent();
        String wrong = "Wrong-Maven-Password-31";
        Path wrongSettings =
                MavenBuild.settings(
                        WORK.resolve("wrong-settings.xml"),
                        """
                  <servers>
                    <server>
                      <id>%s</id>
                      <username>%s</username>
                      <password>%s</password>
                    </server>
                  </servers>
                """
                                .formatted(secured.hostPort(), RegistryExtension.PUSH_USER, wrong));

        MavenBuild.Result result =
                MavenBuild.run(
                        dir,
                        wrongSettings,
                        userHome,
                        "registry:import",
                        "-Dregistry.source=" + ref("public/clean:1"),
                        "-Dregistry.target=" + secured.hostPort() + "/team/refused:1");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.log())
                .contains("HTTP 401")
                .contains(
                        "the credentials used for "
                                + secured.hostPort()
                                + " (from settings.xml server \""
                                + secured.hostPort()
                                + "\") do not allow")
                .doesNotContain(wrong);
        assertNoStackTrace(result);
    }

    private static void assertNoSecret(MavenBuild.Result result) {
        assertThat(result.log())
                .doesNotContain(RegistryExtension.PUSH_PASSWORD)
                .doesNotContain("proxy-Secret-9")
                .doesNotContain(
                        base64(RegistryExtension.PUSH_USER + ":" + RegistryExtension.PUSH_PASSWORD))
                .doesNotContain(base64("proxy-user:proxy-Secret-9"));
    }

    @Test
    void importOnAMultiModuleBuildTakesEveryModulesImages() {
        Path dir = MavenBuild.project("reactor-import", tokens);

        // Maven runs a goal that needs no project once per build; the goal then runs itself for
        // every module.
        MavenBuild.Result result = build(dir, "registry:import");
        assertThat(result.succeeded()).as(result.log()).isTrue();
        assertThat(new ImagePusher(registry).manifestDigest("reactor/one", "1"))
                .contains(clean.digest());
        assertThat(new ImagePusher(registry).manifestDigest("reactor/two", "1"))
                .contains(vulnerable.digest());
        assertThat(result.log())
                .contains("registry:import in one (")
                .contains("registry:import in two (")
                .contains("No image configured in " + dir.resolve("none") + ": nothing to import")
                // the modules import side by side, each line naming its module
                .contains("[one] imported " + ref("reactor/one:1"))
                .contains("[two] imported " + ref("reactor/two:1"));

        // A module that fails does not keep the others from importing; the build fails with its
        // error.
        try {
            Path one = dir.resolve("one/pom.xml");
            java.nio.file.Files.writeString(
                    one,
                    java.nio.file.Files.readString(one)
                            .replace("/public/clean:1", "/public/missing:1"));
            Path two = dir.resolve("two/pom.xml");
            java.nio.file.Files.writeString(
                    two,
                    java.nio.file.Files.readString(two)
                            .replace("/reactor/two:1", "/reactor/two-again:1"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        MavenBuild.Result partly = build(dir, "registry:import");
        assertThat(partly.succeeded()).as(partly.log()).isFalse();
        assertThat(partly.log())
                .contains(
                        "in one: the source image " + ref("public/missing:1") + " does not exist");
        assertThat(new ImagePusher(registry).manifestDigest("reactor/two-again", "1"))
                .contains(vulnerable.digest());
        assertNoStackTrace(partly);

        // An image named on the command line is one import for the whole build, not one per module.
        MavenBuild.Result once =
                build(
                        dir,
                        "registry:import",
                        "-Dregistry.source=" + ref("public/clean:1"),
                        "-Dregistry.target=" + ref("reactor/once:1"));
        assertThat(once.succeeded()).as(once.log()).isTrue();
        assertThat(once.log()).doesNotContain("registry:import in one (");
        assertThat(
                        once.log()
                                .split(
                                        "imported "
                                                + java.util.regex.Pattern.quote(
                                                        ref("reactor/once:1")),
                                        -1))
                .hasSize(2);

        // A build where no module names an image is an error, not a silent success.
        MavenBuild.Result nothing = build(dir, "registry:import", "-pl", ".,none");
        assertThat(nothing.succeeded()).isFalse();
        assertThat(nothing.log())
                .contains("registry:import found no image in any module of the build");
        assertNoStackTrace(nothing);
    }

    @Test
    void aParallelBuildGatesEachModuleByItself() {
        Path dir = MavenBuild.project("multi-module", tokens);

        MavenBuild.Result result = build(dir, "-T", "4", "--fail-at-end", "verify");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.log())
                .containsPattern("vetted \\.+ SUCCESS")
                .containsPattern("unvetted \\.+ FAILURE")
                .containsPattern("jib-vetted \\.+ SUCCESS")
                .containsPattern("no-images \\.+ SUCCESS")
                .contains(dir.resolve("unvetted/Dockerfile") + ":2: " + ref("trusted/unvetted:1"))
                .doesNotContain(dir.resolve("unvetted/Dockerfile") + ":1:")
                .contains("nothing to gate");
        assertNoStackTrace(result);
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder()
                .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
