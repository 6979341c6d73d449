package io.imagegate.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.reference.ImageReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageMappingTest {
    private static String map(ImageMapping m, String ref) {
        return m.map(ImageReference.parse(ref)).map(Object::toString).orElse("none");
    }

    @Test
    void theDefaultRuleIsCollisionFree() {
        ImageMapping m = ImageMapping.parse(List.of("=registry.example.com/mirror/"));
        assertThat(map(m, "prom/prometheus:v2"))
                .isEqualTo("registry.example.com/mirror/docker.io/prom/prometheus:v2");
        assertThat(map(m, "quay.io/prom/prometheus:v2"))
                .isEqualTo("registry.example.com/mirror/quay.io/prom/prometheus:v2");
        assertThat(map(m, "alpine@sha256:" + "c".repeat(64)))
                .isEqualTo(
                        "registry.example.com/mirror/docker.io/library/alpine@sha256:"
                                + "c".repeat(64));
    }

    @Test
    void hostsWithPortsAndIpv6BecomeValidPathComponents() {
        ImageMapping m = ImageMapping.parse(List.of("=registry.example.com/mirror"));
        assertThat(map(m, "localhost:5000/team/app:1"))
                .isEqualTo("registry.example.com/mirror/localhost-5000/team/app:1");
        assertThat(map(m, "[::1]:5000/app:1"))
                .isEqualTo("registry.example.com/mirror/ipv6---1-5000/app:1");
    }

    @Test
    void firstMatchWinsOnPathBoundaries() {
        ImageMapping m =
                ImageMapping.parse(
                        List.of(
                                "docker.io/library=registry.example.com/official",
                                "index.docker.io=registry.example.com/hub",
                                "quay.io/prom=registry.example.com/prom"));
        assertThat(map(m, "alpine:3")).isEqualTo("registry.example.com/official/alpine:3");
        assertThat(map(m, "bitnami/redis:7")).isEqualTo("registry.example.com/hub/bitnami/redis:7");
        assertThat(map(m, "quay.io/prometheus/node-exporter")).isEqualTo("none");
        assertThat(map(m, "quay.io/prom/x:1")).isEqualTo("registry.example.com/prom/x:1");
        assertThat(m.isTarget(ImageReference.parse("registry.example.com/official/alpine:3")))
                .isTrue();
    }

    @Test
    void badRulesAreNamed() {
        assertThatThrownBy(() -> ImageMapping.parse(List.of("docker.io")))
                .hasMessageContaining("must be SRC_PREFIX=DST_PREFIX");
        assertThatThrownBy(() -> ImageMapping.parse(List.of("docker.io=")))
                .hasMessageContaining("empty target");
    }
}
