package io.imagegate.policy;

import java.util.Optional;

/**
 * Which recorded verdicts were made under a policy: those that name its canonical digest (its
 * meaning, {@link CanonicalPolicy}), and those made before verdicts named it, which name the digest
 * of the policy file's bytes, when that is the file's digest now. The two never collide: the
 * canonical text is no policy file (it holds a key no policy file may have).
 *
 * @param digest the canonical digest, what new verdicts record
 * @param fileDigest the digest of the policy file's bytes (of the default policy's text when no
 *     file is given); empty when the policy was not read from bytes
 */
public record PolicyIdentity(String digest, Optional<String> fileDigest) {
    public PolicyIdentity {
        if (digest == null || digest.isEmpty()) {
            throw new IllegalArgumentException("a policy identity needs its digest");
        }
        fileDigest = fileDigest.filter(d -> !d.isEmpty());
    }

    /** An identity by one digest only. */
    public static PolicyIdentity of(String digest) {
        return new PolicyIdentity(digest, Optional.empty());
    }

    /** Whether a verdict that records {@code recorded} as its policy was made under this one. */
    public boolean matches(String recorded) {
        return digest.equals(recorded) || fileDigest.map(d -> d.equals(recorded)).orElse(false);
    }

    @Override
    public String toString() {
        return digest;
    }
}
