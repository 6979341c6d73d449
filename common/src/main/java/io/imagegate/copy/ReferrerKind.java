package io.imagegate.copy;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.Json;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * What a referrer is, for deciding whether an import carries it: judged from the referrer's own
 * (digest-verified) manifest and, for a Sigstore bundle, from the bundle itself, never from a
 * referrers index's copy of its annotations.
 */
enum ReferrerKind {
    /**
     * imagegate's own verdict, as an artifact or a signed attestation: never carried (a verdict
     * from upstream is not trusted).
     */
    VERDICT,
    /** A cosign signature of the subject. */
    SIGNATURE,
    /** Anything else: an attestation, an SBOM, a Notation signature, an unreadable bundle. */
    OTHER;

    static final String BUNDLE_PREFIX = "application/vnd.dev.sigstore.bundle";
    static final String BUNDLE_PREDICATE_ANNOTATION = "dev.sigstore.bundle.predicateType";
    static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
    static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    static final String IN_TOTO = "application/vnd.in-toto+json";

    /** A bundle is a few kilobytes; one that declares more is not read to judge it. */
    static final int MAX_BUNDLE_BYTES = 1024 * 1024;

    /** Bundle layers read per referrer at the most. */
    static final int MAX_BUNDLE_LAYERS = 8;

    /**
     * A verdict by what its listing entry claims: such an entry is left out before its manifest is
     * even read.
     */
    static boolean claimsVerdict(Descriptor listed) {
        return listed.artifactType().map(MediaTypes.IMAGEGATE_VERDICT::equals).orElse(false)
                || MediaTypes.IMAGEGATE_VERDICT_PREDICATE.equals(
                        listed.annotations().get(BUNDLE_PREDICATE_ANNOTATION));
    }

    /**
     * The kind of a referrer manifest (an index referrer is judged by its own fields only); {@code
     * blob} reads a bundle layer, verified and bounded.
     */
    static ReferrerKind of(Manifest referrer, Function<Descriptor, byte[]> blob) {
        if (MediaTypes.IMAGEGATE_VERDICT.equals(referrer.artifactType().orElse(""))
                || MediaTypes.IMAGEGATE_VERDICT_PREDICATE.equals(
                        referrer.annotations().get(BUNDLE_PREDICATE_ANNOTATION))
                || referrer.config()
                        .map(c -> MediaTypes.IMAGEGATE_VERDICT.equals(c.mediaType()))
                        .orElse(false)
                || referrer.layers().stream()
                        .anyMatch(l -> MediaTypes.IMAGEGATE_VERDICT.equals(l.mediaType()))) {
            return VERDICT;
        }
        if (referrer.isIndex()) {
            return OTHER;
        }
        List<Descriptor> layers = referrer.layers();
        List<Descriptor> bundles =
                layers.stream().filter(l -> l.mediaType().startsWith(BUNDLE_PREFIX)).toList();
        if (bundles.isEmpty()) {
            // cosign 2's OCI 1.1 mode: a manifest of simple-signing payloads, the signature in each
            // layer's annotations
            boolean simpleSigning =
                    !layers.isEmpty()
                            && layers.stream().allMatch(l -> SIMPLE_SIGNING.equals(l.mediaType()));
            return simpleSigning ? SIGNATURE : OTHER;
        }
        if (bundles.size() > MAX_BUNDLE_LAYERS) {
            return OTHER;
        }
        boolean allSignatures = bundles.size() == layers.size();
        for (Descriptor layer : bundles) {
            if (layer.size() < 0 || layer.size() > MAX_BUNDLE_BYTES) {
                allSignatures = false;
                continue;
            }
            ReferrerKind kind = ofBundle(blob.apply(layer));
            if (kind == VERDICT) {
                return VERDICT;
            }
            allSignatures &= kind == SIGNATURE;
        }
        return allSignatures ? SIGNATURE : OTHER;
    }

    /**
     * A Sigstore bundle's kind from its content: a message signature, or a DSSE envelope of an
     * in-toto statement.
     */
    static ReferrerKind ofBundle(byte[] bytes) {
        JsonNode bundle;
        try {
            bundle = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return OTHER;
        }
        if (bundle == null || !bundle.isObject()) {
            return OTHER;
        }
        if (bundle.path("messageSignature").isObject() && !bundle.has("dsseEnvelope")) {
            return SIGNATURE;
        }
        JsonNode envelope = bundle.path("dsseEnvelope");
        if (!envelope.isObject() || !IN_TOTO.equals(envelope.path("payloadType").asText())) {
            return OTHER;
        }
        String predicateType;
        try {
            JsonNode statement =
                    Json.MAPPER.readTree(
                            Base64.getDecoder().decode(envelope.path("payload").asText("")));
            predicateType = statement == null ? "" : statement.path("predicateType").asText("");
        } catch (IOException | IllegalArgumentException e) {
            return OTHER;
        }
        if (predicateType.startsWith("https://imagegate.io/attestations/verdict/")) {
            return VERDICT;
        }
        return COSIGN_SIGN_PREDICATE.equals(predicateType) ? SIGNATURE : OTHER;
    }
}
