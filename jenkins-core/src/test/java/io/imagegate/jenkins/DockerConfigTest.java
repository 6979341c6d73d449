package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.imagegate.api.Outcome;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inside docker-workflow's {@code withDockerRegistry(url: …, credentialsId: …) { }}: the block's
 * steps run with {@code DOCKER_CONFIG} naming a directory of its own, whose {@code config.json}
 * {@code docker login} wrote, with an {@code auths} entry for that registry only (keyed by the URL
 * given, or by {@code host:port} alone with podman or {@code DOCKER_REGISTRY_HOST_ONLY};
 * docker-commons' RegistryKeyMaterialFactory). The step reads Docker's config from there, not from
 * the agent user's home: against a registry that wants Basic credentials (htpasswd) the pull and
 * Trivy's scan work with no credential parameter at all, and a registry the entry does not name is
 * never sent it.
 */
@NeedsComponents
class DockerConfigTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();

    @RegisterExtension
    static final RegistryExtension privateRegistry = RegistryExtension.htpasswd();

    static TestImages.Image clean;

    @TempDir Path workspace;

    /** withDockerRegistry's directory (it lives in the workspace's @tmp directory on the agent). */
    @TempDir Path dockerConfig;

    /**
     * The agent user's home: no .docker/config.json of its own, so any credentials come from
     * DOCKER_CONFIG.
     */
    @TempDir Path home;

    HttpServer collector;
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    final List<String> console = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void images() {
        clean =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        new ImagePusher(privateRegistry).push("base/alpine", "3.20", clean);
    }

    /**
     * A registry on loopback that asks for Basic credentials on every request and records what it
     * is sent.
     */
    @BeforeEach
    void collect() throws IOException {
        collector =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext(
                "/",
                exchange -> {
                    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                    if (authorization != null) {
                        authorizations.add(authorization);
                    }
                    exchange.getResponseHeaders()
                            .add("WWW-Authenticate", "Basic realm=\"collector\"");
                    exchange.getResponseHeaders()
                            .add("Docker-Distribution-API-Version", "registry/2.0");
                    exchange.sendResponseHeaders(401, -1);
                    exchange.close();
                });
        collector.start();
    }

    @AfterEach
    void stop() {
        collector.stop(0);
    }

    /**
     * config.json as {@code docker login -u … -p … KEY} writes it into withDockerRegistry's
     * DOCKER_CONFIG.
     */
    private void dockerLogin(String key) throws IOException {
        String auth =
                Base64.getEncoder()
                        .encodeToString(
                                (RegistryExtension.PUSH_USER
                                                + ":"
                                                + RegistryExtension.PUSH_PASSWORD)
                                        .getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                dockerConfig.resolve("config.json"),
                "{\n\t\"auths\": {\n\t\t\""
                        + key
                        + "\": {\n\t\t\t\"auth\": \""
                        + auth
                        + "\"\n\t\t}\n\t}\n}");
    }

    private StepResult run(StepParameters parameters, boolean insideWithDockerRegistry) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv("PATH"));
        if (insideWithDockerRegistry) {
            env.put("DOCKER_CONFIG", dockerConfig.toString());
        }
        AgentRequest request =
                new AgentRequest(
                        parameters,
                        CredentialValues.of(List.of()),
                        env,
                        workspace.resolve("tmp").toString());
        return AgentWork.run(request, workspace, home.toString(), console::add);
    }

    private static ScanParameters scan(String image) {
        ScanParameters p = new ScanParameters(image);
        p.setCacheDir(FixtureVulnerabilityDb.cacheDir().toString());
        p.setSkipDbUpdate(true);
        p.setSkipJavaDbUpdate(true);
        p.setOfflineScan(true);
        return p;
    }

    @Test
    void theStepsPullWithTheCredentialsWithDockerRegistryLoggedIn() throws IOException {
        String image = privateRegistry.hostPort() + "/base/alpine:3.20";
        // outside the block: the registry wants credentials and the step has none
        StepResult outside = run(scan(image), false);
        assertThat(outside.outcome()).as(outside.message()).isEqualTo(Outcome.ERROR);
        assertThat(outside.errorKind()).as(outside.message()).contains("AUTHENTICATION");

        // withDockerRegistry(url: 'https://HOST:PORT') logs in with that URL; with
        // DOCKER_REGISTRY_HOST_ONLY, with HOST:PORT
        for (String key :
                List.of("https://" + privateRegistry.hostPort(), privateRegistry.hostPort())) {
            dockerLogin(key);
            ImportParameters mirror = new ImportParameters(image);
            mirror.setTarget(upstream.hostPort() + "/mirror/alpine:3.20");
            StepResult imported = run(mirror, true);
            assertThat(imported.outcome())
                    .as(key + ": " + imported.message())
                    .isEqualTo(Outcome.PASSED);
            assertThat(imported.values()).containsEntry("digest", clean.digest().toString());

            // Trivy is handed them too, in a private DOCKER_CONFIG of its own
            StepResult scanned = run(scan(image), true);
            assertThat(scanned.outcome())
                    .as(key + ": " + scanned.message())
                    .isEqualTo(Outcome.PASSED);
            assertThat(scanned.values()).containsEntry("verdict", "PASS");
        }
        assertThat(String.join("\n", console)).doesNotContain(RegistryExtension.PUSH_PASSWORD);
        assertThat(Files.readString(dockerConfig.resolve("config.json")))
                .as("withDockerRegistry's file is left as it was")
                .contains(privateRegistry.hostPort());
    }

    @Test
    void anAnonymousRegistryIsReadWithoutTheLoginFoundOnTheAgent() throws IOException {
        dockerLogin(privateRegistry.hostPort());
        String image = privateRegistry.hostPort() + "/base/alpine:3.20";
        ImportParameters mirror = new ImportParameters(image);
        mirror.setTarget(upstream.hostPort() + "/mirror/anonymous:3.20");
        mirror.setAnonymousRegistries(List.of(privateRegistry.hostPort()));
        // the registry wants credentials: without the login it refuses the step
        StepResult refused = run(mirror, true);
        assertThat(refused.outcome()).as(refused.message()).isEqualTo(Outcome.ERROR);
        assertThat(refused.errorKind()).as(refused.message()).contains("AUTHENTICATION");

        mirror.setAnonymousRegistries(List.of("https://" + privateRegistry.hostPort()));
        StepResult bad = run(mirror, true);
        assertThat(bad.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(bad.message())
                .contains("(anonymousRegistries) is not a registry: write it as host[:port]");
    }

    @Test
    void theLoggedInCredentialsGoToTheirRegistryOnly() throws IOException {
        dockerLogin("https://" + privateRegistry.hostPort());
        String collectorHost = "127.0.0.1:" + collector.getAddress().getPort();
        for (StepParameters p :
                List.<StepParameters>of(
                        scan(collectorHost + "/x:1"), importing(collectorHost + "/x:1"))) {
            StepResult result = run(p, true);
            assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(result.errorKind()).as(result.message()).contains("AUTHENTICATION");
        }
        assertThat(authorizations).as("a registry the login does not name").isEmpty();

        // the same host on the collector's port is another registry: an entry for host:port names
        // that port only
        dockerLogin("127.0.0.1:" + (collector.getAddress().getPort() == 1 ? 2 : 1));
        run(importing(collectorHost + "/x:1"), true);
        assertThat(authorizations).isEmpty();

        // and the collector itself, logged in to, is sent them: the listener would have seen them
        dockerLogin("https://" + collectorHost);
        run(importing(collectorHost + "/x:1"), true);
        assertThat(authorizations).isNotEmpty().allMatch(a -> a.startsWith("Basic "));
    }

    private ImportParameters importing(String source) {
        ImportParameters p = new ImportParameters(source);
        p.setTarget(upstream.hostPort() + "/mirror/x:1");
        return p;
    }
}
