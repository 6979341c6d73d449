package io.imagegate.vetting;

import io.imagegate.gate.VettingCheck;
import io.imagegate.message.Message;
import io.imagegate.oci.Attestations;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.trust.PublicKeys;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gate's vetting check, backed by the verdicts recorded in the registries: a reference is vetted when its digest
 * (a tag is resolved first), or the index its tag holds when the digest is one platform of it, has a PASS verdict
 * under the policy that counts that stands ({@link VerdictLookup}: no FAIL left standing, here or in the quarantine
 * the verdicts name, young enough, no expired allowlist entry). Each digest's verdicts are looked up once per check. A registry that
 * cannot be asked is an error, never "not vetted" and never "vetted".
 */
public final class RegistryVettingCheck implements VettingCheck {
    private final RegistryClient client;
    private final Optional<String> policyDigest;
    private final Optional<Duration> maxAge;
    private final Clock clock;
    private final List<PublicKeys.Key> keys;
    private final Map<String, VerdictLookup.Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Optional<Descriptor>> tags = new ConcurrentHashMap<>();

    public RegistryVettingCheck(RegistryClient client, Optional<String> policyDigest, Optional<Duration> maxAge, Clock clock) {
        this(client, policyDigest, maxAge, clock, List.of());
    }

    /** A check that counts only verdicts signed by one of {@code keys} ({@link VerdictSignatures}); none: unsigned ones count. */
    public RegistryVettingCheck(RegistryClient client, Optional<String> policyDigest, Optional<Duration> maxAge, Clock clock,
                                List<PublicKeys.Key> keys) {
        this.keys = List.copyOf(keys);
        this.client = client;
        this.policyDigest = policyDigest;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public Optional<Message> notVetted(ImageReference image) {
        RemoteRepository repository = client.pull(image);
        Optional<Descriptor> tagged = image.tag().isPresent() ? tag(repository, image) : Optional.empty();
        Digest digest;
        if (image.digest().isPresent()) {
            digest = image.digest().get();
        } else if (tagged.isPresent()) {
            digest = tagged.get().digest();
        } else {
            return Optional.of(Message.of("vetting.no-image", "{0} does not exist in its registry", image.withoutDigest()));
        }
        VerdictLookup.Answer answer = answer(repository, digest);
        if (answer.vetted()) {
            return Optional.empty();
        }
        // A platform pin (name:tag@sha256:<platform manifest>): the index the tag holds may carry the verdict, when the pin
        // is an entry a platform selects (the vet scanned all of those), never an attestation.
        if (image.digest().isPresent() && tagged.isPresent() && !tagged.get().digest().equals(digest)
                && MediaTypes.isIndex(tagged.get().mediaType())) {
            Manifest index = repository.getManifest(tagged.get().digest().toString());
            if (!Attestations.selectable(index, d -> d.digest().equals(digest), d -> repository.getManifest(d.toString()), image)
                    .isEmpty()) {
                VerdictLookup.Answer ofIndex = answer(repository, tagged.get().digest());
                if (ofIndex.vetted()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(answer.reason());
    }

    private Optional<Descriptor> tag(RemoteRepository repository, ImageReference image) {
        String key = image.registry() + "/" + image.repository() + ":" + image.tag().orElseThrow();
        return tags.computeIfAbsent(key, k -> repository.headManifest(image.tag().get()));
    }

    private VerdictLookup.Answer answer(RemoteRepository repository, Digest digest) {
        String key = repository.registry() + "/" + repository.repository() + "@" + digest;
        return answers.computeIfAbsent(key, k -> VerdictLookup.find(repository,
                name -> client.pull(ImageReference.of(repository.registry(), name, null, null)), List.of(), digest, policyDigest, maxAge,
                clock.instant(), keys));
    }
}
