package io.imagegate.trust;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.reference.Digest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * imagegate's verdicts as attestations: an in-toto statement about the vetted manifest whose
 * predicate is the verdict document, DSSE-signed, in a Sigstore bundle. Verifying one says only
 * which listed key signed which statement; whether the statement vouches for a given verdict (same
 * image, policy, document, a PASS) is the reader's decision.
 */
public final class VerdictAttestation {
    public static final String PREDICATE_TYPE = "https://imagegate.io/attestations/verdict/v1";

    /** Why a bundle vouches for nothing. */
    public enum Problem {
        /** Not a DSSE envelope of an in-toto payload. */
        MALFORMED,
        /** No listed key signed it (its hint names another key). */
        UNLISTED_KEY,
        /**
         * Its hint names a listed key, but the signature does not verify: payload or signature
         * altered.
         */
        BAD_SIGNATURE,
        /** A valid signature over something that is not an imagegate verdict statement. */
        NOT_A_VERDICT
    }

    /** The outcome: the verified statement and the key that signed it, or the problem. */
    public record Check(
            Optional<InTotoStatement> statement,
            Optional<PublicKeys.Key> key,
            Optional<Problem> problem) {
        public boolean verified() {
            return problem.isEmpty();
        }
    }

    private VerdictAttestation() {}

    /**
     * Signs the verdict {@code document} (JSON) of the manifest {@code subject} of the repository
     * {@code name}.
     */
    public static SigstoreBundle sign(
            SigningKey key, String name, Digest subject, JsonNode document) {
        byte[] statement = InTotoStatement.about(name, subject, PREDICATE_TYPE, document).bytes();
        return SigstoreBundle.of(Dsse.sign(Dsse.IN_TOTO, statement, key), key.publicKey().key());
    }

    /** Verifies {@code bundle} with the listed {@code keys}. */
    public static Check verify(SigstoreBundle bundle, List<PublicKeys.Key> keys) {
        Dsse.Envelope envelope = bundle.envelope();
        if (!Dsse.IN_TOTO.equals(envelope.payloadType()) || envelope.signatures().isEmpty()) {
            return failed(Problem.MALFORMED);
        }
        for (PublicKeys.Key key : keys) {
            if (Dsse.verifies(envelope, key)) {
                Optional<InTotoStatement> statement =
                        InTotoStatement.parse(envelope.payload())
                                .filter(
                                        s ->
                                                PREDICATE_TYPE.equals(s.predicateType())
                                                        && s.predicate().isObject());
                return statement.isEmpty()
                        ? new Check(
                                Optional.empty(),
                                Optional.of(key),
                                Optional.of(Problem.NOT_A_VERDICT))
                        : new Check(statement, Optional.of(key), Optional.empty());
            }
        }
        boolean hintedListed =
                keys.stream().anyMatch(k -> SigstoreBundle.hint(k.key()).equals(bundle.keyHint()));
        return failed(hintedListed ? Problem.BAD_SIGNATURE : Problem.UNLISTED_KEY);
    }

    private static Check failed(Problem problem) {
        return new Check(Optional.empty(), Optional.empty(), Optional.of(problem));
    }

    /**
     * The fingerprint ({@code sha256:<hex>}, as {@link PublicKeys#fingerprint}) of the key a bundle
     * says signed it: a claim, for people, until verified. Empty when the hint is not a SHA-256.
     */
    public static Optional<String> claimedFingerprint(SigstoreBundle bundle) {
        try {
            byte[] hash = Base64.getDecoder().decode(bundle.keyHint());
            return hash.length == 32
                    ? Optional.of("sha256:" + HexFormat.of().formatHex(hash))
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The statement of a bundle as it claims it, unverified: for showing what it is about. */
    public static Optional<InTotoStatement> claimedStatement(SigstoreBundle bundle) {
        return InTotoStatement.parse(bundle.envelope().payload())
                .filter(s -> PREDICATE_TYPE.equals(s.predicateType()));
    }
}
