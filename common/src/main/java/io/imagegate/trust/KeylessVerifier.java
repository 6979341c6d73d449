package io.imagegate.trust;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies a keyless (certificate-based) Sigstore signature offline against a {@link TrustedRoot},
 * the way sigstore-go does for {@code cosign verify --certificate-identity …
 * --certificate-oidc-issuer …}:
 *
 * <ol>
 *   <li>the signature verifies with the certificate's key;
 *   <li>a transparency-log entry records this signature and certificate, and its signed entry
 *       timestamp verifies with a log of the root: that is the time the signature was made;
 *   <li>at that time the certificate chains to a certificate authority of the root valid then, and
 *       is for code signing;
 *   <li>the certificate carries an SCT by a CT log of the root;
 *   <li>its subject and OIDC issuer match one of the listed identities.
 * </ol>
 *
 * Nothing is fetched. Not verified: RFC 3161 signed timestamps and Rekor v2 entries (inclusion
 * proof without a promise), which are refused rather than half-checked.
 */
public final class KeylessVerifier {
    static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

    /**
     * Keyless trust: the root to verify against and the identities a signature may come from (at
     * least one).
     */
    public record Trust(TrustedRoot root, List<CertificateIdentity> identities) {
        public Trust {
            identities = List.copyOf(identities);
            if (identities.isEmpty()) {
                throw new IllegalArgumentException("keyless trust needs at least one identity");
            }
        }
    }

    /** What the log entry must record besides the signature and certificate. */
    sealed interface Logged permits Logged.Dsse, Logged.HashedRekord {
        /** A DSSE envelope's payload (cosign v3 bundles). */
        record Dsse(byte[] payload) implements Logged {}

        /** The SHA-256 of a simple-signing payload (the legacy signature tag). */
        record HashedRekord(byte[] payloadSha256) implements Logged {}
    }

    /**
     * A signature that verified: who made it (subject and issuer as the certificate says) and when.
     */
    public record Signer(
            String subject, String issuer, Instant signedAt, CertificateIdentity identity) {
        @Override
        public String toString() {
            return subject + " (issuer " + issuer + ", signed " + signedAt + ")";
        }
    }

    private KeylessVerifier() {}

    /**
     * Verifies {@code signature} of {@code signed} (the DSSE PAE, or the simple-signing payload)
     * made with {@code certificate}, logged as {@code logged} in one of {@code entries}; refused
     * with the reason otherwise.
     */
    static Signer verify(
            X509Certificate certificate,
            List<TransparencyLog.Entry> entries,
            Logged logged,
            byte[] signed,
            byte[] signature,
            Trust trust)
            throws InvalidSignatureException {
        if (!verifies(certificate.getPublicKey(), signed, signature)) {
            throw new InvalidSignatureException(
                    "its signature does not verify with its certificate's key (altered)");
        }
        Instant signedAt = loggedAt(certificate, entries, logged, signature, trust.root());
        X509Certificate issuer = chain(certificate, signedAt, trust.root());
        CertificateTransparency.verify(certificate, issuer, trust.root());
        String subject = String.join(", ", CertificateIdentity.subjectsOf(certificate));
        String oidcIssuer = CertificateIdentity.issuerOf(certificate).orElse("(none)");
        for (CertificateIdentity identity : trust.identities()) {
            if (identity.matches(certificate)) {
                return new Signer(subject, oidcIssuer, signedAt, identity);
            }
        }
        throw new InvalidSignatureException(
                "it is signed by "
                        + BundleReader.shorten(subject)
                        + " (issuer "
                        + BundleReader.shorten(oidcIssuer)
                        + "), which no listed identity matches");
    }

    /** The time of the first entry that both records this signature and verifies with the root. */
    private static Instant loggedAt(
            X509Certificate certificate,
            List<TransparencyLog.Entry> entries,
            Logged logged,
            byte[] signature,
            TrustedRoot root)
            throws InvalidSignatureException {
        InvalidSignatureException first = null;
        for (TransparencyLog.Entry entry : entries) {
            try {
                if (logged instanceof Logged.Dsse dsse) {
                    TransparencyLog.bindDsse(entry, dsse.payload(), signature, certificate);
                } else {
                    TransparencyLog.bindHashedRekord(
                            entry,
                            ((Logged.HashedRekord) logged).payloadSha256(),
                            signature,
                            certificate);
                }
                return TransparencyLog.verifyPromise(entry, root);
            } catch (InvalidSignatureException e) {
                first = first == null ? e : first;
            }
        }
        throw first != null
                ? first
                : new InvalidSignatureException("it has no transparency-log entry");
    }

    /**
     * The certificate that issued {@code leaf}, once {@code leaf} chains at {@code time} to an
     * authority of {@code root} valid then, and is a code-signing leaf.
     */
    static X509Certificate chain(X509Certificate leaf, Instant time, TrustedRoot root)
            throws InvalidSignatureException {
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            if (usages == null
                    || !usages.contains(CODE_SIGNING)
                    || leaf.getBasicConstraints() >= 0) {
                throw new InvalidSignatureException(
                        "its certificate is not a code-signing leaf certificate");
            }
        } catch (CertificateParsingException e) {
            throw new InvalidSignatureException(
                    "its certificate's extended key usage is malformed");
        }
        for (TrustedRoot.Authority authority : root.authorities()) {
            if (!authority.validFor().covers(time)) {
                continue;
            }
            List<X509Certificate> chain = authority.chain();
            X509Certificate anchor = chain.get(chain.size() - 1);
            List<X509Certificate> path = new ArrayList<>();
            path.add(leaf);
            path.addAll(chain.subList(0, chain.size() - 1));
            try {
                PKIXParameters parameters =
                        new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
                parameters.setRevocationEnabled(false);
                parameters.setDate(Date.from(time));
                CertPathValidator.getInstance("PKIX")
                        .validate(
                                CertificateFactory.getInstance("X.509").generateCertPath(path),
                                parameters);
                return chain.get(0);
            } catch (GeneralSecurityException e) {
                // not this authority; try the next
            }
        }
        throw new InvalidSignatureException(
                "its certificate does not chain to a certificate authority of the trusted root valid at "
                        + time
                        + " (or was not valid then)");
    }

    /**
     * ECDSA with the hash that goes with the curve, as Sigstore's algorithm registry pairs them.
     */
    static boolean verifies(PublicKey key, byte[] signed, byte[] signature) {
        if (!(key instanceof ECPublicKey ec)) {
            return false;
        }
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        String algorithm = bits == 256 ? "SHA256withECDSA" : bits == 384 ? "SHA384withECDSA" : null;
        if (algorithm == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
