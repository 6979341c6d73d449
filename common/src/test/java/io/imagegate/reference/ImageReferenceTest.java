package io.imagegate.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    private static final String HEX = "a".repeat(64);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "alpine,                                 docker.io/library/alpine:latest",
        "alpine:3.20,                            docker.io/library/alpine:3.20",
        "library/alpine,                         docker.io/library/alpine:latest",
        "prom/prometheus:v2,                     docker.io/prom/prometheus:v2",
        "docker.io/alpine,                       docker.io/library/alpine:latest",
        "index.docker.io/alpine,                 docker.io/library/alpine:latest",
        "registry-1.docker.io/library/nginx:1,   docker.io/library/nginx:1",
        "registry.hub.docker.com/prom/x,         docker.io/prom/x:latest",
        "localhost:5000,                         docker.io/library/localhost:5000",
        "localhost/foo,                          localhost/foo:latest",
        "localhost:5000/foo/bar:t,               localhost:5000/foo/bar:t",
        "quay.io/prometheus/node-exporter,       quay.io/prometheus/node-exporter:latest",
        "[::1]:5000/foo,                         [::1]:5000/foo:latest",
        "[2001:db8::1]/foo:1,                    [2001:db8::1]/foo:1",
        "myacr.azurecr.io/a/b/c:1.2.3-rc_1,      myacr.azurecr.io/a/b/c:1.2.3-rc_1",
        "foo__bar/a-b---c.d,                     docker.io/foo__bar/a-b---c.d:latest",
    })
    void normalizes(String input, String expected) {
        assertThat(ImageReference.parse(input)).hasToString(expected);
    }

    @Test
    void tagAndDigestAreBothKeptAndTheDigestDecides() {
        ImageReference ref = ImageReference.parse("nginx:1.27@sha256:" + HEX);
        assertThat(ref.tag()).contains("1.27");
        assertThat(ref.digest()).contains(new Digest("sha256", HEX));
        assertThat(ref.manifestReference()).isEqualTo("sha256:" + HEX);
        assertThat(ref.isPinned()).isTrue();
        assertThat(ref).hasToString("docker.io/library/nginx:1.27@sha256:" + HEX);
    }

    @Test
    void digestOnlyHasNoTag() {
        ImageReference ref = ImageReference.parse("ghcr.io/x/y@sha256:" + HEX);
        assertThat(ref.tag()).isEmpty();
        assertThat(ref.manifestReference()).isEqualTo("sha256:" + HEX);
    }

    @Test
    void dockerHubApiHost() {
        assertThat(ImageReference.parse("alpine").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("quay.io/a/b").apiHost()).isEqualTo("quay.io");
    }

    @Test
    void tagLengthLimitIs128() {
        assertThat(ImageReference.parse("alpine:" + "a".repeat(128)).tag())
                .contains("a".repeat(128));
        assertThatThrownBy(() -> ImageReference.parse("alpine:" + "a".repeat(129)))
                .isInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("at most 128 characters");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Alpine                | repository name must be lowercase",
                "docker.io/Library/x   | repository name must be lowercase",
                "alpine:               | a tag must follow ':'",
                "alpine:-x             | must start with a letter, digit or '_'",
                "alpine@               | a digest must follow '@'",
                "alpine@sha256:abc     | 64 lowercase hexadecimal",
                "a/b//c                | empty path component",
                "foo/-bar              | repository path component \"-bar\"",
                "-x.io/foo             | not a valid registry",
                "localhost:5000/       | the repository name is missing",
                "alpine@md5:0123456789abcdef0123456789abcdef | unsupported digest algorithm",
            })
    void rejectsWithTheRule(String input, String rule) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOf(InvalidReferenceException.class)
                .hasMessageContaining("\"" + input + "\"")
                .hasMessageContaining(rule);
    }

    @Test
    void uppercaseDigestHexIsRejected() {
        assertThatThrownBy(() -> ImageReference.parse("alpine@sha256:" + "A".repeat(64)))
                .hasMessageContaining("lowercase hexadecimal");
    }

    @Test
    void emptyAndWhitespaceAreRejected() {
        assertThatThrownBy(() -> ImageReference.parse(""))
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ImageReference.parse(" alpine"))
                .hasMessageContaining("whitespace");
    }

    @Test
    void totalNameLengthIsLimited() {
        String longName = "a".repeat(250);
        assertThatThrownBy(() -> ImageReference.parse(longName))
                .hasMessageContaining("longer than 255");
    }

    @Test
    void familiarForm() {
        assertThat(ImageReference.parse("docker.io/library/alpine:3").familiarString())
                .isEqualTo("alpine:3");
        assertThat(ImageReference.parse("prom/x").familiarString()).isEqualTo("prom/x:latest");
        assertThat(ImageReference.parse("quay.io/a/b:1").familiarString())
                .isEqualTo("quay.io/a/b:1");
        // Found by ImageReferenceFuzzTest: a Docker Hub repository whose first part looks like a
        // host keeps docker.io/,
        // or the short form would name another registry.
        ImageReference hub = ImageReference.parse("index.docker.io/ker.io/libralibrary/n");
        assertThat(hub.familiarString()).isEqualTo("docker.io/ker.io/libralibrary/n:latest");
        assertThat(ImageReference.parse(hub.familiarString())).isEqualTo(hub);
    }

    @Test
    void loopback() {
        assertThat(ImageReference.parse("127.0.0.1:5000/x").isLoopbackRegistry()).isTrue();
        assertThat(ImageReference.parse("localhost:5000/x").isLoopbackRegistry()).isTrue();
        assertThat(ImageReference.parse("[::1]:5000/x").isLoopbackRegistry()).isTrue();
        assertThat(ImageReference.parse("quay.io/x").isLoopbackRegistry()).isFalse();
        // names that only start like a loopback address are hosts anyone can point anywhere: no
        // plain HTTP for them
        assertThat(ImageReference.parse("127.0.0.1.nip.io:5000/x").isLoopbackRegistry()).isFalse();
        assertThat(ImageReference.parse("127.attacker.example/x").isLoopbackRegistry()).isFalse();
    }
}
