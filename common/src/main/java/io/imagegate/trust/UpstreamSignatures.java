package io.imagegate.trust;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RemoteRepository;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether an upstream image carries a valid cosign signature by one of a set of keys, checked
 * offline as {@code cosign verify --key K --insecure-ignore-tlog} does, in both of cosign's
 * formats:
 *
 * <ul>
 *   <li>Sigstore bundles v0.3 pushed as OCI referrers (cosign v3's default): a DSSE envelope whose
 *       signature verifies with the key over its PAE, holding an in-toto statement v1 with a {@code
 *       sha256} subject equal to the image's digest. Only {@code cosign sign}'s statements count
 *       ({@code predicateType} {@value #SIGN_PREDICATE_TYPE}): an attestation (SBOM, provenance, an
 *       imagegate verdict) signed by the same key is not a signature of the image, although {@code
 *       cosign verify} accepts one. Message-signature bundles are refused, as cosign refuses them
 *       for images.
 *   <li>The legacy {@code sha256-<hex>.sig} tag: a simple-signing layer whose annotated signature
 *       verifies over the payload blob, and whose payload names the image's digest.
 * </ul>
 *
 * A signature whose bytes verify but that names another image (copied from it) does not count.
 * Reading is bounded: at most {@value #MAX_ARTIFACTS} signature artifacts, each blob of bounded
 * size; nothing is fetched from a transparency log or anywhere but the image's own repository.
 */
public final class UpstreamSignatures {
    public static final String SIGN_PREDICATE_TYPE = "https://sigstore.dev/cosign/sign/v1";

    /**
     * Referrer manifests and legacy signature layers read at the most, together: the budget of one
     * check.
     */
    public static final int MAX_ARTIFACTS = 32;

    /** Reasons kept for the verdict at the most; the rest are counted. */
    static final int MAX_REASONS = 8;

    /** cosign's two formats, as the verdict document names them. */
    public enum Format {
        SIGSTORE_BUNDLE("sigstore-bundle"),
        SIMPLE_SIGNING("simple-signing");

        private final String id;

        Format(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * What a signature must verify with: listed keys, or keyless certificates from listed
     * identities, or either (at least one of the two).
     */
    public record Trust(List<PublicKeys.Key> keys, Optional<KeylessVerifier.Trust> keyless) {
        public Trust {
            keys = List.copyOf(keys);
            if (keys.isEmpty() && keyless.isEmpty()) {
                throw ImageGateException.internal(
                        "signatures.no-keys",
                        "a signature check without keys or identities checks nothing");
            }
        }

        public static Trust keys(List<PublicKeys.Key> keys) {
            return new Trust(keys, Optional.empty());
        }

        public List<CertificateIdentity> identities() {
            return keyless.map(KeylessVerifier.Trust::identities).orElse(List.of());
        }

        /** The keys and identities, for people. */
        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            keys.forEach(k -> parts.add(k.toString()));
            keyless.ifPresent(k -> k.identities().forEach(i -> parts.add("keyless " + i)));
            return String.join(", ", parts);
        }
    }

    /**
     * A signature that counts.
     *
     * @param artifact the manifest it was found in: the bundle referrer, or the {@code .sig} image
     * @param key the listed key it verifies with (a keyed signature)
     * @param certificate who signed and when, as the verified certificate says (a keyless
     *     signature)
     */
    public record Signature(
            Format format,
            Digest artifact,
            Optional<PublicKeys.Key> key,
            Optional<KeylessVerifier.Signer> certificate) {
        public Signature {
            if (key.isPresent() == certificate.isPresent()) {
                throw new IllegalArgumentException(
                        "a signature is verified by a key or by a certificate");
            }
        }

        /** Who signed, for people: the key, or the certificate's identity. */
        public String signer() {
            return key.map(PublicKeys.Key::toString)
                    .orElseGet(() -> "keyless " + certificate.orElseThrow());
        }
    }

    /**
     * What the check found for {@code digest}: the signatures that count (empty when none does),
     * how many artifacts were examined, and why those that do not count were refused.
     */
    public record Result(
            Digest digest,
            Trust trust,
            List<Signature> valid,
            int examined,
            List<String> refused,
            boolean truncated) {
        public Result {
            valid = List.copyOf(valid);
            refused = List.copyOf(refused);
        }

        public boolean verified() {
            return !valid.isEmpty();
        }

        /** Why the image is not verified, one line for people; empty when it is. */
        public Optional<String> reason() {
            if (verified()) {
                return Optional.empty();
            }
            String listed = trust.toString();
            if (examined == 0 && !truncated) {
                return Optional.of(
                        "no cosign signature of "
                                + digest
                                + " was found upstream (neither a Sigstore bundle referrer nor a "
                                + "sha256-<hex>.sig tag) to verify with "
                                + listed);
            }
            List<String> parts = new ArrayList<>();
            parts.add(examined + " signature" + (examined == 1 ? "" : "s") + " examined");
            parts.addAll(refused);
            if (truncated) {
                parts.add(
                        "more than "
                                + MAX_ARTIFACTS
                                + " signature artifacts are listed, and the rest were not read");
            }
            return Optional.of(
                    "no valid cosign signature of "
                            + digest
                            + " by "
                            + listed
                            + ": "
                            + String.join("; ", parts));
        }
    }

    private UpstreamSignatures() {}

    /**
     * Checks {@code digest} in {@code repository}: first the bundles among {@code referrers} (its
     * listed referrers), then the legacy signature tag; stops at the first signature that counts.
     * Registry failures other than a missing or corrupt signature artifact (unreachable, denied)
     * are thrown: a check that could not look is no answer.
     */
    public static Result check(
            RemoteRepository repository, Digest digest, List<Descriptor> referrers, Trust trust) {
        Check check = new Check(repository, digest, trust);
        for (Descriptor referrer : referrers) {
            if (check.done()) {
                break;
            }
            if (mayBeBundle(referrer)) {
                check.bundleReferrer(referrer);
            }
        }
        if (!check.done()) {
            check.legacyTag();
        }
        return check.result();
    }

    /**
     * Listed as a bundle, or with the type a registry reports when it names the config's media type
     * instead (cosign's bundles have the empty config; go-containerregistry's registry), or without
     * a type: then its manifest tells.
     */
    private static boolean mayBeBundle(Descriptor d) {
        String type = d.artifactType().orElse("");
        return (d.mediaType().isEmpty() || MediaTypes.isManifest(d.mediaType()))
                && (type.isEmpty()
                        || type.startsWith(BundleReader.MEDIA_TYPE_PREFIX)
                        || type.equals(MediaTypes.OCI_EMPTY));
    }

    /**
     * One check's state: what counted, what was refused and why, and the budget of artifacts read.
     */
    private static final class Check {
        private final RemoteRepository repository;
        private final Digest digest;
        private final Trust trust;
        private final List<Signature> valid = new ArrayList<>();
        private final List<String> refused = new ArrayList<>();

        /** Signatures examined (bundles and signature layers), for people. */
        private int examined;

        /** Manifests and layers read: the budget. */
        private int reads;

        private int refusedCount;
        private boolean truncated;

        Check(RemoteRepository repository, Digest digest, Trust trust) {
            this.repository = repository;
            this.digest = digest;
            this.trust = trust;
        }

        boolean done() {
            return !valid.isEmpty() || truncated;
        }

        /** Counts one more read; false (and the check truncated) once the budget is spent. */
        private boolean budget() {
            if (reads >= MAX_ARTIFACTS) {
                truncated = true;
                return false;
            }
            reads++;
            return true;
        }

        void bundleReferrer(Descriptor referrer) {
            if (!budget()) {
                return;
            }
            // Empty for a dangling index entry (not a signature, nothing to hold against the image)
            // or a refused one.
            Optional<Manifest> manifest =
                    read(
                            "referrer " + referrer.digest().shortForm(),
                            () -> repository.findManifest(referrer.digest().toString()));
            List<Descriptor> layers = manifest.map(Manifest::layers).orElse(List.of());
            if (layers.size() != 1
                    || !layers.get(0).mediaType().startsWith(BundleReader.MEDIA_TYPE_PREFIX)) {
                return; // another kind of referrer (an SBOM, a verdict): not a bundle
            }
            examined++;
            String where = "bundle " + referrer.digest().shortForm();
            try {
                byte[] bytes = fetch(layers.get(0), BundleReader.MAX_BYTES);
                BundleReader.Bundle bundle = BundleReader.read(bytes);
                BundleReader.Envelope envelope =
                        bundle.envelope()
                                .orElseThrow(
                                        () ->
                                                new InvalidSignatureException(
                                                        "it holds a message"
                                                                + " signature, not a DSSE envelope (cosign does not verify those for images)"));
                Signature signature =
                        bundle.material() == BundleReader.Material.PUBLIC_KEY
                                ? keyed(
                                        Format.SIGSTORE_BUNDLE,
                                        referrer.digest(),
                                        envelope.pae(),
                                        envelope.signatures().get(0))
                                : keyless(
                                        Format.SIGSTORE_BUNDLE,
                                        referrer.digest(),
                                        bundle,
                                        envelope);
                BundleReader.Statement statement = BundleReader.statement(envelope);
                if (!SIGN_PREDICATE_TYPE.equals(statement.predicateType())) {
                    throw new InvalidSignatureException(
                            "it is an attestation (predicate type \""
                                    + BundleReader.shorten(statement.predicateType())
                                    + "\"), not a cosign signature");
                }
                if (!statement.subjectDigests().contains(digest.toString())) {
                    throw new InvalidSignatureException(
                            "it is signed by "
                                    + signature.signer()
                                    + " for another image ("
                                    + String.join(
                                            ", ",
                                            statement.subjectDigests().stream()
                                                    .limit(3)
                                                    .map(BundleReader::shorten)
                                                    .toList())
                                    + ")");
                }
                valid.add(signature);
            } catch (InvalidSignatureException e) {
                refuse(where + ": " + e.getMessage());
            } catch (ImageGateException e) {
                refuseOrThrow(where, e);
            }
        }

        void legacyTag() {
            String tag = SimpleSigning.tagOf(digest);
            if (!budget()) {
                return;
            }
            Optional<Manifest> manifest = read(tag, () -> repository.findManifest(tag));
            if (manifest.isEmpty()) {
                return;
            }
            int layer = 0;
            for (Descriptor d : manifest.get().layers()) {
                layer++;
                if (done()) {
                    return;
                }
                if (!SimpleSigning.LAYER_MEDIA_TYPE.equals(d.mediaType())) {
                    continue;
                }
                if (!budget()) {
                    return;
                }
                examined++;
                String where = tag + " layer " + layer;
                try {
                    byte[] signature =
                            d.annotation(SimpleSigning.SIGNATURE_ANNOTATION)
                                    .flatMap(StrictJsonReader::base64)
                                    .orElseThrow(
                                            () ->
                                                    new InvalidSignatureException(
                                                            "no base64 signature in its annotation "
                                                                    + SimpleSigning
                                                                            .SIGNATURE_ANNOTATION));
                    byte[] payload = fetch(d, SimpleSigning.MAX_PAYLOAD_BYTES);
                    Signature verified = legacy(d, manifest.get().digest(), payload, signature);
                    String signed = SimpleSigning.signedDigest(payload);
                    if (!signed.equals(digest.toString())) {
                        throw new InvalidSignatureException(
                                "it is signed by "
                                        + verified.signer()
                                        + " for another image ("
                                        + BundleReader.shorten(signed)
                                        + ")");
                    }
                    valid.add(verified);
                } catch (InvalidSignatureException e) {
                    refuse(where + ": " + e.getMessage());
                } catch (ImageGateException e) {
                    refuseOrThrow(where, e);
                }
            }
        }

        /** A keyed signature: the listed key {@code signature} verifies {@code signed} with. */
        private Signature keyed(Format format, Digest artifact, byte[] signed, byte[] signature)
                throws InvalidSignatureException {
            if (trust.keys().isEmpty()) {
                throw new InvalidSignatureException(
                        "it is signed with a key, and no keys are listed (only keyless identities)");
            }
            for (PublicKeys.Key key : trust.keys()) {
                if (PublicKeys.verifies(key.key(), signed, signature)) {
                    return new Signature(format, artifact, Optional.of(key), Optional.empty());
                }
            }
            throw new InvalidSignatureException(
                    "its signature does not verify with any listed key (signed by another key, or altered)");
        }

        /**
         * The keyless trust a certificate-based signature needs; refused when the policy lists no
         * identities.
         */
        private KeylessVerifier.Trust keylessTrust() throws InvalidSignatureException {
            return trust.keyless()
                    .orElseThrow(
                            () ->
                                    new InvalidSignatureException(
                                            "it is a keyless signature (a certificate), and no keyless identities are"
                                                    + " listed (signatures.keyless)"));
        }

        /**
         * A keyless bundle: its certificate, log entry and identity verified against the trusted
         * root.
         */
        private Signature keyless(
                Format format,
                Digest artifact,
                BundleReader.Bundle bundle,
                BundleReader.Envelope envelope)
                throws InvalidSignatureException {
            KeylessVerifier.Trust keyless = keylessTrust();
            X509Certificate certificate =
                    bundle.certificate()
                            .orElseThrow(
                                    () ->
                                            new InvalidSignatureException(
                                                    "it carries a"
                                                            + " certificate chain; only a v0.3 bundle's single certificate is verified"));
            KeylessVerifier.Signer signer =
                    KeylessVerifier.verify(
                            certificate,
                            TransparencyLog.read(bundle.tlogEntries()),
                            new KeylessVerifier.Logged.Dsse(envelope.payload()),
                            envelope.pae(),
                            envelope.signatures().get(0),
                            keyless);
            return new Signature(format, artifact, Optional.empty(), Optional.of(signer));
        }

        /**
         * A legacy signature layer: keyed, or keyless when it carries cosign's certificate and
         * log-entry annotations (the {@code hashedrekord} entry of the payload's SHA-256).
         */
        private Signature legacy(
                Descriptor layer, Digest artifact, byte[] payload, byte[] signature)
                throws InvalidSignatureException {
            Optional<String> pem = layer.annotation(SimpleSigning.CERTIFICATE_ANNOTATION);
            if (pem.isEmpty()) {
                return keyed(Format.SIMPLE_SIGNING, artifact, payload, signature);
            }
            KeylessVerifier.Trust keyless = keylessTrust();
            X509Certificate certificate =
                    TrustedRoot.certificate(
                            pem.get().getBytes(StandardCharsets.US_ASCII),
                            "its annotation " + SimpleSigning.CERTIFICATE_ANNOTATION);
            TransparencyLog.Entry entry =
                    SimpleSigning.logEntry(
                            layer.annotation(SimpleSigning.BUNDLE_ANNOTATION)
                                    .orElseThrow(
                                            () ->
                                                    new InvalidSignatureException(
                                                            "it has a certificate but no transparency-log entry (annotation "
                                                                    + SimpleSigning
                                                                            .BUNDLE_ANNOTATION
                                                                    + ")")));
            KeylessVerifier.Signer signer =
                    KeylessVerifier.verify(
                            certificate,
                            List.of(entry),
                            new KeylessVerifier.Logged.HashedRekord(
                                    CertificateTransparency.sha256(payload)),
                            payload,
                            signature,
                            keyless);
            return new Signature(
                    Format.SIMPLE_SIGNING, artifact, Optional.empty(), Optional.of(signer));
        }

        private byte[] fetch(Descriptor blob, int limit) throws InvalidSignatureException {
            if (blob.size() < 0 || blob.size() > limit) {
                throw new InvalidSignatureException(
                        "its blob is declared with "
                                + blob.size()
                                + " bytes; at most "
                                + limit
                                + " are read");
            }
            return repository.fetchBlob(blob, limit);
        }

        /**
         * A manifest read; empty when it is missing, or corrupt (then refused, the reason
         * recorded).
         */
        private Optional<Manifest> read(
                String where, java.util.function.Supplier<Optional<Manifest>> reader) {
            try {
                return reader.get();
            } catch (ImageGateException e) {
                refuseOrThrow(where, e);
                return Optional.empty();
            }
        }

        /**
         * A corrupt or missing artifact is a refused signature; anything else (unreachable, denied)
         * is no answer at all.
         */
        private void refuseOrThrow(String where, ImageGateException e) {
            if (e.kind() != ErrorKind.INTEGRITY && e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            refuse(where + ": " + e.getMessage());
        }

        private void refuse(String reason) {
            refusedCount++;
            if (refused.size() < MAX_REASONS) {
                refused.add(reason);
            }
        }

        Result result() {
            List<String> reasons = new ArrayList<>(refused);
            if (refusedCount > refused.size()) {
                reasons.add((refusedCount - refused.size()) + " more refused");
            }
            return new Result(digest, trust, valid, examined, reasons, truncated);
        }
    }
}
