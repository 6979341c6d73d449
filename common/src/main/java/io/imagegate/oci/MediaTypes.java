package io.imagegate.oci;

import java.util.List;
import java.util.Set;

/** The manifest media types of the OCI image spec and Docker's distribution schema 2. */
public final class MediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    /**
     * The short-lived OCI 1.1 release-candidate artifact manifest; still found in some registries.
     */
    public static final String OCI_ARTIFACT_MANIFEST =
            "application/vnd.oci.artifact.manifest.v1+json";

    public static final String DOCKER_MANIFEST =
            "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST =
            "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP =
            "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_SCHEMA1 =
            "application/vnd.docker.distribution.manifest.v1+json";

    /**
     * imagegate's own verdict artifact: recorded by vet, never carried from a source (a verdict
     * from upstream is not trusted).
     */
    public static final String IMAGEGATE_VERDICT = "application/vnd.imagegate.verdict.v1+json";

    /**
     * The predicate type of imagegate's signed verdict attestations (an in-toto statement in a
     * Sigstore bundle).
     */
    public static final String IMAGEGATE_VERDICT_PREDICATE =
            "https://imagegate.io/attestations/verdict/v1";

    public static final String DOCKER_SCHEMA1_SIGNED =
            "application/vnd.docker.distribution.manifest.v1+prettyjws";

    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    private static final Set<String> MANIFESTS =
            Set.of(OCI_MANIFEST, DOCKER_MANIFEST, OCI_ARTIFACT_MANIFEST);
    private static final Set<String> SCHEMA1 = Set.of(DOCKER_SCHEMA1, DOCKER_SCHEMA1_SIGNED);

    /** Every manifest type we read, for the {@code Accept} header. */
    public static final List<String> ACCEPTED_MANIFESTS =
            List.of(
                    OCI_INDEX,
                    DOCKER_MANIFEST_LIST,
                    OCI_MANIFEST,
                    DOCKER_MANIFEST,
                    OCI_ARTIFACT_MANIFEST);

    private MediaTypes() {}

    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }

    public static boolean isSchema1(String mediaType) {
        return SCHEMA1.contains(mediaType);
    }

    public static String acceptHeader() {
        return String.join(", ", ACCEPTED_MANIFESTS);
    }
}
