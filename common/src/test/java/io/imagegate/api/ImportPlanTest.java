package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.Field;
import io.imagegate.message.Vocabulary;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What import and vet follow in a project: each image its build uses, once, with its private name.
 */
class ImportPlanTest {
    private static final String MAP = "=registry.example.com/mirror";

    @TempDir Path dir;

    private ImportPlan plan(List<ImageSource> images, List<String> map, String... files) {
        return ImageGate.create(TestSettings.in(dir))
                .importPlan(new ImportPlanSpec(List.of(files), images, List.of(), List.of(), map));
    }

    @Test
    void everyImageOnceInFirstUseOrderWithItsMappedNameAndPrivateOnesLeftAlone()
            throws IOException {
        Files.writeString(
                dir.resolve("Dockerfile"),
                """
                # syntax=docker/dockerfile:1.7
                FROM alpine:3.20 AS build
                FROM registry.example.com/mirror/docker.io/library/debian:12
                COPY --from=alpine:3.20 /a /b
                COPY --from=build /c /d
                FROM quay.io/prometheus/busybox:latest@sha256:%s
                """
                        .formatted("a".repeat(64)));
        ImportPlan plan =
                plan(
                        List.of(
                                new ImageSource(
                                        "eclipse-temurin:21-jre",
                                        "pom.xml",
                                        12,
                                        "jib-maven-plugin <from><image>")),
                        List.of(MAP),
                        "Dockerfile");

        assertThat(plan.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(plan.images())
                .extracting(
                        ImportPlan.Entry::source, ImportPlan.Entry::target, ImportPlan.Entry::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "docker.io/docker/dockerfile:1.7",
                                "registry.example.com/mirror/docker.io/docker/dockerfile:1.7",
                                1),
                        org.assertj.core.groups.Tuple.tuple(
                                "docker.io/library/alpine:3.20",
                                "registry.example.com/mirror/docker.io/library/alpine:3.20",
                                2),
                        org.assertj.core.groups.Tuple.tuple(
                                "quay.io/prometheus/busybox:latest@sha256:" + "a".repeat(64),
                                "registry.example.com/mirror/quay.io/prometheus/busybox:latest",
                                6),
                        org.assertj.core.groups.Tuple.tuple(
                                "docker.io/library/eclipse-temurin:21-jre",
                                "registry.example.com/mirror/docker.io/library/eclipse-temurin:21-jre",
                                12));
        assertThat(plan.alreadyPrivate())
                .extracting(ImportPlan.Entry::source)
                .containsExactly("registry.example.com/mirror/docker.io/library/debian:12");
    }

    @Test
    void anUnresolvedReferenceIsAProblemAMissingRuleAUsageErrorAndNoRulesListTheImagesAsUsed()
            throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "ARG BASE\nFROM $BASE\nFROM alpine:3.20\n");
        ImportPlan plan = plan(List.of(), List.of(MAP), "Dockerfile");
        assertThat(plan.outcome()).isEqualTo(Outcome.CHANGES_NEEDED);
        assertThat(plan.images())
                .extracting(ImportPlan.Entry::source)
                .containsExactly("docker.io/library/alpine:3.20");
        assertThat(plan.problems())
                .singleElement()
                .satisfies(
                        m ->
                                assertThat(m.render(Vocabulary.NEUTRAL))
                                        .contains("Dockerfile:2: cannot follow"));

        ImportPlan unmapped =
                plan(List.of(), List.of("quay.io=registry.example.com/quay"), "Dockerfile");
        assertThat(unmapped.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(unmapped.error().get().field()).contains(Field.MAP);

        ImportPlan asUsed = plan(List.of(), List.of(), "Dockerfile");
        assertThat(asUsed.images())
                .extracting(ImportPlan.Entry::source, ImportPlan.Entry::target)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("docker.io/library/alpine:3.20", ""));
    }
}
