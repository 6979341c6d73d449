package io.imagegate.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagegate.trust.CertificateIdentity;
import io.imagegate.trust.KeylessVerifier;
import io.imagegate.trust.PublicKeys;
import io.imagegate.trust.TrustedRoot;
import io.imagegate.trust.UpstreamSignatures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policy's {@code signatures} section: which upstream signatures an image needs before it is
 * copied anywhere.
 *
 * <pre>
 * signatures:
 *   required: true            # default true: no valid signature by a listed key or identity fails the image
 *   keys: [upstream.pub]      # cosign public keys (PEM), relative to the policy file
 *   keyless:                  # certificate-based signatures (cosign sign without --key)
 *     trustedRoot: trusted_root.json     # Sigstore trusted root, relative to the policy file
 *     identities:                        # who may have signed: subject (or subjectRegExp) and issuer (or issuerRegExp)
 *       - subject: https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main
 *         issuer: https://token.actions.githubusercontent.com
 * </pre>
 *
 * At least one of {@code keys} and {@code keyless}. With {@code required: false} signatures are
 * verified and recorded but an unsigned image is not failed for it.
 *
 * @param required whether an image without a valid signature by one of {@code keys} fails
 * @param keyFiles the key files as the policy names them
 * @param keyless the keyless section as written, when there is one
 * @param trust the keys and trusted root, loaded (null until {@link #loadKeys} ran: only a parsed
 *     policy file has them)
 */
public record SignaturePolicy(
        boolean required,
        List<String> keyFiles,
        Optional<Keyless> keyless,
        UpstreamSignatures.Trust trust) {
    /** More keys than this is not a list of upstream signers anyone maintains. */
    static final int MAX_KEYS = 32;

    /** More identities than this is not a list anyone reviews. */
    static final int MAX_IDENTITIES = 32;

    public SignaturePolicy {
        keyFiles = List.copyOf(keyFiles);
    }

    /** The keys upstream signatures may verify with (empty until loaded, or for keyless only). */
    public List<PublicKeys.Key> keys() {
        return trust == null ? List.of() : trust.keys();
    }

    /**
     * The {@code keyless} section as written: the trusted root file and the identities.
     *
     * @param trustedRoot the trusted root file, relative to the policy file
     */
    public record Keyless(String trustedRoot, List<CertificateIdentity> identities) {
        public Keyless {
            identities = List.copyOf(identities);
        }

        @JsonCreator
        static Keyless fromJson(
                @JsonProperty(value = "trustedRoot", required = true) String trustedRoot,
                @JsonProperty(value = "identities", required = true) List<Identity> identities) {
            if (trustedRoot == null || trustedRoot.isBlank()) {
                throw new IllegalArgumentException(
                        "signatures.keyless.trustedRoot is empty; name the Sigstore trusted_root.json file");
            }
            if (identities == null || identities.isEmpty()) {
                throw new IllegalArgumentException(
                        "signatures.keyless needs identities: who may have signed, e.g. - subject:"
                                + " https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main, issuer:"
                                + " https://token.actions.githubusercontent.com");
            }
            if (identities.size() > MAX_IDENTITIES) {
                throw new IllegalArgumentException(
                        "signatures.keyless lists "
                                + identities.size()
                                + " identities; at most "
                                + MAX_IDENTITIES);
            }
            return new Keyless(trustedRoot, identities.stream().map(Identity::identity).toList());
        }
    }

    /**
     * One identity as written; exactly one of subject and subjectRegExp, and of issuer and
     * issuerRegExp.
     */
    record Identity(CertificateIdentity identity) {
        @JsonCreator
        static Identity fromJson(
                @JsonProperty("subject") String subject,
                @JsonProperty("subjectRegExp") String subjectRegExp,
                @JsonProperty("issuer") String issuer,
                @JsonProperty("issuerRegExp") String issuerRegExp) {
            if ((subject == null) == (subjectRegExp == null)
                    || (issuer == null) == (issuerRegExp == null)) {
                throw new IllegalArgumentException(
                        "a signatures.keyless identity needs exactly one of subject and subjectRegExp and"
                                + " exactly one of issuer and issuerRegExp: a subject from any issuer is anyone's");
            }
            for (String value :
                    java.util.Arrays.asList(subject, subjectRegExp, issuer, issuerRegExp)) {
                if (value != null && value.isBlank()) {
                    throw new IllegalArgumentException(
                            "a signatures.keyless identity has an empty subject or issuer");
                }
            }
            return new Identity(
                    CertificateIdentity.of(subject, subjectRegExp, issuer, issuerRegExp));
        }
    }

    @JsonCreator
    static SignaturePolicy fromJson(
            @JsonProperty("required") Boolean required,
            @JsonProperty("keys") List<String> keys,
            @JsonProperty("keyless") Keyless keyless) {
        if ((keys == null || keys.isEmpty()) && keyless == null) {
            throw new IllegalArgumentException(
                    "signatures needs keys (the cosign public key files, PEM, upstream signatures must verify"
                            + " with, e.g. keys: [upstream.pub]) or keyless (a trustedRoot and identities), or both");
        }
        keys = keys == null ? List.of() : keys;
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException(
                    "signatures lists " + keys.size() + " keys; at most " + MAX_KEYS);
        }
        for (String key : keys) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException(
                        "signatures.keys holds an empty entry; name a public key file");
            }
        }
        return new SignaturePolicy(
                required == null || required, keys, Optional.ofNullable(keyless), null);
    }

    /**
     * This section with its keys and trusted root loaded, each file resolved against the policy
     * file's directory; one that is missing, unreadable or not a P-256 public key is refused. A key
     * listed twice (under two names) is kept once.
     */
    SignaturePolicy loadKeys(Path policyFile) {
        Map<String, PublicKeys.Key> byFingerprint = new LinkedHashMap<>();
        for (int i = 0; i < keyFiles.size(); i++) {
            Path file = policyFile.resolveSibling(keyFiles.get(i));
            PublicKeys.Key key =
                    PublicKeys.load(
                            file,
                            "key signatures.keys[" + i + "] of the policy file " + policyFile);
            byFingerprint.putIfAbsent(
                    key.fingerprint(),
                    new PublicKeys.Key(key.key(), keyFiles.get(i), key.fingerprint()));
        }
        Optional<KeylessVerifier.Trust> keylessTrust =
                keyless.map(
                        k ->
                                new KeylessVerifier.Trust(
                                        TrustedRoot.load(
                                                policyFile.resolveSibling(k.trustedRoot()),
                                                "signatures.keyless.trustedRoot of the policy file "
                                                        + policyFile),
                                        k.identities()));
        return new SignaturePolicy(
                required,
                keyFiles,
                keyless,
                new UpstreamSignatures.Trust(
                        new ArrayList<>(byFingerprint.values()), keylessTrust));
    }
}
