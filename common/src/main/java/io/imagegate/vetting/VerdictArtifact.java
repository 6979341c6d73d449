package io.imagegate.vetting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RemoteRepository;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A verdict as an OCI artifact that any OCI tool can see: an image manifest with {@code
 * artifactType} {@value VerdictDocument#MEDIA_TYPE}, the empty config, the verdict document as its
 * one layer, and the vetted manifest as its {@code subject}; annotations carry the verdict, the
 * policy digest and the creation time.
 */
public final class VerdictArtifact {
    public static final String ANNOTATION_VERDICT = "io.imagegate.verdict";
    public static final String ANNOTATION_POLICY = "io.imagegate.policy.digest";
    public static final String ANNOTATION_CREATED = "org.opencontainers.image.created";
    public static final String ANNOTATION_TITLE = "org.opencontainers.image.title";
    public static final String ANNOTATION_QUARANTINE = "io.imagegate.quarantine";
    public static final String FILE_NAME = "imagegate-verdict.json";

    /**
     * On a FAIL: the findings that made it fail ({@code ID package version}, a few, then how many
     * more), which a gate that refuses the image names without reading the document.
     */
    public static final String ANNOTATION_FAILING = "io.imagegate.failing";

    /** Findings a FAIL's annotation names at the most. */
    static final int NAMED_FINDINGS = 5;

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
        if (!document.quarantine().isEmpty()) {
            annotations.put(ANNOTATION_QUARANTINE, document.quarantine());
        }
        if (!document.passed() && !document.failingKeys().isEmpty()) {
            List<String> keys = List.copyOf(document.failingKeys());
            annotations.put(
                    ANNOTATION_FAILING,
                    String.join(", ", keys.subList(0, Math.min(NAMED_FINDINGS, keys.size())))
                            + (keys.size() > NAMED_FINDINGS
                                    ? " and " + (keys.size() - NAMED_FINDINGS) + " more"
                                    : ""));
        }
        if (document.passed()) {
            annotations.put(
                    VerdictProbe.ANNOTATION_ALLOWLIST_EXPIRES,
                    earliestExpiry(document.allowlisted()));
        }
        return new VerdictArtifact(Manifest.create(m, "verdict of " + subject.digest()), document);
    }

    /**
     * The earliest expiry of the allowlist entries a PASS rests on, for a sync's {@link
     * VerdictProbe}; one it cannot read makes the whole an expiry long past.
     */
    private static String earliestExpiry(List<VerdictDocument.Allowance> allowed) {
        java.time.LocalDate earliest = null;
        for (VerdictDocument.Allowance a : allowed) {
            java.time.LocalDate date;
            try {
                date = java.time.LocalDate.parse(a.expires());
            } catch (RuntimeException e) {
                return "0001-01-01";
            }
            if (earliest == null || date.isBefore(earliest)) {
                earliest = date;
            }
        }
        return earliest == null ? VerdictProbe.NO_ALLOWLIST : earliest.toString();
    }

    public Manifest manifest() {
        return manifest;
    }

    public VerdictDocument document() {
        return document;
    }

    /**
     * Pushes the empty config, the document and the manifest, and indexes it as a referrer of its
     * subject in place of the verdicts it supersedes.
     */
    public void push(RemoteRepository repository) {
        pushBlobs(repository);
        VerdictReferrers.push(repository, List.of(manifest), document.supersedes());
    }

    /** Pushes the empty config and the document: what the manifest needs before it is pushed. */
    void pushBlobs(RemoteRepository repository) {
        repository.pushBlob(
                new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(EMPTY), EMPTY.length), EMPTY);
        byte[] doc = document.bytes();
        repository.pushBlob(
                new Descriptor(VerdictDocument.MEDIA_TYPE, Digest.sha256(doc), doc.length), doc);
    }

    /**
     * What a verdict artifact's own manifest says (never an index entry's copy of it): the verdict,
     * the policy digest, when it was made, the quarantine it names, and the repository it was read
     * from.
     */
    public record Claim(
            Digest artifact,
            String verdict,
            String policyDigest,
            Optional<Instant> created,
            String quarantine,
            String foundIn) {
        public boolean passed() {
            return "PASS".equals(verdict);
        }

        /** Its date as written, or "undated". */
        public String date() {
            return created.map(Object::toString).orElse("undated");
        }
    }

    /** The claim of a verdict artifact's annotations. */
    static Claim claim(Digest artifact, Map<String, String> annotations, String foundIn) {
        Optional<Instant> created;
        try {
            created = Optional.ofNullable(annotations.get(ANNOTATION_CREATED)).map(Instant::parse);
        } catch (RuntimeException e) {
            created = Optional.empty();
        }
        return new Claim(
                artifact,
                annotations.getOrDefault(ANNOTATION_VERDICT, ""),
                annotations.getOrDefault(ANNOTATION_POLICY, ""),
                created,
                annotations.getOrDefault(ANNOTATION_QUARANTINE, ""),
                foundIn);
    }

    /** Whether a manifest is a verdict artifact whose subject is {@code subject}. */
    static boolean isVerdictOf(Manifest m, Digest subject) {
        return !m.isIndex()
                && m.artifactType().map(VerdictDocument.MEDIA_TYPE::equals).orElse(false)
                && m.subject().map(d -> d.digest().equals(subject)).orElse(false);
    }

    /** The claim of a verdict manifest read by the caller; see {@link #isVerdictOf}. */
    static Claim claim(Manifest m, RemoteRepository repository) {
        return claim(m, repository.repository());
    }

    /** The claim of a verdict manifest read from the repository named {@code foundIn}. */
    static Claim claim(Manifest m, String foundIn) {
        return claim(m.digest(), m.annotations(), foundIn);
    }

    /**
     * The verdict document of a verdict manifest, verified against its descriptor and its subject
     * (the document must judge {@code subject} too).
     */
    public static VerdictDocument document(
            RemoteRepository repository, Manifest m, Digest subject) {
        Descriptor layer =
                m.layers().stream()
                        .filter(d -> d.mediaType().equals(VerdictDocument.MEDIA_TYPE))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        ImageGateException.integrity(
                                                "verdict.no-document",
                                                "the verdict {0} holds no verdict document",
                                                m.digest()));
        byte[] bytes = repository.fetchBlob(layer, VerdictDocument.MAX_BYTES);
        return VerdictDocument.parse(
                bytes,
                subject,
                repository.registry() + "/" + repository.repository() + "@" + m.digest());
    }
}
