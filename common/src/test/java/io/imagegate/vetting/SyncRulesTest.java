package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import io.imagegate.api.TrivySettings;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.HostileServer;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.RegistryRequest;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Rules in the sync file: upstream tags selected, then synced as any other image. */
@NeedsComponents
class SyncRulesTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @RegisterExtension static final RegistryExtension locked = RegistryExtension.htpasswd();

    @TempDir Path dir;

    private final List<String> progress = java.util.Collections.synchronizedList(new ArrayList<>());

    private SyncResult sync(Path file, String trivyPath) {
        return sync(file, trivyPath, Map.of());
    }

    private SyncResult sync(Path file, String trivyPath, Map<String, String> variables) {
        TrivySettings trivy =
                TrivySettings.builder()
                        .path(trivyPath)
                        .cacheDir(FixtureVulnerabilityDb.cacheDir().toString())
                        .skipDbUpdate(true)
                        .skipJavaDbUpdate(true)
                        .offlineScan(true)
                        .build();
        return ImageGate.create(TestSettings.in(dir, variables))
                .sync(new SyncSpec(file.toString(), null, null, 2, null, trivy), progress::add);
    }

    @Test
    void rulesSelectUpstreamTagsAndTheirImagesSyncAsAnyOther() throws IOException {
        ImagePusher up = new ImagePusher(upstream);
        TestImages.Image image = TestImages.cleanAlpine();
        up.push("library/alpine", "3.18.0", image);
        List<String> tags = new ArrayList<>();
        // sixty tags: fillers, releases, a pre-release, words
        IntStream.range(0, 48).forEach(i -> tags.add("2." + i + ".0"));
        tags.addAll(
                List.of(
                        "3.19.0",
                        "3.19.1",
                        "3.20",
                        "3.20.1-rc.1",
                        "3.21.0",
                        "3.21.1",
                        "4.0.0",
                        "edge",
                        "latest",
                        "3.21.2-rc.1",
                        "v3.21"));
        for (String tag : tags) {
            up.putManifest("library/alpine", tag, image.mediaType(), image.bytes());
        }
        // the images selected are distinct, as real releases are: each its own verdict
        List<String> selected = List.of("3.21.0", "3.21.1", "3.20.1-rc.1");
        for (int i = 0; i < selected.size(); i++) {
            up.push(
                    "library/alpine",
                    selected.get(i),
                    TestImages.alpine(
                            io.imagegate.oci.Platform.parse("linux/amd64"),
                            List.<String[]>of(
                                    new String[] {"busybox", "1.37.0-r" + (i + 1), "busybox"})));
        }
        up.push("library/other", "1.0.0", image);
        try (HostileServer hostile =
                new HostileServer(
                        (r, out) -> {
                            if (r.path().equals("/v2/")) {
                                out.respond(200, Map.of(), "{}");
                            } else if (r.path().startsWith("/v2/lib/huge/tags/list")) {
                                // more tags than any listing is read for
                                StringBuilder body = new StringBuilder("{\"tags\":[");
                                for (int i = 0; i < 10_001; i++) {
                                    body.append(i == 0 ? "" : ",")
                                            .append("\"t")
                                            .append(i)
                                            .append('"');
                                }
                                out.respond(200, Map.of(), body.append("]}").toString());
                            } else {
                                out.respond(404, Map.of(), "{}");
                            }
                        })) {
            Path file =
                    Files.writeString(
                            dir.resolve("sync.yaml"),
                            """
                images:
                  - source: %1$s/library/alpine
                    target: %2$s/base/alpine
                    tags:
                      semver: ">=3.19.0 <4"
                      deny: ['.*-rc.*']
                      latest: 2
                  - source: %1$s/library/alpine
                    target: %2$s/base/alpine-rc
                    tags: {semver: ">=3.20.1-rc.1 <3.21"}
                  - source: %1$s/library/other
                    target: %2$s/base/other
                    tags: {semver: ">=2"}
                  - source: %3$s/lib/huge
                    target: %2$s/base/huge
                    tags: {latest: 1}
                """
                                    .formatted(
                                            upstream.hostPort(),
                                            registry.hostPort(),
                                            hostile.hostPort()));

            SyncResult first = sync(file, null);
            assertThat(first.entries())
                    .extracting(SyncResult.Entry::target)
                    .containsExactly(
                            registry.hostPort() + "/base/alpine:3.21.0",
                            registry.hostPort() + "/base/alpine:3.21.1",
                            registry.hostPort() + "/base/alpine-rc:3.20.1-rc.1",
                            registry.hostPort() + "/base/huge");
            assertThat(first.entries().subList(0, 3))
                    .allSatisfy(
                            e -> {
                                assertThat(e.outcome()).as(e.toString()).isEqualTo(Outcome.PASSED);
                                assertThat(e.vetted()).isTrue();
                            });
            // the hostile listing fails its rule only, naming it
            SyncResult.Entry huge = first.entries().get(3);
            assertThat(huge.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(huge.error().orElseThrow().getMessage())
                    .contains("the rule on line 14")
                    .contains("more than 10000 tags");
            assertThat(first.outcome()).isEqualTo(Outcome.ERROR);
            // a rule that selects nothing is a warning
            assertThat(progress)
                    .anyMatch(
                            l ->
                                    l.startsWith("warning: the rule on line 11")
                                            && l.contains("selects no tag"));
            assertThat(new ImagePusher(registry).tagExists("base/alpine", "3.21.1")).isTrue();
            assertThat(new ImagePusher(registry).tagExists("base/alpine", "3.20")).isFalse();

            // Nothing moved: one listing per rule, then per image what an unchanged image costs
            upstream.clearRequests();
            registry.clearRequests();
            SyncResult unchanged = sync(file, dir.resolve("no-trivy").toString());
            assertThat(unchanged.entries().subList(0, 3))
                    .allSatisfy(
                            e -> {
                                assertThat(e.outcome()).as(e.toString()).isEqualTo(Outcome.PASSED);
                                assertThat(e.vetted()).isFalse();
                            });
            List<RegistryRequest> ups = upstream.awaitRequests();
            List<RegistryRequest> all = new ArrayList<>(ups);
            all.addAll(registry.awaitRequests());
            assertThat(ups.stream().filter(r -> r.path().endsWith("/tags/list"))).hasSize(3);
            // as SyncTest: three manifest requests and no blob per unchanged image
            assertThat(all.stream().filter(RegistryRequest::isManifest)).hasSize(9);
            assertThat(all.stream().filter(RegistryRequest::isBlob)).isEmpty();
            assertThat(all).allMatch(r -> r.method().equals("HEAD") || r.method().equals("GET"));
        }
    }

    @Test
    void aRuleOverRepositoriesReadsTheRegistrysCatalogOrSaysToNameThem() throws IOException {
        ImagePusher up = new ImagePusher(upstream);
        TestImages.Image image = TestImages.cleanAlpine();
        up.push("team/app-base", "1.0.0", image);
        up.push("team/jdk", "1.0.0", image);
        up.push("team/jdk", "0.9.0", image); // below the rule's range
        up.push("teammate/x", "1.0.0", image); // its name starts as the rule's, its path does not
        try (HostileServer bare =
                new HostileServer(
                        (r, out) -> {
                            if (r.path().equals("/v2/")) {
                                out.respond(200, Map.of(), "{}");
                            } else {
                                out.respond(404, Map.of(), "{}"); // no catalog, as Docker Hub
                            }
                        })) {
            Path file =
                    Files.writeString(
                            dir.resolve("sync.yaml"),
                            """
                images:
                  - source: %1$s/team/*
                    target: %2$s/mirror/team/*
                    tags: {semver: ">=1"}
                  - source: %3$s/org/*
                    target: %2$s/mirror/org/*
                    tags: {latest: 1}
                """
                                    .formatted(
                                            upstream.hostPort(),
                                            registry.hostPort(),
                                            bare.hostPort()));
            upstream.clearRequests();
            SyncResult result = sync(file, null);
            assertThat(result.entries().subList(0, 2))
                    .extracting(SyncResult.Entry::target)
                    .containsExactly(
                            registry.hostPort() + "/mirror/team/app-base:1.0.0",
                            registry.hostPort() + "/mirror/team/jdk:1.0.0");
            assertThat(result.entries().subList(0, 2))
                    .allSatisfy(
                            e ->
                                    assertThat(e.outcome())
                                            .as(e.toString())
                                            .isEqualTo(Outcome.PASSED));
            assertThat(upstream.awaitRequests())
                    .anyMatch(r -> r.method().equals("GET") && r.path().startsWith("/v2/_catalog"));
            assertThat(new ImagePusher(registry).tagExists("mirror/team/jdk", "1.0.0")).isTrue();
            // a registry without a catalog fails its rule only, saying what to write instead
            assertThat(result.entries()).hasSize(3);
            SyncResult.Entry org = result.entries().get(2);
            assertThat(org.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(org.error().orElseThrow().getMessage())
                    .contains("the rule on line 5")
                    .contains("has no catalog")
                    .contains("repositories: [...]");
        }
    }

    @Test
    void aCredentialSetReadsItsEntrysSourceRegistryOnly() throws IOException {
        new ImagePusher(locked).push("library/app", "1", TestImages.cleanAlpine());
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                credentialSets:
                  up: {env: UP_USER:UP_PASS}
                images:
                  - source: %1$s/library/app:1
                    target: %2$s/locked/app:1
                    credentialSet: up
                  - source: %1$s/library/app:1
                    target: %2$s/locked/bare:1
                """
                                .formatted(locked.hostPort(), registry.hostPort()));
        SyncResult result =
                sync(
                        file,
                        null,
                        Map.of(
                                "UP_USER", RegistryExtension.PULL_USER,
                                "UP_PASS", RegistryExtension.PULL_PASSWORD));
        // the set's credentials read the upstream; the entry without it gets none
        assertThat(result.entries().get(0).outcome())
                .as(result.toString())
                .isEqualTo(Outcome.PASSED);
        assertThat(result.entries().get(1).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.entries().get(1).error().orElseThrow().kind())
                .isEqualTo(io.imagegate.message.ErrorKind.AUTHENTICATION);
        assertThat(new ImagePusher(registry).tagExists("locked/app", "1")).isTrue();
    }
}
