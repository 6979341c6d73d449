package io.imagegate.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.imagegate.api.SyncShard;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TempDirs;
import io.imagegate.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped examples/kubernetes manifests on real Kubernetes semantics: a real kube-apiserver and
 * etcd (fabric8 kube-api-test) and kube-controller-manager's Job and service account controllers
 * ({@link KubeCluster}), with {@link TestKubelet} running each pod's command as a local imagegate
 * process. Only the image, the registries, the Trivy server's address and the secrets' placeholders
 * are substituted; the Job's command line, its environment, its volumes and its pod failure policy
 * are the shipped ones.
 */
@NeedsComponents
class KubernetesJobTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    // the private registry wants credentials: they reach imagegate only through the Secret's Docker
    // config
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.htpasswd();

    private static final String NAMESPACE = "imagegate";
    private static final Path EXAMPLES =
            FixtureVulnerabilityDb.projectRoot().resolve("examples/kubernetes");
    private static final Pattern IMAGE = Pattern.compile("- source: (\\S+)\\s+target: (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Image(String source, String target) {
        String sourceRepository() {
            return repository(source);
        }

        String sourceTag() {
            return source.substring(source.lastIndexOf(':') + 1);
        }

        String targetRepository() {
            return repository(target);
        }

        private static String repository(String reference) {
            String path = reference.substring(reference.indexOf('/') + 1);
            return path.substring(0, path.lastIndexOf(':'));
        }
    }

    @Test
    void theShardedJobVetsEveryImageOnceFailsAPolicyIndexAndRetriesACrash() throws Exception {
        Path dir = TempDirs.create("imagegate-kube-job-");
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try (TrivyServer trivy = TrivyServer.start(FixtureVulnerabilityDb.cacheDir(), token, dir);
                KubeCluster cluster = KubeCluster.start()) {
            KubernetesClient client = cluster.client();
            client.namespaces()
                    .resource(
                            new NamespaceBuilder()
                                    .withNewMetadata()
                                    .withName(NAMESPACE)
                                    .endMetadata()
                                    .build())
                    .create();
            await(
                    "the service account controller to create the namespace's default account",
                    cluster,
                    () ->
                            client.serviceAccounts()
                                            .inNamespace(NAMESPACE)
                                            .withName("default")
                                            .get()
                                    != null);

            Map<String, String> substitutions = new LinkedHashMap<>();
            substitutions.put("docker.io", upstream.hostPort());
            substitutions.put("registry.example.com", registry.hostPort());
            substitutions.put("http://trivy:4954", trivy.url());
            substitutions.put(
                    "BASE64_OF_USER_COLON_PASSWORD",
                    Base64.getEncoder()
                            .encodeToString(
                                    (RegistryExtension.PUSH_USER
                                                    + ":"
                                                    + RegistryExtension.PUSH_PASSWORD)
                                            .getBytes(StandardCharsets.UTF_8)));
            substitutions.put("REPLACE_WITH_A_RANDOM_TOKEN", token);

            // the API server validates and stores every shipped object; the Job comes last, once
            // the images it vets are upstream
            Job job = null;
            CronJob cronJob = null;
            Set<String> accepted = new TreeSet<>();
            for (Path manifest : manifests()) {
                String text = Files.readString(manifest, StandardCharsets.UTF_8);
                for (Map.Entry<String, String> s : substitutions.entrySet()) {
                    text = text.replace(s.getKey(), s.getValue());
                }
                List<HasMetadata> items =
                        client.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
                                .items();
                for (HasMetadata item : items) {
                    if (item instanceof Job j) {
                        job = j;
                        continue;
                    }
                    HasMetadata created = client.resource(item).inNamespace(NAMESPACE).create();
                    assertThat(created.getMetadata().getUid()).isNotBlank();
                    accepted.add(item.getKind() + "/" + item.getMetadata().getName());
                    if (item instanceof CronJob c) {
                        cronJob = c;
                    }
                }
            }
            assertThat(accepted)
                    .containsExactlyInAnyOrder(
                            "ConfigMap/imagegate-sync",
                            "CronJob/imagegate-rescan",
                            "Deployment/trivy",
                            "PersistentVolumeClaim/imagegate-summaries",
                            "Secret/imagegate-registry",
                            "Secret/imagegate-trivy",
                            "Service/trivy",
                            "ServiceAccount/imagegate");
            assertThat(job).as("sync-job.yaml holds the Job").isNotNull();
            // what the CronJob starts each night is a valid Job too (kubectl create job --from)
            Job nightly =
                    new JobBuilder()
                            .withNewMetadata()
                            .withName("imagegate-rescan-check")
                            .endMetadata()
                            .withSpec(cronJob.getSpec().getJobTemplate().getSpec())
                            .build();
            assertThat(client.resource(nightly).inNamespace(NAMESPACE).dryRun().create())
                    .isNotNull();

            int shards = job.getSpec().getCompletions();
            List<Image> images = images(client);
            Map<Integer, List<Image>> byShard = new TreeMap<>();
            for (Image image : images) {
                byShard.computeIfAbsent(
                                SyncShard.of(image.target(), shards), k -> new ArrayList<>())
                        .add(image);
            }
            assertThat(byShard)
                    .as("the example's images fall into more than one shard: %s", byShard)
                    .hasSizeGreaterThan(1);
            // one index holds an image that fails the policy; another one whose upstream is
            // missing on the first try: that shard ends in an error (exit 2) and is retried
            int failing = SyncShard.of(images.get(0).target(), shards);
            Image vulnerable = images.get(0);
            int crashing = byShard.keySet().stream().filter(s -> s != failing).findFirst().get();
            Image missing = byShard.get(crashing).get(0);

            ImagePusher upstreamPusher = new ImagePusher(upstream);
            Map<String, Digest> digests = new LinkedHashMap<>();
            for (Image image : images) {
                TestImages.Image content =
                        image.equals(vulnerable)
                                ? TestImages.vulnerableAlpine()
                                : TestImages.cleanAlpine();
                digests.put(image.target(), content.digest());
                if (!image.equals(missing)) {
                    upstreamPusher.push(image.sourceRepository(), image.sourceTag(), content);
                }
            }

            try (TestKubelet kubelet =
                    new TestKubelet(
                            client,
                            NAMESPACE,
                            dir,
                            2,
                            KubernetesJobTest::imagegate,
                            (pod, exitCode) -> {
                                // upstream is back before the Job controller retries the index
                                if (index(pod) == crashing && exitCode == 2) {
                                    upstreamPusher.push(
                                            missing.sourceRepository(),
                                            missing.sourceTag(),
                                            TestImages.cleanAlpine());
                                }
                            })) {
                client.resource(job).inNamespace(NAMESPACE).create();
                await(
                        "the Job to finish",
                        cluster,
                        () -> {
                            assertThat(kubelet.failures()).isEmpty();
                            return finished(client) != null;
                        });
                Job done =
                        client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(NAMESPACE)
                                .withName("imagegate-sync")
                                .require();
                String runs =
                        kubelet.runs().stream()
                                .map(r -> r.pod() + " exit " + r.exitCode() + ":\n" + r.output())
                                .collect(Collectors.joining("\n"));

                // one pod per index; the failing index ran once, the crashed one twice
                Map<Integer, List<Integer>> exits = new TreeMap<>();
                for (TestKubelet.Run run : kubelet.runs()) {
                    exits.computeIfAbsent(run.index(), k -> new ArrayList<>()).add(run.exitCode());
                }
                Map<Integer, List<Integer>> expected = new TreeMap<>();
                for (int i = 0; i < shards; i++) {
                    expected.put(
                            i,
                            i == failing ? List.of(1) : i == crashing ? List.of(2, 0) : List.of(0));
                }
                assertThat(exits).as(runs).isEqualTo(expected);
                assertThat(done.getStatus().getFailedIndexes()).isEqualTo(String.valueOf(failing));
                assertThat(indexes(done.getStatus().getCompletedIndexes()))
                        .isEqualTo(
                                Stream.iterate(0, i -> i + 1)
                                        .limit(shards)
                                        .filter(i -> i != failing)
                                        .collect(Collectors.toCollection(TreeSet::new)));
                assertThat(finished(client))
                        .satisfies(
                                c -> {
                                    assertThat(c.getType()).isEqualTo("Failed");
                                    assertThat(c.getReason()).isEqualTo("FailedIndexes");
                                });

                // every image vetted exactly once, the retried shard's included: one verdict each
                ImagePusher registryPusher = new ImagePusher(registry);
                for (Image image : images) {
                    String repository =
                            image.equals(vulnerable)
                                    ? "quarantine/" + image.targetRepository()
                                    : image.targetRepository();
                    assertThat(verdicts(registryPusher, repository, digests.get(image.target())))
                            .as("verdicts of %s in %s\n%s", image.target(), repository, runs)
                            .isEqualTo(1);
                }

                // each shard's summary on the claim names its own images only; together, each once
                Path claim = kubelet.claim("imagegate-summaries");
                Map<String, Integer> shardOfTarget = new TreeMap<>();
                List<Path> summaries = new ArrayList<>();
                for (int i = 0; i < shards; i++) {
                    Path file = claim.resolve("imagegate-sync-" + i + ".json");
                    assertThat(file).as(runs).isRegularFile();
                    summaries.add(file);
                    JsonNode summary = JSON.readTree(file.toFile());
                    assertThat(summary.path("shard").path("index").asInt()).isEqualTo(i);
                    assertThat(summary.path("shard").path("count").asInt()).isEqualTo(shards);
                    for (JsonNode entry : summary.path("entries")) {
                        String target = entry.path("target").asText();
                        assertThat(shardOfTarget.put(target, i))
                                .as("%s in two summaries", target)
                                .isNull();
                        assertThat(SyncShard.of(target, shards)).isEqualTo(i);
                        // the retried shard vetted only what its first attempt did not
                        if (i == crashing) {
                            assertThat(entry.path("vetted").asBoolean())
                                    .as("%s vetted by the retry", target)
                                    .isEqualTo(target.equals(missing.target()));
                        }
                    }
                }
                assertThat(shardOfTarget.keySet())
                        .containsExactlyInAnyOrderElementsOf(
                                images.stream().map(Image::target).toList());

                // and the report over them: one exit code, the failing image named
                List<String> report = new ArrayList<>(List.of("imagegate", "sync-report"));
                summaries.forEach(f -> report.add(f.toString()));
                ProcessBuilder reporting =
                        imagegate(report, Map.of(), Files.createDirectories(dir.resolve("report")));
                Process process = reporting.redirectErrorStream(true).start();
                String text =
                        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
                assertThat(process.exitValue()).as(text).isEqualTo(1);
                assertThat(text).contains(vulnerable.target());
            }
        }
    }

    /** The pod's container command as a local imagegate process: the CLI's classes, a JVM. */
    private static ProcessBuilder imagegate(
            List<String> command, Map<String, String> env, Path tmp) {
        if (!command.get(0).equals("imagegate")) {
            throw new IllegalStateException("the pod runs " + command.get(0) + ", not imagegate");
        }
        List<String> java =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Djava.io.tmpdir=" + tmp,
                                // short-lived processes on two busy cores
                                "-XX:TieredStopAtLevel=1",
                                "-XX:+UseSerialGC",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.imagegate.cli.Main"));
        java.addAll(command.subList(1, command.size()));
        ProcessBuilder builder = new ProcessBuilder(java);
        // the container's environment and what its image would provide, nothing of the test's
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        String trivy = System.getenv("TRIVY_PATH");
        if (trivy != null) {
            builder.environment().put("TRIVY_PATH", trivy);
        }
        builder.environment().putAll(env);
        return builder;
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The sync file's images, as the ConfigMap the API server stored holds them. */
    private static List<Image> images(KubernetesClient client) {
        String sync =
                client.configMaps()
                        .inNamespace(NAMESPACE)
                        .withName("imagegate-sync")
                        .require()
                        .getData()
                        .get("sync.yaml");
        List<Image> images = new ArrayList<>();
        Matcher m = IMAGE.matcher(sync);
        while (m.find()) {
            images.add(new Image(m.group(1), m.group(2)));
        }
        assertThat(images).hasSizeGreaterThan(2);
        return images;
    }

    private static int index(io.fabric8.kubernetes.api.model.Pod pod) {
        return Integer.parseInt(
                pod.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index"));
    }

    /** The Job's Complete or Failed condition, or null while it runs. */
    private static JobCondition finished(KubernetesClient client) {
        Job job =
                client.batch().v1().jobs().inNamespace(NAMESPACE).withName("imagegate-sync").get();
        if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Complete") || c.getType().equals("Failed"))
                .filter(c -> c.getStatus().equals("True"))
                .findFirst()
                .orElse(null);
    }

    /** "0,2-3" as {0, 2, 3}. */
    private static Set<Integer> indexes(String text) {
        Set<Integer> out = new TreeSet<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = Integer.parseInt(range[range.length - 1]);
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        return out;
    }

    /** The imagegate verdicts recorded for {@code digest} in {@code repository} (referrers tag). */
    private static long verdicts(ImagePusher pusher, String repository, Digest digest)
            throws IOException {
        String tag = "sha256-" + digest.hex();
        if (!pusher.tagExists(repository, tag)) {
            return 0;
        }
        JsonNode index = JSON.readTree(pusher.getManifest(repository, tag));
        long count = 0;
        for (JsonNode m : index.path("manifests")) {
            if (m.path("artifactType").asText().equals(MediaTypes.IMAGEGATE_VERDICT)) {
                count++;
            }
        }
        return count;
    }

    private static void await(String what, KubeCluster cluster, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !cluster.controllerManagerAlive()) {
                throw new AssertionError(
                        "timed out waiting for "
                                + what
                                + "; kube-controller-manager "
                                + (cluster.controllerManagerAlive() ? "running" : "stopped")
                                + ":\n"
                                + cluster.controllerManagerLog());
            }
            Thread.sleep(250);
        }
    }
}
