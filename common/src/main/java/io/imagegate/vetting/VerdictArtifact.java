package io.imagegate.vetting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.api.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RemoteRepository;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A verdict as an OCI artifact that any OCI tool can see: an image manifest with {@code artifactType}
 * {@value VerdictDocument#MEDIA_TYPE}, the empty config, the verdict document as its one layer, and the vetted
 * manifest as its {@code subject}; annotations carry the verdict, the policy digest and the creation time.
 */
public final class VerdictArtifact {
    public static final String ANNOTATION_VERDICT = "io.imagegate.verdict";
    public static final String ANNOTATION_POLICY = "io.imagegate.policy.digest";
    public static final String ANNOTATION_CREATED = "org.opencontainers.image.created";
    public static final String ANNOTATION_TITLE = "org.opencontainers.image.title";
    public static final String FILE_NAME = "imagegate-verdict.json";
    /** The OCI empty descriptor's content, {@code {}}. */
    static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    private final Manifest manifest;
    private final VerdictDocument document;

    private VerdictArtifact(Manifest manifest, VerdictDocument document) {
        this.manifest = manifest;
        this.document = document;
    }

    public static VerdictArtifact of(Descriptor subject, VerdictDocument document) {
        byte[] doc = document.bytes();
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", VerdictDocument.MEDIA_TYPE);
        ObjectNode config = m.putObject("config");
        config.put("mediaType", MediaTypes.OCI_EMPTY);
        config.put("digest", Digest.sha256(EMPTY).toString());
        config.put("size", EMPTY.length);
        config.put("data", "e30=");
        ObjectNode layer = m.putArray("layers").addObject();
        layer.put("mediaType", VerdictDocument.MEDIA_TYPE);
        layer.put("digest", Digest.sha256(doc).toString());
        layer.put("size", doc.length);
        layer.putObject("annotations").put(ANNOTATION_TITLE, FILE_NAME);
        ObjectNode s = m.putObject("subject");
        s.put("mediaType", subject.mediaType());
        s.put("digest", subject.digest().toString());
        s.put("size", subject.size());
        ObjectNode annotations = m.putObject("annotations");
        annotations.put(ANNOTATION_VERDICT, document.verdict());
        annotations.put(ANNOTATION_POLICY, document.policyDigest());
        annotations.put(ANNOTATION_CREATED, document.created());
        return new VerdictArtifact(Manifest.create(m, "verdict of " + subject.digest()), document);
    }

    public Manifest manifest() {
        return manifest;
    }

    public VerdictDocument document() {
        return document;
    }

    /** Pushes the empty config, the document and the manifest, and indexes it as a referrer of its subject. */
    public void push(RemoteRepository repository) {
        repository.pushBlob(new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(EMPTY), EMPTY.length), EMPTY);
        byte[] doc = document.bytes();
        repository.pushBlob(new Descriptor(VerdictDocument.MEDIA_TYPE, Digest.sha256(doc), doc.length), doc);
        Referrers.push(repository, manifest);
    }

    /** What a referrer descriptor or manifest says of a verdict, before its document is read. */
    public record Claim(Digest artifact, String verdict, String policyDigest, Optional<Instant> created) {
        public boolean passed() {
            return "PASS".equals(verdict);
        }
    }

    /** The claim of a verdict artifact's annotations. */
    static Claim claim(Digest artifact, Map<String, String> annotations) {
        Optional<Instant> created;
        try {
            created = Optional.ofNullable(annotations.get(ANNOTATION_CREATED)).map(Instant::parse);
        } catch (RuntimeException e) {
            created = Optional.empty();
        }
        return new Claim(artifact, annotations.getOrDefault(ANNOTATION_VERDICT, ""), annotations.getOrDefault(ANNOTATION_POLICY, ""),
                created);
    }

    /**
     * Reads a verdict artifact back, checked: an image manifest of the verdict type whose subject is {@code subject},
     * and its annotations. The document itself is read only when asked (a lookup needs the claim alone).
     */
    public static Claim read(RemoteRepository repository, Digest artifact, Digest subject) {
        return claim(artifact, verdictManifest(repository, artifact, subject).annotations());
    }

    /** The manifest of {@code artifact}, refused unless it is a verdict artifact whose subject is {@code subject}. */
    private static Manifest verdictManifest(RemoteRepository repository, Digest artifact, Digest subject) {
        Manifest m = repository.getManifest(artifact.toString());
        if (m.isIndex() || !m.artifactType().map(VerdictDocument.MEDIA_TYPE::equals).orElse(false)
                || m.subject().map(d -> !d.digest().equals(subject)).orElse(true)) {
            throw ImageGateException.integrity("verdict.artifact", "{0} in {1}/{2} is listed as a verdict of {3} but is not one", artifact,
                    repository.registry(), repository.repository(), subject);
        }
        return m;
    }

    /**
     * The verdict document of an artifact, verified against its descriptor and its subject: the artifact must be a
     * verdict of {@code subject} (as {@link #read} checks), and so must the document.
     */
    public static VerdictDocument document(RemoteRepository repository, Digest artifact, Digest subject) {
        Manifest m = verdictManifest(repository, artifact, subject);
        Descriptor layer = m.layers().stream().filter(d -> d.mediaType().equals(VerdictDocument.MEDIA_TYPE)).findFirst()
                .orElseThrow(() -> ImageGateException.integrity("verdict.no-document", "the verdict {0} holds no verdict document", artifact));
        byte[] bytes = repository.fetchBlob(layer, VerdictDocument.MAX_BYTES);
        return VerdictDocument.parse(bytes, subject, repository.registry() + "/" + repository.repository() + "@" + artifact);
    }
}
