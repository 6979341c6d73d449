package io.imagegate.vetting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.trust.SigstoreBundle;
import io.imagegate.trust.VerdictAttestation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

/**
 * A signed verdict as cosign v3 stores an attestation ({@code cosign attest} with the bundle
 * format): a manifest with {@code artifactType} {@value SigstoreBundle#MEDIA_TYPE}, the empty
 * config (carrying the same artifactType, as cosign writes it), the bundle as its one layer, the
 * attested manifest as its {@code subject}, and cosign's annotations ({@code
 * dev.sigstore.bundle.content}, {@code dev.sigstore.bundle.predicateType}, the creation time). So
 * cosign, Kyverno and Ratify find and verify it as one of cosign's own.
 */
public final class AttestationReferrer {
    public static final String ANNOTATION_CONTENT = "dev.sigstore.bundle.content";
    public static final String ANNOTATION_PREDICATE_TYPE = "dev.sigstore.bundle.predicateType";

    private AttestationReferrer() {}

    /** The referrer manifest of {@code bundle}, attesting {@code subject}. */
    public static Manifest manifest(Descriptor subject, SigstoreBundle bundle, Instant created) {
        byte[] bytes = bundle.bytes();
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode config = m.putObject("config");
        config.put("mediaType", MediaTypes.OCI_EMPTY);
        config.put("artifactType", SigstoreBundle.MEDIA_TYPE);
        config.put("size", VerdictArtifact.EMPTY.length);
        config.put("digest", Digest.sha256(VerdictArtifact.EMPTY).toString());
        ObjectNode layer = m.putArray("layers").addObject();
        layer.put("mediaType", SigstoreBundle.MEDIA_TYPE);
        layer.put("size", bytes.length);
        layer.put("digest", Digest.sha256(bytes).toString());
        ObjectNode annotations = m.putObject("annotations");
        annotations.put(ANNOTATION_CONTENT, "dsse-envelope");
        annotations.put(ANNOTATION_PREDICATE_TYPE, VerdictAttestation.PREDICATE_TYPE);
        annotations.put(
                VerdictArtifact.ANNOTATION_CREATED,
                created.truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode s = m.putObject("subject");
        s.put("mediaType", subject.mediaType());
        s.put("size", subject.size());
        s.put("digest", subject.digest().toString());
        m.put("artifactType", SigstoreBundle.MEDIA_TYPE);
        return Manifest.create(m, "attestation of " + subject.digest());
    }

    /**
     * Pushes the empty config, the bundle and its manifest, and indexes it as a referrer of its
     * subject in place of the attestations it supersedes; returns the manifest.
     */
    public static Manifest push(
            RemoteRepository repository,
            Descriptor subject,
            SigstoreBundle bundle,
            Instant created,
            Set<Digest> replaces) {
        Manifest manifest = pushBlobs(repository, subject, bundle, created);
        VerdictReferrers.push(repository, java.util.List.of(manifest), replaces);
        return manifest;
    }

    /**
     * Pushes the empty config and the bundle, and returns the manifest that refers to them (not
     * pushed yet).
     */
    static Manifest pushBlobs(
            RemoteRepository repository,
            Descriptor subject,
            SigstoreBundle bundle,
            Instant created) {
        repository.pushBlob(
                new Descriptor(
                        MediaTypes.OCI_EMPTY,
                        Digest.sha256(VerdictArtifact.EMPTY),
                        VerdictArtifact.EMPTY.length),
                VerdictArtifact.EMPTY);
        return pushBundle(repository, subject, bundle, created);
    }

    /**
     * Pushes the bundle alone, for a repository the empty config was just pushed to (with the
     * verdict it signs), and returns the manifest that refers to them (not pushed yet). The bundle
     * is new by construction: no look-up first.
     */
    static Manifest pushBundle(
            RemoteRepository repository,
            Descriptor subject,
            SigstoreBundle bundle,
            Instant created) {
        Manifest manifest = manifest(subject, bundle, created);
        byte[] bytes = bundle.bytes();
        repository.pushNewBlob(
                new Descriptor(SigstoreBundle.MEDIA_TYPE, Digest.sha256(bytes), bytes.length),
                bytes);
        return manifest;
    }

    /**
     * Whether a manifest is a bundle referrer of {@code subject} that says it holds an imagegate
     * verdict (cosign's other attestations, SBOMs among them, are never downloaded).
     */
    static boolean isVerdictBundleOf(Manifest m, Digest subject) {
        return !m.isIndex()
                && m.subject().map(d -> d.digest().equals(subject)).orElse(false)
                && VerdictAttestation.PREDICATE_TYPE.equals(
                        m.annotations().get(ANNOTATION_PREDICATE_TYPE))
                && m.layers().size() == 1
                && m.layers().get(0).mediaType().startsWith("application/vnd.dev.sigstore.bundle");
    }

    /** The bundle of such a manifest, its size bounded; empty when it is not a bundle. */
    static Optional<SigstoreBundle> bundle(RemoteRepository repository, Manifest m) {
        return SigstoreBundle.parse(
                repository.fetchBlob(m.layers().get(0), SigstoreBundle.MAX_BYTES));
    }
}
