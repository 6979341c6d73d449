package io.imagegate.vetting;

import io.imagegate.api.Message;
import io.imagegate.oci.Descriptor;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RemoteRepository;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether an image digest has a verdict that vets it: the newest verdict made under the policy that counts (or under
 * any policy), a PASS, and not older than the policy's maximum verdict age. The candidate is read back and checked
 * (its manifest's type and subject), not taken from an index entry's word.
 */
public final class VerdictLookup {
    /** How a lookup ended. */
    public enum Status { VETTED, NO_VERDICT, FAILED, TOO_OLD, OTHER_POLICY }

    /** The lookup's answer, with the verdict it rests on when there is one. */
    public record Answer(Status status, Optional<VerdictArtifact.Claim> verdict, Message reason) {
        public boolean vetted() {
            return status == Status.VETTED;
        }
    }

    private VerdictLookup() {
    }

    static String human(Duration d) {
        return d.toHours() % 24 == 0 ? d.toDays() + "d" : d.toHours() + "h";
    }

    /**
     * @param policyDigest the policy whose verdicts count; empty for any policy
     * @param maxAge       the oldest a PASS may be; empty for any age
     */
    public static Answer find(RemoteRepository repository, Digest subject, Optional<String> policyDigest, Optional<Duration> maxAge,
                              Instant now) {
        List<Descriptor> all = Referrers.list(repository, subject, VerdictDocument.MEDIA_TYPE);
        if (all.isEmpty()) {
            return new Answer(Status.NO_VERDICT, Optional.empty(), Message.of("vetting.no-verdict", "no verdict is recorded for {0}", subject));
        }
        List<VerdictArtifact.Claim> listed = new ArrayList<>();
        for (Descriptor d : all) {
            listed.add(VerdictArtifact.claim(d.digest(), d.annotations()));
        }
        listed.sort(Comparator.comparing((VerdictArtifact.Claim c) -> c.created().orElse(Instant.EPOCH)).reversed());
        List<VerdictArtifact.Claim> matching = listed.stream()
                .filter(c -> policyDigest.map(p -> p.equals(c.policyDigest())).orElse(true)).toList();
        if (matching.isEmpty()) {
            return new Answer(Status.OTHER_POLICY, Optional.of(listed.get(0)), Message.of("vetting.other-policy",
                    "its verdicts were made under another policy ({0}), not under {1}", listed.get(0).policyDigest(),
                    policyDigest.orElse("")));
        }
        // The newest that counts decides; its manifest is read back so an index entry cannot claim what it is not.
        VerdictArtifact.Claim newest = VerdictArtifact.read(repository, matching.get(0).artifact(), subject);
        if (policyDigest.isPresent() && !policyDigest.get().equals(newest.policyDigest())) {
            return new Answer(Status.OTHER_POLICY, Optional.of(newest), Message.of("vetting.other-policy",
                    "its verdicts were made under another policy ({0}), not under {1}", newest.policyDigest(), policyDigest.get()));
        }
        if (!newest.passed()) {
            return new Answer(Status.FAILED, Optional.of(newest), Message.of("vetting.failed",
                    "its newest verdict ({0}) is a FAIL", newest.created().map(Object::toString).orElse("undated")));
        }
        if (maxAge.isPresent()) {
            Optional<Instant> created = newest.created();
            if (created.isEmpty() || Duration.between(created.get(), now).compareTo(maxAge.get()) > 0) {
                return new Answer(Status.TOO_OLD, Optional.of(newest), Message.of("vetting.too-old",
                        "its PASS verdict ({0}) is older than the policy's maximum verdict age ({1})",
                        created.map(Object::toString).orElse("undated"), human(maxAge.get())));
            }
        }
        return new Answer(Status.VETTED, Optional.of(newest), Message.of("vetting.vetted", "vetted {0}",
                newest.created().map(Object::toString).orElse("")));
    }
}
