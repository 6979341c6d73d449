package io.imagegate.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.dockerfile.DockerfileReader;
import io.imagegate.dockerfile.ImageRef;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.message.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GateTest {
    private static final String PINNED = "@sha256:" + "e".repeat(64);

    private static List<ImageRef> refs(String dockerfile) {
        return DockerfileReader.read(Path.of("Dockerfile"), dockerfile, Map.of(), Optional.empty());
    }

    @Test
    void everyKindOfReferenceMustBeTrusted() {
        List<Violation> v =
                new Gate(List.of("registry.example.com/mirror/"), false, VettingCheck.none())
                        .check(
                                refs(
                                        """
                # syntax=docker/dockerfile:1.7
                FROM registry.example.com/mirror/docker.io/library/alpine:3.20 AS base
                COPY --from=nginx:1.27 /a /b
                RUN --mount=from=registry.example.com/mirrorx/tools:1,target=/t true
                """));
        assertThat(v)
                .extracting(x -> x.ref().kind())
                .containsExactly(
                        ImageRef.Kind.SYNTAX, ImageRef.Kind.COPY_FROM, ImageRef.Kind.MOUNT_FROM);
        assertThat(v).extracting(Violation::rule).containsOnly(Violation.Rule.UNTRUSTED);
        // The fix names operations and inputs, never a front end's flags; each front end renders it
        // in its own words.
        assertThat(v.get(1).describe(Vocabulary.NEUTRAL))
                .isEqualTo(
                        "Dockerfile:3: nginx:1.27: docker.io/library/nginx:1.27 is not in a"
                                + " trusted registry (registry.example.com/mirror) (fix: vet source=docker.io/library/nginx:1.27"
                                + " target=registry.example.com/mirror/docker.io/library/nginx:1.27 && rewrite map==registry.example.com/mirror"
                                + " dockerfiles=Dockerfile pin=true)");
    }

    @Test
    void theSuggestedTargetIsAValidReferenceForARegistryWithAPort() {
        List<Violation> v =
                new Gate(List.of("registry.example.com/mirror"), false, VettingCheck.none())
                        .check(refs("FROM localhost:5000/team/app:2\n"));
        io.imagegate.message.Fix vet = (io.imagegate.message.Fix) v.get(0).fix().args().get(0);
        String target = vet.inputs().get(Field.TARGET);
        assertThat(target).isEqualTo("registry.example.com/mirror/localhost-5000/team/app:2");
        assertThat(io.imagegate.reference.ImageReference.parse(target).toString())
                .isEqualTo(target);
    }

    @Test
    void requiredDigestsUnresolvedReferencesAndVetting() {
        String dockerfile =
                "FROM registry.example.com/base/a:1\nFROM registry.example.com/base/b:1"
                        + PINNED
                        + "\nFROM ${MISSING}\n";
        List<Violation> strict =
                new Gate(List.of("registry.example.com/base"), true, VettingCheck.none())
                        .check(refs(dockerfile));
        assertThat(strict)
                .extracting(Violation::rule)
                .containsExactly(Violation.Rule.UNPINNED, Violation.Rule.UNRESOLVED);
        assertThat(strict.get(0).reason().toString()).endsWith("is not pinned by digest");

        VettingCheck onlyA =
                image ->
                        image.repository().endsWith("/a")
                                ? Optional.empty()
                                : Optional.of(
                                        Message.of("test.no-verdict", "no PASS verdict recorded"));
        List<Violation> vetted =
                new Gate(List.of("registry.example.com/base"), false, onlyA)
                        .check(refs(dockerfile));
        assertThat(vetted)
                .extracting(Violation::rule)
                .containsExactly(Violation.Rule.NOT_VETTED, Violation.Rule.UNRESOLVED);
        assertThat(vetted.get(0).reason().toString())
                .contains("base/b:1" + PINNED + " is not vetted: no PASS verdict recorded");
        assertThat(vetted.get(0).fix().toString()).startsWith("vet ");
    }

    @Test
    void aGateWithoutTrustedPrefixesIsRefused() {
        assertThatThrownBy(() -> new Gate(List.of(), false, VettingCheck.none()))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.field()).contains(Field.TRUSTED));
    }
}
