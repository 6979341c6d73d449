package io.imagegate.scan;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Attestations;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RegistryException;
import io.imagegate.registry.RemoteRepository;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a scan must cover: the image itself, or every manifest under an index — recursively, each
 * digest once — except proven attestations ({@link Attestations}). An entry without a platform, or
 * with {@code unknown/unknown}, is scanned: containerd pulls such an entry, so it may be exactly
 * what runs; so is an entry annotated as an attestation that is not provably one. An index that
 * disguises an image as an attestation is refused, and an index with nothing to scan is an error,
 * never a pass.
 */
public final class ScanTargets {
    /**
     * An index with more manifests than this is refused (a hostile index can list one child
     * thousands of times).
     */
    public static final int MAX_TARGETS = 256;

    private static final int MAX_DEPTH = 4;

    /** One manifest to scan: by digest, with the platform its index gave it. */
    public record Target(ImageReference image, Optional<Platform> platform) {}

    /** The image's top digest and what to scan under it. */
    public record Resolved(ImageReference image, Digest digest, List<Target> targets) {}

    private ScanTargets() {}

    public static Resolved resolve(RegistryClient client, ImageReference image) {
        RemoteRepository repository = client.pull(image);
        // One GET, not HEAD then GET: the body is needed anyway, and is checked against the digest
        // the registry names.
        Manifest manifest =
                repository
                        .findManifest(image.manifestReference())
                        .orElseThrow(
                                () ->
                                        new RegistryException(
                                                ErrorKind.NOT_FOUND,
                                                Message.of(
                                                        "scan.image-missing",
                                                        "the image {0} does not exist; check its name and tag",
                                                        image),
                                                404,
                                                "MANIFEST_UNKNOWN"));
        List<Target> targets = new ArrayList<>();
        collect(repository, image, manifest, Optional.empty(), targets, new LinkedHashSet<>(), 0);
        if (targets.isEmpty()) {
            throw ImageGateException.integrity(
                    "scan.nothing",
                    "the index {0} of {1} lists no image to scan (only attestations, or"
                            + " nothing); a check that checked nothing does not pass",
                    manifest.digest(),
                    image);
        }
        return new Resolved(image, manifest.digest(), targets);
    }

    private static void collect(
            RemoteRepository repository,
            ImageReference image,
            Manifest manifest,
            Optional<Platform> platform,
            List<Target> targets,
            Set<Digest> seen,
            int depth) {
        if (!seen.add(manifest.digest())) {
            return;
        }
        if (!manifest.isIndex()) {
            targets.add(new Target(image.byDigest(manifest.digest()), platform));
            return;
        }
        if (depth >= MAX_DEPTH) {
            throw ImageGateException.integrity(
                    "scan.too-deep",
                    "the index {0} of {1} nests indexes more than {2} deep; refused",
                    manifest.digest(),
                    image,
                    MAX_DEPTH);
        }
        // Manifests are read one at a time and not kept (each may be megabytes); an entry that
        // claims to be an attestation
        // and is not one is read twice, to prove and to scan.
        Function<Digest, Manifest> reader = d -> repository.getManifest(d.toString());
        for (Descriptor child :
                Attestations.selectable(manifest, d -> !seen.contains(d.digest()), reader, image)) {
            if (seen.contains(child.digest())) {
                continue;
            }
            if (seen.size() + targets.size() > MAX_TARGETS) {
                throw ImageGateException.integrity(
                        "scan.too-many",
                        "the index {0} of {1} lists more than {2} manifests; refused",
                        manifest.digest(),
                        image,
                        MAX_TARGETS);
            }
            Manifest childManifest = reader.apply(child.digest());
            // An image manifest is scanned by its digest, with the platform its entry (or the index
            // above) names.
            collect(
                    repository,
                    image,
                    childManifest,
                    MediaTypes.isIndex(child.mediaType())
                            ? child.platform()
                            : child.platform().or(() -> platform),
                    targets,
                    seen,
                    depth + 1);
        }
    }
}
