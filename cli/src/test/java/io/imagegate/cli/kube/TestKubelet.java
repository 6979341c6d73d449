package io.imagegate.cli.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kubelet for tests: it runs each pod of a namespace that the controllers create as a local
 * process and reports its end as the pod's status, as a node's kubelet does. What it does of a
 * kubelet's job, it does as the kubelet does: the container's environment ({@code value}, {@code
 * fieldRef} on the pod's name, namespace, labels and annotations, {@code secretKeyRef}, {@code
 * configMapKeyRef}), {@code $(VAR)} expansion in the environment, command and arguments, and
 * volumes (ConfigMap and Secret files with their {@code items}, an {@code emptyDir} per pod, a
 * directory per PersistentVolumeClaim shared by the pods that mount it). Without a container
 * runtime there is no file system of the image: a mount becomes a directory here and a path under a
 * mount path in the arguments or the environment is rewritten to it. The status it reports is the
 * one the Job controller reads: phase Running, then Succeeded or Failed with the container's {@code
 * terminated} state and exit code (its pod failure policy matches on them).
 */
public final class TestKubelet implements AutoCloseable {
    /** Starts a container's command as a local process. */
    @FunctionalInterface
    public interface Runtime {
        /**
         * A process for {@code command} (command and arguments as the pod names them, expanded and
         * with mounts rewritten) with exactly {@code env}; {@code tmp} is a directory of the pod's
         * for what the runtime itself needs.
         */
        ProcessBuilder start(List<String> command, Map<String, String> env, Path tmp);
    }

    /** Told of each container's exit before the kubelet reports it. */
    @FunctionalInterface
    public interface ExitListener {
        void exited(Pod pod, int exitCode);
    }

    /** One pod this kubelet ran. */
    public record Run(
            String pod,
            Map<String, String> annotations,
            List<String> command,
            int exitCode,
            String output) {
        /** The pod's completion index (an Indexed Job's), or -1. */
        public int index() {
            String value = annotations.get("batch.kubernetes.io/job-completion-index");
            return value == null ? -1 : Integer.parseInt(value);
        }
    }

    private static final Pattern REFERENCE =
            Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
    private static final Pattern FIELD =
            Pattern.compile("metadata\\.(labels|annotations)\\['([^']+)'\\]");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final String namespace;
    private final Path dir;
    private final Runtime runtime;
    private final ExitListener listener;
    private final ExecutorService pods;
    private final Thread watcher;
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    /**
     * Runs the pods of {@code namespace}, {@code concurrency} at a time, in directories under
     * {@code dir}.
     */
    public TestKubelet(
            KubernetesClient client,
            String namespace,
            Path dir,
            int concurrency,
            Runtime runtime,
            ExitListener listener) {
        this.client = client;
        this.namespace = namespace;
        this.dir = dir;
        this.runtime = runtime;
        this.listener = listener;
        this.pods = Executors.newFixedThreadPool(concurrency);
        this.watcher = new Thread(this::watch, "test-kubelet");
        this.watcher.setDaemon(true);
        this.watcher.start();
    }

    /** What ran so far, in the order the containers ended. */
    public List<Run> runs() {
        return List.copyOf(runs);
    }

    /** What went wrong in the kubelet itself (never a container's own failure). */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /** The directory of a PersistentVolumeClaim: what its pods wrote. */
    public Path claim(String name) {
        return dir.resolve("claims").resolve(name);
    }

    private void watch() {
        while (!stopped) {
            try {
                for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
                    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                    if ((phase == null || phase.equals("Pending"))
                            && pod.getMetadata().getDeletionTimestamp() == null
                            && started.add(pod.getMetadata().getUid())) {
                        pods.submit(() -> run(pod));
                    }
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!stopped) {
                    failures.add(e);
                }
            }
        }
    }

    private void run(Pod pod) {
        String name = pod.getMetadata().getName();
        Process process = null;
        try {
            List<Container> containers = pod.getSpec().getContainers();
            if (containers.size() != 1) {
                throw new IllegalStateException(
                        name
                                + ": this kubelet runs pods of one container, not "
                                + containers.size());
            }
            Container container = containers.get(0);
            Path podDir = Files.createDirectories(dir.resolve("pods").resolve(name));
            Map<String, Path> mounts = mount(pod, container, podDir);
            Map<String, String> env = environment(pod, container);
            List<String> command = new ArrayList<>();
            for (String word : container.getCommand()) {
                command.add(rewrite(expand(word, env), mounts));
            }
            for (String word : container.getArgs()) {
                command.add(rewrite(expand(word, env), mounts));
            }
            Map<String, String> rewritten = new LinkedHashMap<>();
            env.forEach((k, v) -> rewritten.put(k, rewrite(v, mounts)));
            Path tmp = Files.createDirectories(podDir.resolve("runtime-tmp"));
            Path log = podDir.resolve("output.log");

            Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            client.pods()
                    .inNamespace(namespace)
                    .withName(name)
                    .editStatus(
                            p -> {
                                p.getStatus().setPhase("Running");
                                p.getStatus().setStartTime(startedAt.toString());
                                p.getStatus()
                                        .setContainerStatuses(
                                                List.of(
                                                        new ContainerStatusBuilder()
                                                                .withName(container.getName())
                                                                .withImage(container.getImage())
                                                                .withImageID("")
                                                                .withReady(true)
                                                                .withStarted(true)
                                                                .withRestartCount(0)
                                                                .withNewState()
                                                                .withNewRunning(
                                                                        startedAt.toString())
                                                                .endState()
                                                                .build()));
                                return p;
                            });
            process =
                    runtime.start(command, rewritten, tmp)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            int exitCode;
            if (process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                exitCode = process.exitValue();
            } else {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                // what a runtime reports for a container it killed
                exitCode = 137;
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            runs.add(
                    new Run(
                            name,
                            Map.copyOf(pod.getMetadata().getAnnotations()),
                            List.copyOf(command),
                            exitCode,
                            output));
            listener.exited(pod, exitCode);
            Instant finishedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            ContainerStatus terminated =
                    new ContainerStatusBuilder()
                            .withName(container.getName())
                            .withImage(container.getImage())
                            .withImageID("")
                            .withReady(false)
                            .withStarted(false)
                            .withRestartCount(0)
                            .withNewState()
                            .withNewTerminated()
                            .withExitCode(exitCode)
                            .withReason(exitCode == 0 ? "Completed" : "Error")
                            .withStartedAt(startedAt.toString())
                            .withFinishedAt(finishedAt.toString())
                            .endTerminated()
                            .endState()
                            .build();
            client.pods()
                    .inNamespace(namespace)
                    .withName(name)
                    .editStatus(
                            p -> {
                                p.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
                                p.getStatus().setContainerStatuses(List.of(terminated));
                                return p;
                            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failures.add(new IllegalStateException("pod " + name + ": " + e.getMessage(), e));
        } finally {
            // stopped before its end (the kubelet closing): nothing of it outlives the test
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** Each of the container's mounts as a directory here, by mount path. */
    private Map<String, Path> mount(Pod pod, Container container, Path podDir) throws IOException {
        Map<String, Volume> volumes = new LinkedHashMap<>();
        for (Volume v : pod.getSpec().getVolumes()) {
            volumes.put(v.getName(), v);
        }
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = volumes.get(mount.getName());
            if (volume == null) {
                throw new IllegalStateException("no volume " + mount.getName());
            }
            Path local;
            if (volume.getConfigMap() != null) {
                ConfigMap map =
                        client.configMaps()
                                .inNamespace(namespace)
                                .withName(volume.getConfigMap().getName())
                                .require();
                Map<String, byte[]> data = new LinkedHashMap<>();
                map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
                local = files(podDir, volume.getName(), data, volume.getConfigMap().getItems());
            } else if (volume.getSecret() != null) {
                Secret secret =
                        client.secrets()
                                .inNamespace(namespace)
                                .withName(volume.getSecret().getSecretName())
                                .require();
                Map<String, byte[]> data = new LinkedHashMap<>();
                secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
                local = files(podDir, volume.getName(), data, volume.getSecret().getItems());
            } else if (volume.getEmptyDir() != null) {
                local =
                        Files.createDirectories(
                                podDir.resolve("volumes").resolve(volume.getName()));
            } else if (volume.getPersistentVolumeClaim() != null) {
                String claim = volume.getPersistentVolumeClaim().getClaimName();
                client.persistentVolumeClaims().inNamespace(namespace).withName(claim).require();
                local = Files.createDirectories(claim(claim));
            } else {
                throw new IllegalStateException(
                        "volume " + volume.getName() + ": a kind this kubelet does not mount");
            }
            mounts.put(mount.getMountPath(), local);
        }
        return mounts;
    }

    private static Path files(
            Path podDir, String volume, Map<String, byte[]> data, List<KeyToPath> items)
            throws IOException {
        Path local = Files.createDirectories(podDir.resolve("volumes").resolve(volume));
        if (items == null || items.isEmpty()) {
            for (Map.Entry<String, byte[]> e : data.entrySet()) {
                Files.write(local.resolve(e.getKey()), e.getValue());
            }
        } else {
            for (KeyToPath item : items) {
                byte[] value = data.get(item.getKey());
                if (value == null) {
                    throw new IllegalStateException(
                            "volume " + volume + " has no key " + item.getKey());
                }
                Path target = local.resolve(item.getPath()).normalize();
                if (!target.startsWith(local)) {
                    throw new IllegalStateException(
                            "volume " + volume + ": path " + item.getPath());
                }
                Files.createDirectories(target.getParent());
                Files.write(target, value);
            }
        }
        return local;
    }

    /** The container's environment, in order, each value expanded against those before it. */
    private Map<String, String> environment(Pod pod, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            String value;
            if (var.getValueFrom() == null) {
                value = expand(var.getValue() == null ? "" : var.getValue(), env);
            } else if (var.getValueFrom().getFieldRef() != null) {
                value = field(pod, var.getValueFrom().getFieldRef().getFieldPath());
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                String encoded =
                        client.secrets()
                                .inNamespace(namespace)
                                .withName(ref.getName())
                                .require()
                                .getData()
                                .get(ref.getKey());
                if (encoded == null) {
                    throw new IllegalStateException(
                            "secret " + ref.getName() + " has no key " + ref.getKey());
                }
                value = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                value =
                        client.configMaps()
                                .inNamespace(namespace)
                                .withName(ref.getName())
                                .require()
                                .getData()
                                .get(ref.getKey());
                if (value == null) {
                    throw new IllegalStateException(
                            "config map " + ref.getName() + " has no key " + ref.getKey());
                }
            } else {
                throw new IllegalStateException(
                        "variable " + var.getName() + ": a source this kubelet does not read");
            }
            env.put(var.getName(), value);
        }
        return env;
    }

    private static String field(Pod pod, String path) {
        switch (path) {
            case "metadata.name":
                return pod.getMetadata().getName();
            case "metadata.namespace":
                return pod.getMetadata().getNamespace();
            case "metadata.uid":
                return pod.getMetadata().getUid();
            default:
                Matcher m = FIELD.matcher(path);
                if (!m.matches()) {
                    throw new IllegalStateException(
                            "field " + path + ": a field this kubelet does not read");
                }
                Map<String, String> map =
                        m.group(1).equals("labels")
                                ? pod.getMetadata().getLabels()
                                : pod.getMetadata().getAnnotations();
                return map == null ? "" : map.getOrDefault(m.group(2), "");
        }
    }

    /** Kubernetes' {@code $(VAR)}: a defined variable's value, {@code $$} a {@code $}. */
    static String expand(String text, Map<String, String> env) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "$";
            } else {
                replacement = env.getOrDefault(m.group(1), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A path under a mount path made the mount's directory here; the longest mount path first. */
    static String rewrite(String word, Map<String, Path> mounts) {
        return mounts.entrySet().stream()
                .sorted(
                        Comparator.comparingInt((Map.Entry<String, Path> e) -> e.getKey().length())
                                .reversed())
                .filter(e -> word.equals(e.getKey()) || word.startsWith(e.getKey() + "/"))
                .findFirst()
                .map(e -> e.getValue() + word.substring(e.getKey().length()))
                .orElse(word);
    }

    @Override
    public void close() {
        stopped = true;
        watcher.interrupt();
        pods.shutdownNow();
        try {
            watcher.join(TimeUnit.SECONDS.toMillis(10));
            pods.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
