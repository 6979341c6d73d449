package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.Outcome;
import io.imagegate.testing.TempDirs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

/**
 * Rolling the gate out: {@code failOnViolation=false} reports violations as warnings, fixes
 * included, and the build goes on; an error still fails unless {@code failOnError=false}, and a bad
 * parameter fails whatever they say.
 */
class RolloutTest {
    /** The warnings and infos a goal logged. */
    static final class Recorded extends SystemStreamLog {
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void warn(CharSequence content) {
            warnings.add(content.toString());
            lines.add(content.toString());
        }

        @Override
        public void info(CharSequence content) {
            lines.add(content.toString());
        }
    }

    private static GateMojo gate(Path dir, String from, Recorded log) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + from + "\n");
        GateMojo mojo = new GateMojo(MavenContractTest.MavenFrontEnd.NO_DECRYPTION);
        mojo.session = MavenContractTest.MavenFrontEnd.session(dir);
        mojo.project = MavenContractTest.MavenFrontEnd.project(dir);
        mojo.setLog(log);
        return mojo;
    }

    @Test
    void aViolationFailsTheBuildByDefault() throws IOException {
        Path dir = TempDirs.create("imagegate-report-only-");
        GateMojo mojo = gate(dir, "docker.io/library/alpine:3.20", new Recorded());
        mojo.trusted = List.of("registry.example.com/base");
        mojo.requireVetted = "false";
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("1 violation(s)");
    }

    @Test
    void failOnViolationFalseLogsEachViolationWithItsFixAndTheBuildGoesOn() throws Exception {
        Path dir = TempDirs.create("imagegate-report-only-");
        Recorded log = new Recorded();
        GateMojo mojo = gate(dir, "docker.io/library/alpine:3.20", log);
        mojo.trusted = List.of("registry.example.com/base");
        mojo.requireVetted = "false";
        mojo.failOnViolation = "false";

        mojo.execute();

        assertThat(mojo.result().orElseThrow().outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(log.warnings)
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains("Dockerfile:1: docker.io/library/alpine:3.20")
                                        .contains("(fix: mvn registry:"))
                .anySatisfy(w -> assertThat(w).contains("1 violation(s) in 1 image reference(s)"))
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains(
                                                "<failOnViolation>/-Dregistry.failOnViolation is false"));
    }

    @Test
    void anUnreachableRegistryStillFailsUnlessFailOnErrorIsFalse() throws Exception {
        Path dir = TempDirs.create("imagegate-report-only-");
        String registry = "127.0.0.1:" + closedPort();
        Recorded log = new Recorded();
        GateMojo mojo = gate(dir, registry + "/base/alpine:3.20", log);
        mojo.trusted = List.of(registry + "/base");
        mojo.failOnViolation = "false";
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("cannot reach " + registry);

        mojo.failOnError = "false";
        mojo.execute();

        assertThat(mojo.result().orElseThrow().outcome()).isEqualTo(Outcome.ERROR);
        assertThat(log.warnings)
                .anySatisfy(w -> assertThat(w).contains("cannot reach " + registry))
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains("<failOnError>/-Dregistry.failOnError is false")
                                        .contains("not checked"));
    }

    @Test
    void aBadParameterFailsWhateverFailOnErrorSays() throws Exception {
        Path dir = TempDirs.create("imagegate-report-only-");
        GateMojo mojo = gate(dir, "docker.io/library/alpine:3.20", new Recorded());
        mojo.trusted = List.of("registry.example.com/base");
        mojo.buildArgs = List.of("no equals sign");
        mojo.failOnViolation = "false";
        mojo.failOnError = "false";
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoExecutionException.class);
    }

    @Test
    void offlineTheGateNamesTheSwitchThatWorksOffline() throws Exception {
        Path dir = TempDirs.create("imagegate-report-only-");
        GateMojo mojo = gate(dir, "registry.example.com/base/alpine:3.20", new Recorded());
        mojo.trusted = List.of("registry.example.com/base");
        mojo.session.getRequest().setOffline(true);
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("Maven runs offline (-o)")
                .hasMessageContaining(
                        "or gate offline with -Dregistry.requireVetted=false (trusted prefixes and"
                                + " digests only");

        // and it does: offline, the prefixes are checked
        mojo.requireVetted = "false";
        mojo.execute();
        assertThat(mojo.result().orElseThrow().outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void underMavensParallelBuildEveryLineOfTheGateNamesItsModule() throws Exception {
        Path dir = TempDirs.create("imagegate-report-only-");
        Recorded log = new Recorded();
        GateMojo mojo = gate(dir, "docker.io/library/alpine:3.20", log);
        mojo.project.setArtifactId("orders-service");
        mojo.session.setParallel(true); // what -T 4 sets
        mojo.trusted = List.of("registry.example.com/base");
        mojo.requireVetted = "false";
        mojo.failOnViolation = "false";

        mojo.execute();

        assertThat(log.lines).isNotEmpty().allMatch(line -> line.startsWith("[orders-service] "));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
