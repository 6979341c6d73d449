package io.imagegate.vetting;

import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Manifest;
import io.imagegate.reference.Digest;
import io.imagegate.referrers.Referrers;
import io.imagegate.registry.RemoteRepository;
import java.util.Optional;
import java.util.Set;

/**
 * Verdicts as referrers: pushed in place of the verdicts they supersede, which no other writer
 * re-adds.
 */
final class VerdictReferrers {
    private VerdictReferrers() {}

    /**
     * Pushes verdict artifacts and their signed attestations (their blobs must be there) in place
     * of what they {@code replace}, in order (a signature before the verdict it signs), the
     * referrers index written once for all.
     */
    static void push(
            RemoteRepository repository, java.util.List<Manifest> referrers, Set<Digest> replaces) {
        Referrers.push(repository, referrers, replaces, VerdictReferrers::supersededBy);
    }

    /**
     * Whether a verdict listed now, not yet seen, names {@code referrer} as one it supersedes: then
     * its leaving the index was that vet's doing, not a lost write. Only imagegate verdicts
     * supersede; every other referrer is never dropped.
     */
    private static boolean supersededBy(
            RemoteRepository repository, Set<Digest> listed, Manifest referrer, Digest subject) {
        if (!VerdictDocument.MEDIA_TYPE.equals(referrer.artifactType().orElse(""))) {
            return false;
        }
        int read = 0;
        for (Digest d : listed) {
            if (read++ >= VerdictLookup.MAX_VERDICTS) {
                return false;
            }
            Optional<Manifest> m = repository.findManifest(d.toString());
            if (m.isPresent() && VerdictArtifact.isVerdictOf(m.get(), subject)) {
                try {
                    if (VerdictArtifact.document(repository, m.get(), subject)
                            .supersedes()
                            .contains(referrer.digest())) {
                        return true;
                    }
                } catch (ImageGateException e) {
                    // an unreadable verdict supersedes nothing
                }
            }
        }
        return false;
    }
}
