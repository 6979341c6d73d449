package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.when;

import io.imagegate.api.GateSpec;
import io.imagegate.api.ImportSpec;
import io.imagegate.api.RewriteSpec;
import io.imagegate.api.TrivySettings;
import io.imagegate.api.UpdateSpec;
import io.imagegate.api.VetSpec;
import io.imagegate.testing.Cosign;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.TempDirs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Parameter binding through Maven's own configurator (the plugin testing harness): POM
 * configuration and {@code registry.*} user properties become the API's specs with the documented
 * defaults.
 */
@MojoTest
class MojoBindingTest {
    @Inject MavenSession session;

    /**
     * -Dregistry.requireVetted as these tests give it. Maven's command line passes the text after
     * {@code =} as it is ({@code -Dregistry.requireVetted=} gives ""), and {@code true} for a bare
     * {@code -Dregistry.requireVetted}.
     */
    private static final Map<String, String> REQUIRE_VETTED_PROPERTY =
            Map.of(
                    "requireVettedYesOnTheCommandLineFailsBeforeTheGateRuns", "yes",
                    "requireVettedEmptyOnTheCommandLineFailsBeforeTheGateRuns", "",
                    "requireVettedBareOnTheCommandLineIsTrue", "true",
                    "requireVettedFalseOnTheCommandLineGatesWithoutVerdicts", "false");

    /**
     * Tests whose name starts with "properties" run with registry.* user properties, as -D gives
     * them.
     */
    @BeforeEach
    void properties(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        if (REQUIRE_VETTED_PROPERTY.containsKey(name)) {
            session.getUserProperties()
                    .setProperty("registry.requireVetted", REQUIRE_VETTED_PROPERTY.get(name));
        }
        if (name.startsWith("imagesProperty")) {
            session.getUserProperties()
                    .setProperty(
                            "registry.images",
                            name.endsWith("Scan")
                                    ? "alpine:3.20,busybox:1.37"
                                    : "alpine:3.20,busybox:1.37=r.example/base/busybox:1.37");
        }
        if (name.startsWith("updateProperties")) {
            session.getUserProperties().setProperty("registry.trusted", "a.example/base");
            session.getUserProperties().setProperty("registry.update.check", "true");
            session.getUserProperties().setProperty("registry.update.patch", "out/update.patch");
            session.getUserProperties()
                    .setProperty(
                            "registry.update.renovateDatasource", "renovate/{repository}.json");
            session.getUserProperties().setProperty("registry.anyPolicy", "true");
            session.getUserProperties().setProperty("registry.jib", "false");
        }
        if (test.getTestMethod().orElseThrow().getName().startsWith("properties")) {
            session.getUserProperties()
                    .setProperty("registry.trusted", "a.example/base, b.example:5000/mirror");
            session.getUserProperties().setProperty("registry.requireVetted", "false");
            session.getUserProperties().setProperty("registry.dockerfiles", "docker/*.Dockerfile");
            session.getUserProperties()
                    .setProperty("registry.source", "docker.io/library/alpine:3.20");
            session.getUserProperties()
                    .setProperty("registry.target", "a.example/base/alpine:3.20");
            session.getUserProperties()
                    .setProperty("registry.map", "docker.io=a.example/hub,=a.example/mirror");
            session.getUserProperties().setProperty("registry.force", "true");
            session.getUserProperties().setProperty("registry.rewrite.check", "true");
            session.getUserProperties().setProperty("registry.skipDbUpdate", "true");
            session.getUserProperties().setProperty("registry.severity", "HIGH,CRITICAL");
            session.getUserProperties()
                    .setProperty("registry.insecureRegistries", "a.example,b.example:5000");
            session.getUserProperties()
                    .setProperty("registry.verifyKeys", "keys/org.pub,keys/next.pub");
            session.getUserProperties().setProperty("registry.signingKey", "keys/org.key");
        }
    }

    private static Path basedir() {
        return Path.of(MojoBindingTest.class.getResource("/unit/project").getPath());
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    void gateBindsItsConfigurationWithTheDefaultDockerfileAndRequiresVettedImagesByDefault(
            GateMojo mojo) throws Exception {
        GateSpec spec = mojo.spec();

        assertThat(spec.trusted())
                .containsExactly("registry.example.com/base", "registry.example.com/mirror");
        assertThat(spec.files()).containsExactly("Dockerfile");
        assertThat(spec.requireDigest()).isTrue();
        assertThat(spec.requireVetted()).isTrue();
        assertThat(spec.anyPolicy()).isFalse();
        assertThat(spec.buildArgs()).containsExactly("BASE=alpine");
        assertThat(spec.policy()).isEqualTo(basedir().resolve("policy.yaml").toString());
        assertThat(spec.images()).isEmpty();
        assertThat(mojo.needsNetwork()).isTrue();
        assertThat(mojo.basedir()).isEqualTo(basedir());
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "empty-pom.xml")
    void propertiesBindTheGate(GateMojo mojo) throws Exception {
        GateSpec spec = mojo.spec();
        assertThat(spec.trusted()).containsExactly("a.example/base", "b.example:5000/mirror");
        assertThat(spec.files()).containsExactly("docker/*.Dockerfile");
        assertThat(spec.requireVetted()).isFalse();
        assertThat(mojo.needsNetwork())
                .as("without requireVetted the gate reads files only")
                .isFalse();
        assertThat(mojo.insecureRegistries).containsExactly("a.example", "b.example:5000");
        // verification keys, relative to the module
        assertThat(spec.verifyKeys())
                .containsExactly(
                        basedir().resolve("keys/org.pub").toString(),
                        basedir().resolve("keys/next.pub").toString());
    }

    /**
     * The gate refuses a requireVetted that is not true or false before it reads a Dockerfile or
     * asks a registry.
     */
    private static void refusedBeforeTheGateRuns(GateMojo mojo, String given) {
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage(
                        "<requireVetted>/-Dregistry.requireVetted: \""
                                + given
                                + "\" is not true or false")
                .hasNoCause();
        assertThat(mojo.results).as("the gate did not run").isEmpty();
        assertThatThrownBy(mojo::spec)
                .as("nor can anything read it as false")
                .isInstanceOf(MojoExecutionException.class);
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    void requireVettedYesOnTheCommandLineFailsBeforeTheGateRuns(GateMojo mojo) {
        // Maven's Boolean.valueOf read "yes" as false: the gate passed an unvetted image
        refusedBeforeTheGateRuns(mojo, "yes");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    void requireVettedEmptyOnTheCommandLineFailsBeforeTheGateRuns(GateMojo mojo) {
        // -Dregistry.requireVetted= (an unset variable behind it): no value is no answer
        refusedBeforeTheGateRuns(mojo, "");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    @MojoParameter(name = "requireVetted", value = "1")
    void requireVettedOneFailsBeforeTheGateRuns(GateMojo mojo) {
        refusedBeforeTheGateRuns(mojo, "1");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    @MojoParameter(name = "requireVetted", value = "ture")
    void requireVettedMisspelledFailsBeforeTheGateRuns(GateMojo mojo) {
        refusedBeforeTheGateRuns(mojo, "ture");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    @MojoParameter(name = "requireVetted", value = "TRUE")
    void requireVettedInCapitalsFailsAsThePipelineLibraryDoes(GateMojo mojo) {
        refusedBeforeTheGateRuns(mojo, "TRUE");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    @MojoParameter(name = "skip", value = "true")
    @MojoParameter(name = "requireVetted", value = "yes")
    void aSwitchThatIsNotTrueOrFalseFailsEvenWhenTheGoalIsSkipped(GateMojo mojo) {
        refusedBeforeTheGateRuns(mojo, "yes");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    void requireVettedBareOnTheCommandLineIsTrue(GateMojo mojo) throws Exception {
        assertThat(mojo.spec().requireVetted()).isTrue();
        // true: the gate must ask the registry for verdicts, which Maven's offline mode refuses
        when(session.isOffline()).thenReturn(true);
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("registry:gate needs the network");
        assertThat(mojo.results).isEmpty();
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    void requireVettedFalseOnTheCommandLineGatesWithoutVerdicts(GateMojo mojo) throws Exception {
        assertThat(mojo.spec().requireVetted()).isFalse();
        // false: the gate reads the Dockerfile only, and the configured requireDigest fails it
        when(session.isOffline()).thenReturn(true);
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("registry:gate: 1 violation(s)")
                .hasMessageContaining("registry.example.com/base/alpine:3.20");
        assertThat(mojo.results).hasSize(1);
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "import", pom = "import-pom.xml")
    void importTakesTheConfiguredImagesInBothFormsWithTheMappingRules(ImportMojo mojo)
            throws Exception {
        List<AbstractImagesMojo.Item> items = mojo.items();
        assertThat(items)
                .extracting(AbstractImagesMojo.Item::source, AbstractImagesMojo.Item::target)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "docker.io/library/alpine:3.20",
                                "registry.example.com/base/alpine:3.20"),
                        org.assertj.core.groups.Tuple.tuple("busybox:1.37", null));

        ImportSpec spec = mojo.spec(items.get(1), null, null);
        assertThat(spec.map()).containsExactly("=registry.example.com/mirror");
        assertThat(spec.platforms())
                .as("Maven splits a comma-separated list")
                .containsExactly("linux/amd64", "linux/arm64");
        assertThat(spec.parallelism()).isEqualTo(6);
        assertThat(spec.force()).isFalse();
        assertThat(spec.chunkSize()).isEqualTo("64");
        spec.validate();
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "import", pom = "import-pom.xml")
    void propertiesTakeOneImageFromTheCommandLineOverTheConfiguredOnes(ImportMojo mojo)
            throws Exception {
        assertThat(mojo.items())
                .extracting(AbstractImagesMojo.Item::source, AbstractImagesMojo.Item::target)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "docker.io/library/alpine:3.20", "a.example/base/alpine:3.20"));
        ImportSpec spec = mojo.spec(mojo.items().get(0), null, null);
        assertThat(spec.force()).isTrue();
        assertThat(spec.map())
                .as("configuration wins over the property")
                .containsExactly("=registry.example.com/mirror");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "import", pom = "empty-pom.xml")
    void imagesPropertyTakesCommaSeparatedSourcesWithOptionalTargets(ImportMojo mojo)
            throws Exception {
        assertThat(mojo.items())
                .extracting(AbstractImagesMojo.Item::source, AbstractImagesMojo.Item::target)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alpine:3.20", null),
                        org.assertj.core.groups.Tuple.tuple(
                                "busybox:1.37", "r.example/base/busybox:1.37"));
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "scan", pom = "empty-pom.xml")
    void imagesPropertyListsTheImagesToScan(ScanMojo mojo) throws Exception {
        assertThat(mojo.imagesToScan()).containsExactly("alpine:3.20", "busybox:1.37");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "vet", pom = "empty-pom.xml")
    void propertiesBindVetAndTrivyWithTheDefaultQuarantineAndReportDirectory(VetMojo mojo)
            throws Exception {
        VetSpec spec =
                mojo.spec(
                        mojo.items().get(0),
                        mojo.scanParameters(new MavenSettings(null, null)),
                        null,
                        null);
        assertThat(spec.source()).isEqualTo("docker.io/library/alpine:3.20");
        assertThat(spec.map()).containsExactly("docker.io=a.example/hub", "=a.example/mirror");
        assertThat(spec.quarantine()).isEqualTo("quarantine");
        assertThat(spec.force()).isTrue();
        assertThat(Path.of(spec.signingKey()).getFileName().toString()).isEqualTo("org.key");
        // one directory for the module: the files in it are named after the image (the target
        // vetted
        // for), as a scan of that name names them
        assertThat(Path.of(spec.reportDir())).isEqualTo(basedir().resolve("target/imagegate"));
        TrivySettings trivy = spec.trivy();
        assertThat(trivy.skipDbUpdate()).isTrue();
        assertThat(trivy.skipJavaDbUpdate()).isFalse();
        assertThat(trivy.severities()).containsExactly("HIGH", "CRITICAL");
        spec.validate();
    }

    /**
     * A settings.xml server's standard {@code <privateKey>} and {@code <passphrase>} sign: the key
     * cosign generated opens with the passphrase Maven's decrypter hands over, which reaches the
     * API through this goal's view of the environment only. The key is loaded before anything is
     * copied, so a wrong passphrase fails at once, naming where it comes from; with the right one
     * the vet goes on to the (unreachable) registry.
     */
    @Test
    @NeedsComponents
    @Basedir("/unit/project")
    @InjectMojo(goal = "vet", pom = "empty-pom.xml")
    @MojoParameter(name = "source", value = "127.0.0.1:1/library/alpine:3.20")
    @MojoParameter(name = "target", value = "127.0.0.1:1/base/alpine:3.20")
    @MojoParameter(name = "signingKeyServer", value = "imagegate-signing")
    void signingKeyServerSignsWithItsPrivateKeyAndPassphrase(VetMojo mojo) throws Exception {
        Path keys = TempDirs.create("imagegate-maven-keys-");
        Cosign.KeyPair pair = Cosign.generateKeyPair(keys, "org", "key-Passphrase-2");
        Server server = new Server();
        server.setId("imagegate-signing");
        server.setPrivateKey(pair.privateKey().toString());
        server.setPassphrase("wrong-Passphrase-3");
        Settings settings = new Settings();
        settings.addServer(server);
        when(session.getSettings()).thenReturn(settings);

        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining(
                        "the password does not open the signing key " + pair.privateKey())
                .hasMessageContaining(
                        "check the <passphrase> of the settings.xml server named by"
                                + " <signingKeyServer>/-Dregistry.signingKeyServer")
                .hasMessageNotContaining("wrong-Passphrase-3");
        assertThat(mojo.results).hasSize(1);

        server.setPassphrase("key-Passphrase-2");
        mojo.results.clear();
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageNotContaining("signing key")
                .hasMessageNotContaining("key-Passphrase-2")
                .hasMessageContaining("127.0.0.1:1");
        assertThat(System.getenv("IMAGEGATE_SIGNING_KEY_PASSWORD")).isNull();

        // one key, one way
        mojo.signingKey = pair.privateKey().toFile();
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage(
                        "give the signing key once:"
                                + " <signingKey>/-Dregistry.signingKey names a file, <signingKeyServer>/-Dregistry.signingKeyServer a settings.xml"
                                + " server; not both");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "rewrite", pom = "empty-pom.xml")
    @MojoParameter(name = "buildArgs", value = "JAVA_VERSION=17")
    void propertiesBindRewriteWithTheCheckProperty(RewriteMojo mojo) throws Exception {
        RewriteSpec spec = mojo.spec();
        assertThat(spec.check()).isTrue();
        assertThat(spec.buildArgs()).containsExactly("JAVA_VERSION=17");
        assertThat(spec.pin()).isFalse();
        assertThat(spec.map()).containsExactly("docker.io=a.example/hub", "=a.example/mirror");
        assertThat(mojo.needsNetwork()).as("rewriting without pinning reads files only").isFalse();
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "import", pom = "empty-pom.xml")
    @MojoParameter(name = "skip", value = "true")
    void skippedGoalsDoNothing(ImportMojo mojo) throws Exception {
        mojo.execute();
        assertThat(mojo.results).isEmpty();
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "gate", pom = "gate-pom.xml")
    @MojoParameter(name = "skipGate", value = "true")
    void aGoalsOwnSkipDoesNothing(GateMojo mojo) throws Exception {
        mojo.execute();
        assertThat(mojo.results).isEmpty();
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "import", pom = "import-pom.xml")
    void offlineAGoalThatNeedsTheNetworkFailsSayingSo(ImportMojo mojo) {
        when(session.isOffline()).thenReturn(true);
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage(
                        "registry:import needs the network to reach the registries, and Maven runs offline (-o): run it without -o");
        assertThat(mojo.results).isEmpty();
    }

    @Test
    @Basedir("/unit/no-images")
    @InjectMojo(goal = "gate", pom = "pom.xml")
    @MojoParameter(name = "trusted", value = "registry.example.com/base")
    void aModuleWithoutImagesHasNothingToGateEvenOffline(GateMojo mojo) throws Exception {
        when(session.isOffline()).thenReturn(true);
        mojo.execute();
        assertThat(mojo.results).isEmpty();
    }

    @Test
    @Basedir("/unit/no-images")
    @InjectMojo(goal = "import", pom = "pom.xml")
    @MojoParameter(name = "followProject", value = "true")
    @MojoParameter(name = "map", value = "=registry.example.com/mirror")
    void followingAModuleWithoutImagesImportsNothing(ImportMojo mojo) throws Exception {
        assertThat(mojo.items()).isEmpty();
        mojo.execute();
        assertThat(mojo.results).isEmpty();
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "update", pom = "update-pom.xml")
    @MojoParameter(name = "branch", value = "true")
    void updateBindsItsConfigurationWithTheModulesDockerfileAndPom(UpdateMojo mojo)
            throws Exception {
        // the build's one module, this directory with its POM
        org.apache.maven.project.MavenProject module = new org.apache.maven.project.MavenProject();
        module.setFile(basedir().resolve("update-pom.xml").toFile());
        when(session.getProjects()).thenReturn(List.of(module));
        UpdateSpec spec = mojo.spec();
        assertThat(spec.trusted()).containsExactly("registry.example.com/base");
        assertThat(spec.paths())
                .as("the default Dockerfile and, for Jib, the module's POM")
                .containsExactly("Dockerfile", "update-pom.xml");
        assertThat(spec.policy()).isEqualTo(basedir().resolve("policy.yaml").toString());
        assertThat(spec.verifyKeys()).containsExactly(basedir().resolve("keys/org.pub").toString());
        assertThat(spec.summary()).isEqualTo("target/update.md");
        assertThat(spec.commit()).isTrue();
        assertThat(spec.branch()).as("a bare -Dregistry.update.branch: the derived name").isEmpty();
        assertThat(spec.check()).isFalse();
        assertThat(spec.patch()).isNull();
        assertThat(mojo.needsNetwork()).isTrue();
        spec.validate();

        // a check cannot commit: named as this goal spells both
        mojo.check = "true";
        assertThatThrownBy(mojo::spec)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage(
                        "<commit>/-Dregistry.update.commit and <check>/-Dregistry.update.check"
                                + " exclude each other: a check changes nothing to commit");
    }

    @Test
    @Basedir("/unit/project")
    @InjectMojo(goal = "update", pom = "empty-pom.xml")
    void updatePropertiesBindTheCheckAndTheOutputs(UpdateMojo mojo) throws Exception {
        UpdateSpec spec = mojo.spec();
        assertThat(spec.trusted()).containsExactly("a.example/base");
        assertThat(spec.check()).as("registry.update.check, not rewrite's").isTrue();
        assertThat(spec.patch()).isEqualTo("out/update.patch");
        assertThat(spec.renovateDatasource()).isEqualTo("renovate/{repository}.json");
        assertThat(spec.anyPolicy()).isTrue();
        assertThat(spec.paths()).as("jib false: Dockerfiles only").containsExactly("Dockerfile");
        assertThat(spec.commit()).isFalse();
        assertThat(spec.branch()).isNull();
        assertThat(UpdateMojo.branch("")).isEmpty();
        assertThat(UpdateMojo.branch(" release/pins ")).isEqualTo("release/pins");
        spec.validate();
    }

    @Test
    @Basedir("/unit/no-images")
    @InjectMojo(goal = "update", pom = "pom.xml")
    @MojoParameter(name = "trusted", value = "registry.example.com/base")
    @MojoParameter(name = "jib", value = "false")
    void aBuildWithoutDockerfilesOrPomsHasNothingToUpdateEvenOffline(UpdateMojo mojo)
            throws Exception {
        when(session.isOffline()).thenReturn(true);
        mojo.execute();
        assertThat(mojo.results).isEmpty();
    }
}
