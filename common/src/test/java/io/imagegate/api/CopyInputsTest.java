package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Import and vet take what they share as one {@link CopyInputs}: their builders fill it, and it
 * travels with the spec.
 */
class CopyInputsTest {
    private static final CredentialRef SOURCE_CREDENTIALS =
            CredentialRef.usernamePassword("reader", "s0urce-pass");
    private static final CredentialRef TARGET_CREDENTIALS = CredentialRef.token("t4rget-token");

    private static ImportSpec importSpec() {
        return ImportSpec.builder()
                .source("docker.io/library/alpine:3.20")
                .map(List.of("=r.example/mirror"))
                .platforms(List.of("linux/amd64"))
                .force(true)
                .referrers("signatures")
                .sourceCredentials(SOURCE_CREDENTIALS)
                .targetCredentials(TARGET_CREDENTIALS)
                .build();
    }

    private static VetSpec vetSpec() {
        return VetSpec.builder()
                .source("docker.io/library/alpine:3.20")
                .map(List.of("=r.example/mirror"))
                .platforms(List.of("linux/amd64"))
                .force(true)
                .referrers("signatures")
                .sourceCredentials(SOURCE_CREDENTIALS)
                .targetCredentials(TARGET_CREDENTIALS)
                .build();
    }

    @Test
    void theSameBuilderCallsGiveImportAndVetTheSameCopyInputs() {
        CopyInputs expected =
                CopyInputs.builder()
                        .source("docker.io/library/alpine:3.20")
                        .map(List.of("=r.example/mirror"))
                        .platforms(List.of("linux/amd64"))
                        .force(true)
                        .referrers("signatures")
                        .sourceCredentials(SOURCE_CREDENTIALS)
                        .targetCredentials(TARGET_CREDENTIALS)
                        .build();

        assertThat(importSpec().copy()).isEqualTo(expected);
        assertThat(vetSpec().copy()).isEqualTo(expected);
        // the specs' own accessors, which front ends read, still answer
        assertThat(vetSpec().source()).isEqualTo("docker.io/library/alpine:3.20");
        assertThat(importSpec().platforms()).containsExactly("linux/amd64");
        assertThat(importSpec().targetReference())
                .isEqualTo(vetSpec().targetReference())
                .isEqualTo("r.example/mirror/docker.io/library/alpine:3.20");
    }

    @Test
    void eachCredentialGoesToItsOwnRegistry() {
        assertThat(vetSpec().registries())
                .extracting(RegistrySettings::registry, RegistrySettings::credentials)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "docker.io", java.util.Optional.of(SOURCE_CREDENTIALS)),
                        org.assertj.core.groups.Tuple.tuple(
                                "r.example", java.util.Optional.of(TARGET_CREDENTIALS)));
        assertThat(importSpec().registries()).isEqualTo(vetSpec().registries());
    }

    @Test
    void specsTravelWithTheirCopyInputs() throws Exception {
        assertThat(roundTrip(importSpec())).isEqualTo(importSpec());
        assertThat(roundTrip(vetSpec())).isEqualTo(vetSpec());
    }

    private static Object roundTrip(Object spec) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
