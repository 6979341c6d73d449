package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.imagegate.api.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack the bindings stop, on the wire: a step whose image comes from a build parameter, with
 * credentials for one registry. A listener on loopback stands for the host the parameter names; it
 * asks for Basic credentials on every request and records what it is sent. Bound to it, the
 * credentials reach it (so the listener would see them); bound to another registry, it gets no
 * Authorization header at all, and the console says why.
 */
class CredentialBindingTest {
    static final String PASSWORD = "hub-Secret-9";

    @TempDir Path workspace;

    HttpServer listener;
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<String> console = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void listen() throws IOException {
        listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext(
                "/",
                exchange -> {
                    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
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
        listener.start();
    }

    @AfterEach
    void stop() {
        listener.stop(0);
    }

    private String host() {
        return "127.0.0.1:" + listener.getAddress().getPort();
    }

    private StepResult run(StepParameters parameters) throws IOException {
        Path home = io.imagegate.testing.TempDirs.create("imagegate-jenkins-home-");
        CredentialValues values =
                CredentialValues.of(
                        List.of(
                                CredentialValue.usernamePassword(
                                        "hub", "hub-user", PASSWORD, true)));
        AgentRequest request =
                new AgentRequest(
                        parameters,
                        values,
                        Map.of("PATH", System.getenv("PATH")),
                        // as Jenkins names it (workspace@tmp), in a directory deleted at exit:
                        // beside the @TempDir it would stay behind
                        io.imagegate.testing.TempDirs.create("imagegate-jenkins-tmp-")
                                .resolve(workspace.getFileName() + "@tmp")
                                .toString());
        return AgentWork.run(request, workspace, home.toString(), console::add);
    }

    private ImportParameters importFromListener(String sourceCredentialsId) {
        ImportParameters p = new ImportParameters(host() + "/x:1");
        p.setTarget("127.0.0.1:9/mirror/x:1");
        p.setSourceCredentialsId(sourceCredentialsId);
        return p;
    }

    @Test
    void theRegistryTheCredentialsAreBoundToReceivesThem() throws IOException {
        StepResult result = run(importFromListener(host() + "=hub"));

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(authorizations)
                .as("the bound registry is sent the credentials")
                .isNotEmpty()
                .allMatch(
                        a ->
                                a.equals(
                                        "Basic "
                                                + java.util.Base64.getEncoder()
                                                        .encodeToString(
                                                                ("hub-user:" + PASSWORD)
                                                                        .getBytes())));
        assertThat(String.join("\n", console) + result.message()).doesNotContain(PASSWORD);
    }

    @Test
    void anImageOnAnotherRegistryGetsNoAuthorizationHeaderAndTheConsoleSaysWhy()
            throws IOException {
        for (String binding :
                List.of(
                        "docker.io=hub",
                        "localhost:" + listener.getAddress().getPort() + "=hub",
                        "127.0.0.1=hub")) {
            requests.clear();
            console.clear();
            StepResult result = run(importFromListener(binding));

            assertThat(authorizations).as(binding).isEmpty();
            String registry = binding.substring(0, binding.indexOf('='));
            assertThat(requests).as("the listener was asked, anonymously").isNotEmpty();
            assertThat(console)
                    .contains(
                            "source "
                                    + host()
                                    + "/x:1 is on "
                                    + host()
                                    + ", not on "
                                    + registry
                                    + " (sourceCredentialsId "
                                    + binding
                                    + "): its credentials are not sent there");
            assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(String.join("\n", console) + result.message()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void registryCredentialsReachOnlyTheirRegistry() throws IOException {
        ScanParameters scan = new ScanParameters(host() + "/x:1");
        scan.setRegistryCredentials(List.of("registry.example.com=hub"));
        StepResult result = run(scan);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(requests).isNotEmpty();
        assertThat(authorizations).isEmpty();

        // a bare host's credentials would serve every port of it: an image on another port is
        // refused before anything is sent
        requests.clear();
        scan.setRegistryCredentials(List.of("127.0.0.1=hub"));
        StepResult refused = run(scan);
        assertThat(refused.message())
                .contains(
                        "image " + host() + "/x:1 is on " + host() + ", another port of 127.0.0.1");
        assertThat(requests).isEmpty();

        scan.setRegistryCredentials(List.of(host() + "=hub"));
        run(scan);
        assertThat(authorizations).isNotEmpty();
    }
}
