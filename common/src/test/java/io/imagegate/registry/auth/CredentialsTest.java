package io.imagegate.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
    @TempDir Path dir;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private Path config(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        return dir.resolve("config.json");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(Credentials.basic("alice", "s3cr3t-value").toString())
                .contains("alice")
                .doesNotContain("s3cr3t-value");
        assertThat(Credentials.identityToken("", "refresh-xyz").toString())
                .doesNotContain("refresh-xyz");
    }

    @Test
    void readsAuthsWithBase64AuthAndIdentityToken() throws IOException {
        config(
                """
                {"auths": {
                  "https://index.docker.io/v1/": {"auth": "%s"},
                  "myacr.azurecr.io": {"auth": "%s", "identitytoken": "refresh-123"},
                  "http://127.0.0.1:5000": {"username": "u", "password": "p"}
                }}"""
                        .formatted(
                                b64("hubuser:hubpass"),
                                b64("00000000-0000-0000-0000-000000000000:")));
        DockerConfigCredentials creds =
                DockerConfigCredentials.fromEnvironment(
                        Map.of("DOCKER_CONFIG", dir.toString()), dir);
        assertThat(creds.credentialsFor("docker.io"))
                .contains(Credentials.basic("hubuser", "hubpass"));
        assertThat(creds.credentialsFor("myacr.azurecr.io"))
                .contains(
                        Credentials.identityToken(
                                "00000000-0000-0000-0000-000000000000", "refresh-123"));
        assertThat(creds.credentialsFor("127.0.0.1:5000")).contains(Credentials.basic("u", "p"));
        assertThat(creds.credentialsFor("quay.io")).isEmpty();
    }

    @Test
    void missingConfigMeansNoCredentials() {
        DockerConfigCredentials creds =
                DockerConfigCredentials.fromEnvironment(
                        Map.of("DOCKER_CONFIG", dir.resolve("nope").toString()), dir);
        assertThat(creds.credentialsFor("docker.io")).isEmpty();
    }

    @Test
    void brokenConfigIsNamed() throws IOException {
        config("{not json");
        assertThatThrownBy(
                        () ->
                                DockerConfigCredentials.fromEnvironment(
                                        Map.of("DOCKER_CONFIG", dir.toString()), dir))
                .hasMessageContaining(dir.resolve("config.json").toString())
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void runsCredHelpersAndCredsStore() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        helper(
                bin,
                "docker-credential-acr",
                """
                read server
                echo "{\\"ServerURL\\":\\"$server\\",\\"Username\\":\\"<token>\\",\\"Secret\\":\\"refresh-for-$server\\"}"
                """);
        helper(
                bin,
                "docker-credential-store",
                """
                read server
                if [ "$server" = "https://index.docker.io/v1/" ]; then
                  echo '{"Username":"hub","Secret":"hubsecret"}'
                else
                  echo "credentials not found in native keychain"; exit 1
                fi
                """);
        config(
                """
                {"credsStore": "store", "credHelpers": {"myacr.azurecr.io": "acr"},
                 "auths": {"quay.io": {"auth": "%s"}}}"""
                        .formatted(b64("q:w")));
        DockerConfigCredentials creds =
                DockerConfigCredentials.load(dir.resolve("config.json"), bin.toString());
        assertThat(creds.credentialsFor("myacr.azurecr.io"))
                .contains(Credentials.identityToken("", "refresh-for-myacr.azurecr.io"));
        assertThat(creds.credentialsFor("docker.io"))
                .contains(Credentials.basic("hub", "hubsecret"));
        // the store has nothing for quay.io, so the auths entry answers
        assertThat(creds.credentialsFor("quay.io")).contains(Credentials.basic("q", "w"));
    }

    @Test
    void aHelperThatFailsAfterPrintingItsSecretDoesNotGetItShown() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        helper(
                bin,
                "docker-credential-leaky",
                """
                read server
                echo '{"Username":"u","Secret":"LEAKED-SECRET-42"}'
                echo 'fatal: LEAKED-SECRET-42 rejected' >&2
                exit 3
                """);
        config("{\"credHelpers\": {\"r.example\": \"leaky\"}}");
        DockerConfigCredentials creds =
                DockerConfigCredentials.load(dir.resolve("config.json"), bin.toString());
        assertThatThrownBy(() -> creds.credentialsFor("r.example"))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.getMessage())
                                    .contains("docker-credential-leaky")
                                    .contains("exit 3")
                                    .doesNotContain("LEAKED-SECRET-42");
                        });
    }

    @Test
    void aMissingHelperIsNamed() throws IOException {
        config("{\"credHelpers\": {\"r.example\": \"nothere\"}}");
        DockerConfigCredentials creds =
                DockerConfigCredentials.load(dir.resolve("config.json"), dir.toString());
        assertThatThrownBy(() -> creds.credentialsFor("r.example"))
                .hasMessageContaining("docker-credential-nothere")
                .hasMessageContaining("not on the PATH");
    }

    @Test
    void environmentVariables() {
        Map<String, String> env = Map.of("CREDS", "bob:pa:ss", "U", "carol", "P", "pw");
        Field field = Field.SOURCE_CREDENTIALS;
        assertThat(EnvironmentCredentials.read("CREDS", env, field))
                .isEqualTo(Credentials.basic("bob", "pa:ss"));
        assertThat(EnvironmentCredentials.read("U:P", env, field))
                .isEqualTo(Credentials.basic("carol", "pw"));
        assertThatThrownBy(() -> EnvironmentCredentials.read("MISSING", env, field))
                .hasMessageContaining("MISSING")
                .hasMessageContaining("is not set");
        assertThatThrownBy(() -> EnvironmentCredentials.read("U", env, field))
                .hasMessageContaining("must hold user:password")
                .hasMessageNotContaining("carol");
        // a password given where a variable name belongs is never echoed back
        assertThatThrownBy(() -> EnvironmentCredentials.read("s3cr3t-P@ssw0rd!", env, field))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.field()).contains(field);
                            assertThat(e.getMessage()).doesNotContain("s3cr3t");
                        });
    }

    private static void helper(Path bin, String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
