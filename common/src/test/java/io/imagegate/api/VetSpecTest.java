package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import org.junit.jupiter.api.Test;

/** The quarantine a vet imports into never overlaps the trusted name it vets for. */
class VetSpecTest {
    private static VetSpec spec(String target, String quarantine) {
        return VetSpec.builder()
                .source("docker.io/library/alpine:3.20")
                .target(target)
                .quarantine(quarantine)
                .build();
    }

    @Test
    void aQuarantineInsideOrAroundTheTargetIsRefused() {
        // inside the target's namespace: reg/team/quarantine/team beside the trusted reg/team
        assertThatThrownBy(() -> spec("registry.example.com/team:1", "team/quarantine").validate())
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.message().code()).isEqualTo("vet.quarantine-in-target");
                            assertThat(e.field()).contains(Field.QUARANTINE);
                        });
        // the target inside the quarantine prefix
        assertThatThrownBy(() -> spec("registry.example.com/base/app:1", "base").validate())
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("vet.target-in-quarantine"));
        // apart: fine
        assertThat(
                        spec("registry.example.com/team/app:1", "quarantine")
                                .quarantineRepository(
                                        spec("registry.example.com/team/app:1", "quarantine")
                                                .resolvedTarget(null))
                                .repository())
                .isEqualTo("quarantine/team/app");
    }
}
