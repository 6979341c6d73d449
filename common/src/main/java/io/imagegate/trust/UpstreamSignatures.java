package io.imagegate.trust;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RemoteRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether an upstream image carries a valid cosign signature by one of a set of keys, checked offline as
 * {@code cosign verify --key K --insecure-ignore-tlog} does, in both of cosign's formats:
 * <ul>
 *   <li>Sigstore bundles v0.3 pushed as OCI referrers (cosign v3's default): a DSSE envelope whose signature verifies
 *       with the key over its PAE, holding an in-toto statement v1 with a {@code sha256} subject equal to the image's
 *       digest. Only {@code cosign sign}'s statements count ({@code predicateType} {@value #SIGN_PREDICATE_TYPE}):
 *       an attestation (SBOM, provenance, an imagegate verdict) signed by the same key is not a signature of the
 *       image, although {@code cosign verify} accepts one. Message-signature bundles are refused, as cosign refuses
 *       them for images.</li>
 *   <li>The legacy {@code sha256-<hex>.sig} tag: a simple-signing layer whose annotated signature verifies over the
 *       payload blob, and whose payload names the image's digest.</li>
 * </ul>
 * A signature whose bytes verify but that names another image (copied from it) does not count. Reading is bounded:
 * at most {@value #MAX_ARTIFACTS} signature artifacts, each blob of bounded size; nothing is fetched from a
 * transparency log or anywhere but the image's own repository.
 */
public final class UpstreamSignatures {
    public static final String SIGN_PREDICATE_TYPE = "https://sigstore.dev/cosign/sign/v1";
    /** Referrer manifests and legacy signature layers read at the most, together: the budget of one check. */
    public static final int MAX_ARTIFACTS = 32;
    /** Reasons kept for the verdict at the most; the rest are counted. */
    static final int MAX_REASONS = 8;

    /** cosign's two formats, as the verdict document names them. */
    public enum Format {
        SIGSTORE_BUNDLE("sigstore-bundle"), SIMPLE_SIGNING("simple-signing");

        private final String id;

        Format(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * A signature that counts.
     *
     * @param artifact the manifest it was found in: the bundle referrer, or the {@code .sig} image
     * @param key      the listed key it verifies with
     */
    public record Signature(Format format, Digest artifact, PublicKeys.Key key) {
    }

    /**
     * What the check found for {@code digest}: the signatures that count (empty when none does), how many artifacts were
     * examined, and why those that do not count were refused.
     */
    public record Result(Digest digest, List<PublicKeys.Key> keys, List<Signature> valid, int examined, List<String> refused,
                         boolean truncated) {
        public Result {
            keys = List.copyOf(keys);
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
            String listed = keys.stream().map(PublicKeys.Key::toString).collect(Collectors.joining(", "));
            if (examined == 0 && !truncated) {
                return Optional.of("no cosign signature of " + digest + " was found upstream (neither a Sigstore bundle referrer nor a "
                        + "sha256-<hex>.sig tag) to verify with " + listed);
            }
            List<String> parts = new ArrayList<>();
            parts.add(examined + " signature" + (examined == 1 ? "" : "s") + " examined");
            parts.addAll(refused);
            if (truncated) {
                parts.add("more than " + MAX_ARTIFACTS + " signature artifacts are listed, and the rest were not read");
            }
            return Optional.of("no valid cosign signature of " + digest + " by " + listed + ": " + String.join("; ", parts));
        }
    }

    private UpstreamSignatures() {
    }

    /**
     * Checks {@code digest} in {@code repository}: first the bundles among {@code referrers} (its listed referrers), then
     * the legacy signature tag; stops at the first signature that counts. Registry failures other than a missing or
     * corrupt signature artifact (unreachable, denied) are thrown: a check that could not look is no answer.
     */
    public static Result check(RemoteRepository repository, Digest digest, List<Descriptor> referrers, List<PublicKeys.Key> keys) {
        if (keys.isEmpty()) {
            throw ImageGateException.internal("signatures.no-keys", "a signature check without keys checks nothing");
        }
        Check check = new Check(repository, digest, keys);
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
     * Listed as a bundle, or with the type a registry reports when it names the config's media type instead (cosign's
     * bundles have the empty config; go-containerregistry's registry), or without a type: then its manifest tells.
     */
    private static boolean mayBeBundle(Descriptor d) {
        String type = d.artifactType().orElse("");
        return (d.mediaType().isEmpty() || MediaTypes.isManifest(d.mediaType()))
                && (type.isEmpty() || type.startsWith(BundleReader.MEDIA_TYPE_PREFIX) || type.equals(MediaTypes.OCI_EMPTY));
    }

    /** One check's state: what counted, what was refused and why, and the budget of artifacts read. */
    private static final class Check {
        private final RemoteRepository repository;
        private final Digest digest;
        private final List<PublicKeys.Key> keys;
        private final List<Signature> valid = new ArrayList<>();
        private final List<String> refused = new ArrayList<>();
        /** Signatures examined (bundles and signature layers), for people. */
        private int examined;
        /** Manifests and layers read: the budget. */
        private int reads;
        private int refusedCount;
        private boolean truncated;

        Check(RemoteRepository repository, Digest digest, List<PublicKeys.Key> keys) {
            this.repository = repository;
            this.digest = digest;
            this.keys = keys;
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
            // Empty for a dangling index entry (not a signature, nothing to hold against the image) or a refused one.
            Optional<Manifest> manifest = read("referrer " + referrer.digest().shortForm(),
                    () -> repository.findManifest(referrer.digest().toString()));
            List<Descriptor> layers = manifest.map(Manifest::layers).orElse(List.of());
            if (layers.size() != 1 || !layers.get(0).mediaType().startsWith(BundleReader.MEDIA_TYPE_PREFIX)) {
                return; // another kind of referrer (an SBOM, a verdict): not a bundle
            }
            examined++;
            String where = "bundle " + referrer.digest().shortForm();
            try {
                byte[] bytes = fetch(layers.get(0), BundleReader.MAX_BYTES);
                BundleReader.Bundle bundle = BundleReader.read(bytes);
                if (bundle.material() != BundleReader.Material.PUBLIC_KEY) {
                    throw new InvalidSignatureException("it is a keyless signature (a certificate), which this check does not verify");
                }
                BundleReader.Envelope envelope = bundle.envelope().orElseThrow(() -> new InvalidSignatureException("it holds a message"
                        + " signature, not a DSSE envelope (cosign does not verify those for images)"));
                PublicKeys.Key key = signer(envelope.pae(), envelope.signatures().get(0));
                BundleReader.Statement statement = BundleReader.statement(envelope);
                if (!SIGN_PREDICATE_TYPE.equals(statement.predicateType())) {
                    throw new InvalidSignatureException("it is an attestation (predicate type \""
                            + BundleReader.shorten(statement.predicateType()) + "\"), not a cosign signature");
                }
                if (!statement.subjectDigests().contains(digest.toString())) {
                    throw new InvalidSignatureException("it is signed by " + key + " for another image ("
                            + String.join(", ", statement.subjectDigests().stream().limit(3).map(BundleReader::shorten).toList()) + ")");
                }
                valid.add(new Signature(Format.SIGSTORE_BUNDLE, referrer.digest(), key));
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
                    byte[] signature = d.annotation(SimpleSigning.SIGNATURE_ANNOTATION).flatMap(StrictJsonReader::base64)
                            .orElseThrow(() -> new InvalidSignatureException("no base64 signature in its annotation "
                                    + SimpleSigning.SIGNATURE_ANNOTATION));
                    byte[] payload = fetch(d, SimpleSigning.MAX_PAYLOAD_BYTES);
                    PublicKeys.Key key = signer(payload, signature);
                    String signed = SimpleSigning.signedDigest(payload);
                    if (!signed.equals(digest.toString())) {
                        throw new InvalidSignatureException("it is signed by " + key + " for another image (" + BundleReader.shorten(signed)
                                + ")");
                    }
                    valid.add(new Signature(Format.SIMPLE_SIGNING, manifest.get().digest(), key));
                } catch (InvalidSignatureException e) {
                    refuse(where + ": " + e.getMessage());
                } catch (ImageGateException e) {
                    refuseOrThrow(where, e);
                }
            }
        }

        /** The listed key {@code signature} verifies {@code signed} with. */
        private PublicKeys.Key signer(byte[] signed, byte[] signature) throws InvalidSignatureException {
            for (PublicKeys.Key key : keys) {
                if (PublicKeys.verifies(key.key(), signed, signature)) {
                    return key;
                }
            }
            throw new InvalidSignatureException("its signature does not verify with any listed key (signed by another key, or altered)");
        }

        private byte[] fetch(Descriptor blob, int limit) throws InvalidSignatureException {
            if (blob.size() < 0 || blob.size() > limit) {
                throw new InvalidSignatureException("its blob is declared with " + blob.size() + " bytes; at most " + limit + " are read");
            }
            return repository.fetchBlob(blob, limit);
        }

        /** A manifest read; empty when it is missing, or corrupt (then refused, the reason recorded). */
        private Optional<Manifest> read(String where, java.util.function.Supplier<Optional<Manifest>> reader) {
            try {
                return reader.get();
            } catch (ImageGateException e) {
                refuseOrThrow(where, e);
                return Optional.empty();
            }
        }

        /** A corrupt or missing artifact is a refused signature; anything else (unreachable, denied) is no answer at all. */
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
            return new Result(digest, keys, valid, examined, reasons, truncated);
        }
    }
}
