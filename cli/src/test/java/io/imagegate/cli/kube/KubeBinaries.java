package io.imagegate.cli.kube;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where tools/kube-binaries/build.sh put kube-apiserver, kube-controller-manager, kubectl and etcd
 * (scripts/setup runs it and writes {@code IMAGEGATE_KUBE_BINARIES} into .cache/env): the directory
 * fabric8 kube-api-test reads in offline mode, {@code k8s/<version>-linux-amd64}. Missing binaries
 * fail the test, never skip it: building them takes about ten minutes, which a test run must not do
 * behind one's back.
 */
public final class KubeBinaries {
    /** The Kubernetes version tools/kube-binaries builds. */
    public static final String VERSION = "1.37.2";

    static final List<String> NAMES =
            List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");

    private KubeBinaries() {}

    /** The version directory, every binary in it checked. */
    public static Path directory() {
        String configured = System.getenv("IMAGEGATE_KUBE_BINARIES");
        Path dir =
                configured != null && !configured.isBlank()
                        ? Path.of(configured)
                        : Path.of(
                                System.getProperty("user.home"),
                                ".cache",
                                "imagegate",
                                "kube",
                                "k8s",
                                VERSION + "-linux-amd64");
        for (String name : NAMES) {
            if (!Files.isExecutable(dir.resolve(name))) {
                throw new IllegalStateException(
                        "the Kubernetes test binaries are missing: no executable "
                                + dir.resolve(name)
                                + " (IMAGEGATE_KUBE_BINARIES, else ~/.cache/imagegate/kube); build them"
                                + " with tools/kube-binaries/build.sh (scripts/setup does, about 10 minutes once)");
            }
        }
        return dir;
    }
}
