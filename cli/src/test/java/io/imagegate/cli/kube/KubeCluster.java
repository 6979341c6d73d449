package io.imagegate.cli.kube;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.imagegate.testing.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real control plane on this machine: etcd and kube-apiserver started by fabric8 kube-api-test
 * (offline, from {@link KubeBinaries}), and a kube-controller-manager running the controllers the
 * examples need: the Job controller (indexes, retries, the pod failure policy) and the service
 * account controller. No scheduler and no kubelet: pods stay unbound, and {@link TestKubelet} runs
 * them.
 */
public final class KubeCluster implements AutoCloseable {
    /** The controllers started: kube-controller-manager's names for them. */
    static final List<String> CONTROLLERS = List.of("job-controller", "serviceaccount-controller");

    private final Path dir;
    private final KubeAPIServer apiServer;
    private final Process controllerManager;
    private final KubernetesClient client;

    private KubeCluster(
            Path dir, KubeAPIServer apiServer, Process controllerManager, KubernetesClient client) {
        this.dir = dir;
        this.apiServer = apiServer;
        this.controllerManager = controllerManager;
        this.client = client;
    }

    /** Starts etcd, the API server and the controller manager; waits for the API to answer. */
    public static KubeCluster start() {
        Path binaries = KubeBinaries.directory();
        // kube-api-test writes its certificates into its directory and reads the binaries from
        // k8s/<version>-<platform> in it: a directory of this run, the binaries linked in
        Path dir = TempDirs.create("imagegate-kube-");
        KubeAPIServer apiServer;
        try {
            Path versions = Files.createDirectories(dir.resolve("k8s"));
            Files.createSymbolicLink(versions.resolve(binaries.getFileName().toString()), binaries);
            apiServer =
                    new KubeAPIServer(
                            KubeAPIServerConfigBuilder.anAPIServerConfig()
                                    .withTestDir(dir.toString())
                                    .withApiServerVersion(KubeBinaries.VERSION)
                                    .withOfflineMode(true)
                                    .withUpdateKubeConfig(false)
                                    // two busy cores: etcd and the API server take their time
                                    .withStartupTimeout((int) Duration.ofMinutes(3).toMillis())
                                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        apiServer.start();
        Process controllerManager = null;
        KubernetesClient client = null;
        try {
            String kubeconfig = apiServer.getKubeConfigYaml();
            Path kubeconfigFile =
                    Files.writeString(
                            dir.resolve("kubeconfig"), kubeconfig, StandardCharsets.UTF_8);
            controllerManager =
                    new ProcessBuilder(
                                    binaries.resolve("kube-controller-manager").toString(),
                                    "--kubeconfig",
                                    kubeconfigFile.toString(),
                                    "--controllers",
                                    String.join(",", CONTROLLERS),
                                    "--leader-elect=false",
                                    // no serving endpoint: nothing here scrapes or probes it
                                    "--secure-port=0")
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("kube-controller-manager.log").toFile())
                            .start();
            client =
                    new KubernetesClientBuilder()
                            .withConfig(Config.fromKubeconfig(kubeconfig))
                            .build();
            return new KubeCluster(dir, apiServer, controllerManager, client);
        } catch (IOException | RuntimeException e) {
            if (client != null) {
                client.close();
            }
            if (controllerManager != null) {
                controllerManager.destroyForcibly();
            }
            apiServer.stop();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public KubernetesClient client() {
        return client;
    }

    /** The controller manager's log so far, for a failure message. */
    public String controllerManagerLog() {
        try {
            String log =
                    Files.readString(
                            dir.resolve("kube-controller-manager.log"), StandardCharsets.UTF_8);
            return log.length() > 8000 ? log.substring(log.length() - 8000) : log;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Whether the controller manager is still running. */
    public boolean controllerManagerAlive() {
        return controllerManager.isAlive();
    }

    @Override
    public void close() {
        client.close();
        controllerManager.destroy();
        try {
            if (!controllerManager.waitFor(10, TimeUnit.SECONDS)) {
                controllerManager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            apiServer.stop();
        }
    }
}
