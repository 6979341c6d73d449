package io.imagegate.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class InputsTest {
    @Test
    void theRegistryOfAReferenceIsHowCredentialsAreKeyed() {
        assertThat(Inputs.registry(Field.IMAGE, "alpine:3.20")).isEqualTo("docker.io");
        assertThat(Inputs.registry(Field.IMAGE, "index.docker.io/library/alpine")).isEqualTo("docker.io");
        assertThat(Inputs.registry(Field.IMAGE, "localhost:5000/a/b:1")).isEqualTo("localhost:5000");
        assertThat(Inputs.registry(Field.IMAGE, "Registry.Example.com/base/jre@sha256:" + "a".repeat(64))).isEqualTo("registry.example.com");
        ImageGateException e = catchThrowableOfType(ImageGateException.class, () -> Inputs.registry(Field.SOURCE, "Not/Valid"));
        assertThat(e.kind()).isEqualTo(ErrorKind.USAGE);
        assertThat(e.field()).contains(Field.SOURCE);
    }

    @Test
    void registryEntriesAreParsedOnceForEveryFrontEnd() {
        RegistrySettings creds = Inputs.environmentCredentials(Field.REGISTRY_CREDENTIALS, " mirror.example.com:5000 = USER_VAR:PASS_VAR ");
        assertThat(creds.registry()).isEqualTo("mirror.example.com:5000");
        assertThat(creds.credentials()).contains(new CredentialRef.EnvironmentVariables("USER_VAR:PASS_VAR", Field.REGISTRY_CREDENTIALS));
        ImageGateException wrong = catchThrowableOfType(() -> Inputs.environmentCredentials(Field.REGISTRY_CREDENTIALS,
                "alice:s3cret-Passw0rd"), ImageGateException.class);
        assertThat(wrong.kind()).isEqualTo(ErrorKind.USAGE);
        assertThat(wrong.getMessage()).contains("REGISTRY=VAR").doesNotContain("s3cret");

        assertThat(Inputs.caFile("ca.pem")).isEqualTo(RegistrySettings.defaults().withCaFile("ca.pem"));
        assertThat(Inputs.caFile("registry.example.com:443 = certs/ca.pem"))
                .isEqualTo(RegistrySettings.of("registry.example.com:443").withCaFile("certs/ca.pem"));
    }

    @Test
    void anImageIsOneFileName() {
        assertThat(Inputs.fileName("docker.io/library/alpine:3.20")).isEqualTo("docker.io_library_alpine_3.20");
        assertThat(Inputs.fileName("../../etc/passwd")).isEqualTo("_.._.._etc_passwd");
        assertThat(Inputs.fileName("r.example/" + "a".repeat(300))).hasSize(120);
    }
}
