package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.SyncShard;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.referrers.Referrers;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportListener;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards as separate {@code imagegate} processes (JVMs started from the test's class path) against
 * one real registry: together they vet every image exactly once, and one killed mid-run and started
 * again finishes its part without a second verdict for what it had done.
 */
@NeedsComponents
class SyncShardsProcessTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHARDS = 3;

    static TestImages.Image clean;

    @TempDir Path dir;

    @BeforeAll
    static void image() {
        clean = TestImages.cleanAlpine();
    }

    /** Repository names under {@code prefix}, {@code perShard} of them in each of the shards. */
    private static List<String> repositories(String prefix, int perShard, int shards) {
        List<String> out = new ArrayList<>();
        int[] taken = new int[shards];
        for (int i = 0; out.size() < perShard * shards; i++) {
            String name = prefix + "/img" + i;
            int shard = SyncShard.of(registry.hostPort() + "/" + name + ":1", shards);
            if (taken[shard] < perShard) {
                taken[shard]++;
                out.add(name);
            }
        }
        return out;
    }

    private Path syncFile(String name, List<String> repositories) throws Exception {
        ImagePusher up = new ImagePusher(upstream);
        StringBuilder yaml = new StringBuilder("images:\n");
        for (String repository : repositories) {
            up.push("library/" + repository, "1", clean);
            yaml.append("  - source: ")
                    .append(upstream.hostPort())
                    .append("/library/")
                    .append(repository)
                    .append(":1\n    target: ")
                    .append(registry.hostPort())
                    .append('/')
                    .append(repository)
                    .append(":1\n");
        }
        return Files.writeString(dir.resolve(name), yaml);
    }

    private ProcessBuilder imagegate(Map<String, String> env, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.imagegate.cli.Main"));
        command.add(args[0]);
        if (args[0].equals("sync")) {
            command.addAll(
                    List.of(
                            "--cache-dir",
                            FixtureVulnerabilityDb.cacheDir().toString(),
                            "--skip-db-update",
                            "--skip-java-db-update",
                            "--offline-scan"));
        }
        command.addAll(List.of(args).subList(1, args.length));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("log-" + System.nanoTime() + ".txt").toFile());
        builder.environment().remove(SyncShard.INDEX_VARIABLE);
        builder.environment().putAll(env);
        return builder;
    }

    private static String output(ProcessBuilder builder) throws Exception {
        File log = builder.redirectOutput().file();
        return Files.readString(log.toPath(), StandardCharsets.UTF_8);
    }

    private static RegistryClient client() {
        return new RegistryClient(
                TransportOptions.defaults(),
                CredentialProvider.anonymous(),
                TransportListener.NONE);
    }

    /** The imagegate verdicts the referrers of {@code repository}:1 list beside it. */
    private static long verdicts(RegistryClient client, String repository) {
        ImageReference ref = ImageReference.parse(registry.hostPort() + "/" + repository + ":1");
        Digest digest = new ImagePusher(registry).manifestDigest(repository, "1").orElseThrow();
        return Referrers.list(client.pull(ref), digest).stream()
                .filter(
                        d ->
                                d.artifactType()
                                        .orElse("")
                                        .equals(io.imagegate.vetting.VerdictDocument.MEDIA_TYPE))
                .count();
    }

    @Test
    void concurrentShardsVetEveryImageExactlyOnceAndTheReportMergesThem() throws Exception {
        List<String> repositories = repositories("shards", 2, SHARDS);
        Path file = syncFile("sync.yaml", repositories);

        List<ProcessBuilder> builders = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            // the last one as a Kubernetes Indexed Job runs it: the index from the environment
            boolean fromEnvironment = i == SHARDS - 1;
            ProcessBuilder b =
                    imagegate(
                            fromEnvironment
                                    ? Map.of(SyncShard.INDEX_VARIABLE, String.valueOf(i))
                                    : Map.of(),
                            "sync",
                            file.toString(),
                            "--shard",
                            (fromEnvironment ? "auto" : String.valueOf(i)) + "/" + SHARDS,
                            "--summary-json",
                            "summary-" + i + ".json");
            builders.add(b);
            processes.add(b.start());
        }
        for (int i = 0; i < SHARDS; i++) {
            assertThat(processes.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(processes.get(i).exitValue()).as(output(builders.get(i))).isZero();
        }

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < SHARDS; i++) {
            JsonNode summary = JSON.readTree(dir.resolve("summary-" + i + ".json").toFile());
            assertThat(summary.path("shard").path("index").asInt()).isEqualTo(i);
            assertThat(summary.path("shard").path("count").asInt()).isEqualTo(SHARDS);
            assertThat(summary.path("imagesInFile").asInt()).isEqualTo(repositories.size());
            assertThat(summary.path("entries")).hasSize(2);
            for (JsonNode e : summary.path("entries")) {
                assertThat(e.path("vetted").asBoolean()).isTrue();
                assertThat(seen.add(e.path("target").asText())).as("vetted by one shard").isTrue();
            }
        }
        assertThat(seen).hasSize(repositories.size());
        try (RegistryClient client = client()) {
            for (String repository : repositories) {
                assertThat(verdicts(client, repository)).as(repository).isEqualTo(1);
            }
        }

        ProcessBuilder report =
                imagegate(
                        Map.of(),
                        "sync-report",
                        "summary-0.json",
                        "summary-1.json",
                        "summary-2.json");
        Process merged = report.start();
        assertThat(merged.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(merged.exitValue()).as(output(report)).isZero();
        assertThat(output(report)).contains("6 image(s) from 3 of 3 shards");

        // A shard without a summary is never a pass.
        CliRun missing =
                CliRun.of(
                        "sync-report",
                        dir.resolve("summary-0.json").toString(),
                        dir.resolve("summary-2.json").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("shard 1 of 3").contains("never a pass");
        CliRun twice =
                CliRun.of(
                        "sync-report",
                        dir.resolve("summary-0.json").toString(),
                        dir.resolve("summary-0.json").toString(),
                        dir.resolve("summary-1.json").toString());
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("summarized twice");
    }

    @Test
    void aShardKilledMidRunAndStartedAgainFinishesWithoutASecondVerdict() throws Exception {
        List<String> repositories = repositories("killed", 4, 1);
        Path file = syncFile("killed.yaml", repositories);
        String[] args = {
            "sync",
            file.toString(),
            "--shard",
            "0/1",
            "--parallel",
            "1",
            "--summary-json",
            "killed.json"
        };
        ProcessBuilder first = imagegate(Map.of(), args);
        Process run = first.start();
        ImagePusher trusted = new ImagePusher(registry);
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!trusted.tagExists(repositories.get(0), "1") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        run.destroyForcibly();
        assertThat(run.waitFor(1, TimeUnit.MINUTES)).isTrue();
        List<String> doneBefore =
                repositories.stream().filter(r -> trusted.tagExists(r, "1")).toList();
        assertThat(doneBefore).as(output(first)).isNotEmpty().hasSizeLessThan(repositories.size());
        assertThat(dir.resolve("killed.json")).doesNotExist();

        ProcessBuilder again = imagegate(Map.of(), args);
        Process rerun = again.start();
        assertThat(rerun.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(rerun.exitValue()).as(output(again)).isZero();
        JsonNode summary = JSON.readTree(dir.resolve("killed.json").toFile());
        for (JsonNode e : summary.path("entries")) {
            String repository = ImageReference.parse(e.path("target").asText()).repository();
            // what the killed run finished is left alone: a young verdict for its digest
            assertThat(e.path("vetted").asBoolean())
                    .as(repository)
                    .isEqualTo(!doneBefore.contains(repository));
        }
        try (RegistryClient client = client()) {
            for (String repository : repositories) {
                assertThat(verdicts(client, repository)).as(repository).isEqualTo(1);
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".killed.json"));
        }
    }
}
