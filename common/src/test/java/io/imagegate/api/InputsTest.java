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
}
