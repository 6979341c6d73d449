package io.imagegate.vetting;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Manifest;
import io.imagegate.policy.PolicyIdentity;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.trust.InTotoStatement;
import io.imagegate.trust.PublicKeys;
import io.imagegate.trust.SigstoreBundle;
import io.imagegate.trust.VerdictAttestation;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether a verdict is signed: the verdict attestations recorded beside a digest ({@link
 * AttestationReferrer}) and the judgement of one verdict against them. An attestation vouches for a
 * verdict only when a listed key signed it and its statement names this very digest, the policy
 * that counts, a PASS, and, as predicate, the verdict's own document: so a valid bundle copied from
 * another image, made under another policy, or made for another verdict never vouches. Anything
 * short of that is reported by what came closest, each with its own message code.
 */
public final class VerdictSignatures {
    /**
     * An attestation as read: the referrer it came from, and its bundle (empty when it is not one).
     */
    public record Attestation(Digest artifact, String foundIn, Optional<SigstoreBundle> bundle) {}

    private VerdictSignatures() {}

    /**
     * Reads the bundle of an attestation referrer; one that cannot be read is kept as unreadable,
     * never thrown.
     */
    static Attestation read(RemoteRepository repository, Manifest m) {
        try {
            return new Attestation(
                    m.digest(), repository.repository(), AttestationReferrer.bundle(repository, m));
        } catch (ImageGateException e) {
            if (e.kind() != ErrorKind.INTEGRITY && e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            return new Attestation(m.digest(), repository.repository(), Optional.empty());
        }
    }

    /** How close an attestation came to vouching, and what it says; the closest one is reported. */
    private record Attempt(int rank, Optional<Message> failure) {}

    /**
     * Why no attestation signed by one of {@code keys} vouches for the PASS {@code verdict} (its
     * document read) of {@code subject} under {@code policy} (empty: the verdict's own policy), or
     * empty when one does. The signed statement must name the policy the verdict names, which the
     * verdict's own manifest and document agree on ({@link VerdictLookup}).
     */
    public static Optional<Message> whyNotVouched(
            VerdictLookup.Recorded verdict,
            List<Attestation> attestations,
            List<PublicKeys.Key> keys,
            Digest subject,
            Optional<PolicyIdentity> policy) {
        JsonNode document = verdict.document().orElseThrow().json();
        PolicyIdentity counting = policy.orElse(PolicyIdentity.of(verdict.claim().policyDigest()));
        String id = verdict.claim().artifact().shortForm();
        Attempt best =
                new Attempt(
                        -1,
                        Optional.of(
                                Message.of(
                                        "vetting.unsigned",
                                        "its PASS verdict {0} is not signed: no verdict"
                                                + " attestation is recorded for {1}; verification keys are configured, so an unsigned verdict does not count (vet it"
                                                + " again with a signing key)",
                                        id,
                                        subject)));
        for (Attestation a : attestations) {
            Attempt attempt = attempt(a, document, keys, subject, counting, id);
            if (attempt.failure().isEmpty()) {
                return Optional.empty();
            }
            if (attempt.rank() > best.rank()) {
                best = attempt;
            }
        }
        return best.failure();
    }

    private static Attempt attempt(
            Attestation a,
            JsonNode document,
            List<PublicKeys.Key> keys,
            Digest subject,
            PolicyIdentity policy,
            String id) {
        if (a.bundle().isEmpty()) {
            return new Attempt(
                    0,
                    Optional.of(
                            Message.of(
                                    "vetting.signature-unreadable",
                                    "its PASS verdict {0} has no valid"
                                            + " signature: the attestation {1} is not a readable Sigstore bundle",
                                    id,
                                    a.artifact().shortForm())));
        }
        SigstoreBundle bundle = a.bundle().get();
        VerdictAttestation.Check check = VerdictAttestation.verify(bundle, keys);
        if (check.problem().isPresent()) {
            return switch (check.problem().get()) {
                case UNLISTED_KEY ->
                        new Attempt(
                                1,
                                Optional.of(
                                        Message.of(
                                                "vetting.signed-unlisted-key",
                                                "its PASS verdict {0} is"
                                                        + " signed by a key that is not listed ({1}); only {2} count",
                                                id,
                                                VerdictAttestation.claimedFingerprint(bundle)
                                                        .orElse("an unknown key"),
                                                describe(keys))));
                case BAD_SIGNATURE, MALFORMED ->
                        new Attempt(
                                2,
                                Optional.of(
                                        Message.of(
                                                "vetting.signature-invalid",
                                                "its PASS verdict"
                                                        + " {0} has a signature that does not verify (attestation {1}): its statement or signature was altered",
                                                id,
                                                a.artifact().shortForm())));
                case NOT_A_VERDICT ->
                        new Attempt(
                                2,
                                Optional.of(
                                        Message.of(
                                                "vetting.signed-not-a-verdict",
                                                "the attestation {0} is"
                                                        + " signed but holds no imagegate verdict statement",
                                                a.artifact().shortForm())));
            };
        }
        InTotoStatement statement = check.statement().orElseThrow();
        JsonNode predicate = statement.predicate();
        String signer = check.key().orElseThrow().toString();
        if (!statement.names(subject)
                || !subject.toString().equals(predicate.path("subject").path("digest").asText())) {
            return new Attempt(
                    3,
                    Optional.of(
                            Message.of(
                                    "vetting.signed-other-image",
                                    "its PASS verdict {0} carries a signature"
                                            + " (by {1}) for another image, not for {2}: it was copied",
                                    id,
                                    signer,
                                    subject)));
        }
        if (!policy.matches(predicate.path("policy").path("digest").asText())) {
            return new Attempt(
                    4,
                    Optional.of(
                            Message.of(
                                    "vetting.signed-other-policy",
                                    "its PASS verdict {0} carries a signature"
                                            + " (by {1}) for another policy ({2}), not for {3}",
                                    id,
                                    signer,
                                    predicate.path("policy").path("digest").asText(),
                                    policy.digest())));
        }
        if (!"PASS".equals(predicate.path("verdict").asText())) {
            return new Attempt(
                    5,
                    Optional.of(
                            Message.of(
                                    "vetting.signed-fail",
                                    "its PASS verdict {0} carries a signature (by {1})"
                                            + " of a {2} verdict: what was signed is not a PASS",
                                    id,
                                    signer,
                                    predicate.path("verdict").asText("missing"))));
        }
        if (!predicate.equals(document)) {
            return new Attempt(
                    6,
                    Optional.of(
                            Message.of(
                                    "vetting.signed-other-verdict",
                                    "its PASS verdict {0} is not the verdict"
                                            + " document that was signed (by {1}) for this image and policy",
                                    id,
                                    signer)));
        }
        return new Attempt(7, Optional.empty());
    }

    private static String describe(List<PublicKeys.Key> keys) {
        return keys.stream().map(PublicKeys.Key::toString).collect(Collectors.joining(", "));
    }

    /**
     * Whether the verdict {@code document} is signed, in words: by which listed key, verified; or,
     * without keys, by which key its attestations claim (not verified); or that it is not.
     */
    public static String describe(
            JsonNode document, List<Attestation> attestations, List<PublicKeys.Key> keys) {
        for (Attestation a : attestations) {
            if (a.bundle().isEmpty() || keys.isEmpty()) {
                continue;
            }
            VerdictAttestation.Check check = VerdictAttestation.verify(a.bundle().get(), keys);
            if (check.verified() && check.statement().orElseThrow().predicate().equals(document)) {
                return "signed by " + check.key().orElseThrow() + ", verified";
            }
        }
        List<String> claimed = claimedSigners(document, attestations);
        if (claimed.isEmpty()) {
            return "unsigned";
        }
        return "signed by "
                + String.join(", ", claimed)
                + (keys.isEmpty()
                        ? " (not verified: no verification key given)"
                        : " (does not verify with the keys given)");
    }

    /**
     * The keys (fingerprints) that signed the verdict document {@code document}, as their
     * attestations claim it, unverified: for listing verdicts without keys.
     */
    public static List<String> claimedSigners(JsonNode document, List<Attestation> attestations) {
        return attestations.stream()
                .flatMap(a -> a.bundle().stream())
                .filter(
                        b ->
                                VerdictAttestation.claimedStatement(b)
                                        .map(s -> s.predicate().equals(document))
                                        .orElse(false))
                .map(b -> VerdictAttestation.claimedFingerprint(b).orElse("an unknown key"))
                .distinct()
                .toList();
    }

    /**
     * The attestations whose statement claims a verdict of {@code subject} under {@code policy}:
     * those a new verdict replaces.
     */
    static java.util.Set<Digest> under(
            List<Attestation> attestations, Digest subject, PolicyIdentity policy) {
        return attestations.stream()
                .filter(
                        a ->
                                a.bundle()
                                        .flatMap(VerdictAttestation::claimedStatement)
                                        .map(
                                                s ->
                                                        s.names(subject)
                                                                && policy.matches(
                                                                        s.predicate()
                                                                                .path("policy")
                                                                                .path("digest")
                                                                                .asText()))
                                        .orElse(false))
                .map(Attestation::artifact)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }
}
