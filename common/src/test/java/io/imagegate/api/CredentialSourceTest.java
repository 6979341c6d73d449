package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Vocabulary;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that refuses credentials gets an error naming where they came from (the front end's
 * label such as a settings.xml server, an environment variable, a Docker config entry, its
 * credsStore or credHelper), so the user knows what to fix; never the password.
 */
@NeedsComponents
class CredentialSourceTest {
    private static final String WRONG = "Wrong-Password-0451";

    @RegisterExtension static final RegistryExtension open = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension basic = RegistryExtension.htpasswd();
    @RegisterExtension static final RegistryExtension token = RegistryExtension.tokenAuth();

    static TestImages.Image image;

    @TempDir Path dir;

    @BeforeAll
    static void push() {
        image = TestImages.cleanAlpine();
        new ImagePusher(open).push("src/app", "1", image);
    }

    /** The error of an import into {@code into} with {@code settings}, rendered. */
    private String refusal(Settings settings, RegistryExtension into) {
        ImportResult result =
                ImageGate.create(settings)
                        .importImage(
                                ImportSpec.builder()
                                        .source(open.hostPort() + "/src/app:1")
                                        .target(into.hostPort() + "/team/app:1")
                                        .build(),
                                ProgressListener.NONE);
        assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.ERROR);
        assertThat(result.error().orElseThrow().kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        String message = result.error().orElseThrow().render(Vocabulary.NEUTRAL);
        assertThat(message).doesNotContain(WRONG);
        return message;
    }

    private Settings given(CredentialRef ref, Map<String, String> env, RegistryExtension into) {
        return TestSettings.in(dir, env)
                .withRegistry(RegistrySettings.of(into.hostPort()).withCredentials(ref));
    }

    @Test
    void aFrontEndsLabelIsNamed() {
        String message =
                refusal(
                        given(
                                CredentialRef.labelled(
                                        CredentialRef.usernamePassword(
                                                RegistryExtension.PUSH_USER, WRONG),
                                        "settings.xml server \"private-registry\""),
                                Map.of(),
                                basic),
                        basic);
        assertThat(message)
                .contains("HTTP 401")
                .contains(
                        "the credentials used for "
                                + basic.hostPort()
                                + " (from settings.xml server \"private-registry\") do not allow");
    }

    @Test
    void anEnvironmentVariableIsNamed() {
        assertThat(
                        refusal(
                                given(
                                        CredentialRef.environment("REGISTRY_AUTH"),
                                        Map.of("REGISTRY_AUTH", "alice:" + WRONG),
                                        basic),
                                basic))
                .contains("(from environment variable REGISTRY_AUTH)");
        assertThat(
                        refusal(
                                given(
                                        CredentialRef.environment("REG_USER:REG_PASSWORD"),
                                        Map.of("REG_USER", "alice", "REG_PASSWORD", WRONG),
                                        basic),
                                basic))
                .contains("(from environment variables REG_USER and REG_PASSWORD)");
    }

    @Test
    void aDockerConfigEntryIsNamedWithItsFile() throws Exception {
        Path config = dockerConfig("{\"auths\":{\"" + basic.hostPort() + "\":{\"auth\":\"%s\"}}}");
        assertThat(refusal(TestSettings.in(dir, Map.of("DOCKER_CONFIG", config.toString())), basic))
                .contains(
                        "(from Docker config "
                                + config.resolve("config.json")
                                + ", auths \""
                                + basic.hostPort()
                                + "\")");
    }

    @Test
    void aCredsStoreAndACredHelperAreNamed() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path helper = bin.resolve("docker-credential-testhelper");
        Files.writeString(
                helper,
                "#!/bin/sh\ncat >/dev/null\necho '{\"Username\":\"alice\",\"Secret\":\""
                        + WRONG
                        + "\"}'\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> path = Map.of("PATH", bin + ":" + System.getenv("PATH"));

        Path store = dockerConfig("{\"credsStore\":\"testhelper\"}");
        assertThat(refusal(withConfig(store, path), basic))
                .contains(
                        "(from Docker config "
                                + store.resolve("config.json")
                                + ", credsStore: docker-credential-testhelper)");

        Path helpers =
                dockerConfig("{\"credHelpers\":{\"" + basic.hostPort() + "\":\"testhelper\"}}");
        assertThat(refusal(withConfig(helpers, path), basic))
                .contains(
                        "(from Docker config "
                                + helpers.resolve("config.json")
                                + ", credHelpers \""
                                + basic.hostPort()
                                + "\": docker-credential-testhelper)");
    }

    @Test
    void aTokenServersRefusalNamesTheSourceToo() {
        String message =
                refusal(
                        given(
                                CredentialRef.environment("REGISTRY_AUTH"),
                                Map.of("REGISTRY_AUTH", "alice:" + WRONG),
                                token),
                        token);
        assertThat(message)
                .contains(
                        "refused the credentials for user \"alice\" from environment variable"
                                + " REGISTRY_AUTH");
    }

    private Settings withConfig(Path config, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("DOCKER_CONFIG", config.toString());
        return TestSettings.in(dir, all);
    }

    /** A Docker config directory whose config.json is {@code json}, {@code %s} the wrong auth. */
    private Path dockerConfig(String json) throws Exception {
        Path config = Files.createTempDirectory(dir, "docker");
        String auth =
                Base64.getEncoder()
                        .encodeToString(("alice:" + WRONG).getBytes(StandardCharsets.UTF_8));
        Files.writeString(config.resolve("config.json"), json.replace("%s", auth));
        return config;
    }
}
