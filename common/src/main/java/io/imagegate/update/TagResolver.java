package io.imagegate.update;

import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Manifest;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.vetting.VerdictArtifact;
import io.imagegate.vetting.VerdictDocument;
import io.imagegate.vetting.VerdictLookup;
import io.imagegate.vetting.VerdictSignatures;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a trusted tag holds now and whether that digest is vetted, and what an older digest was:
 * each asked of the registry once per run. The digest is computed from the manifest's bytes, never
 * taken from a header; the verdicts are read and judged as the gate judges them ({@link
 * VerdictLookup}).
 */
final class TagResolver {
    /**
     * A tag's newest digest, vetted or the reason it is held back.
     *
     * @param digest what the tag holds now; empty when the tag is gone
     * @param index whether that is an index (several platforms)
     * @param held why it is not pinned, when it is not
     * @param verdict the PASS it rests on, when vetted
     * @param document that verdict's document
     * @param signer who signed it, in words
     */
    record Newest(
            ImageReference tag,
            Optional<Digest> digest,
            boolean index,
            Optional<Message> held,
            Optional<VerdictArtifact.Claim> verdict,
            Optional<VerdictDocument> document,
            String signer) {
        boolean vetted() {
            return held.isEmpty() && verdict.isPresent() && document.isPresent();
        }
    }

    /**
     * A digest a reference is pinned to now.
     *
     * @param platformManifest a single-platform manifest (a platform pin of some index)
     * @param findings the findings of its newest verdict, empty when it has none that can be read
     */
    record Old(Digest digest, boolean platformManifest, List<Finding> findings) {}

    private final RegistryClient client;
    private final VettingRules rules;
    private final Map<String, Newest> newest = new HashMap<>();
    private final Map<String, Old> old = new HashMap<>();

    TagResolver(RegistryClient client, VettingRules rules) {
        this.client = client;
        this.rules = rules;
    }

    Newest newest(ImageReference tag) {
        return newest.computeIfAbsent(tag.toString(), k -> lookUp(tag));
    }

    Old old(ImageReference tag, Digest digest) {
        return old.computeIfAbsent(tag.name() + "@" + digest, k -> readOld(tag, digest));
    }

    private RemoteRepository sibling(ImageReference image, String name) {
        return client.pull(ImageReference.of(image.registry(), name, null, null));
    }

    private Newest lookUp(ImageReference tag) {
        RemoteRepository repository = client.pull(tag);
        Optional<Manifest> manifest = repository.findManifest(tag.tag().orElseThrow());
        if (manifest.isEmpty()) {
            return new Newest(
                    tag,
                    Optional.empty(),
                    false,
                    Optional.of(
                            Message.of(
                                    "update.tag-gone",
                                    "the tag {0} no longer exists in {1}",
                                    tag.tag().get(),
                                    tag.name())),
                    Optional.empty(),
                    Optional.empty(),
                    "");
        }
        Digest digest = manifest.get().digest();
        VerdictLookup.Answer answer =
                VerdictLookup.find(
                        repository,
                        name -> sibling(tag, name),
                        List.of(),
                        digest,
                        rules.policyDigest(),
                        rules.maxAge(),
                        rules.now(),
                        rules.keys());
        if (!answer.vetted() || answer.verdict().isEmpty()) {
            return new Newest(
                    tag,
                    Optional.of(digest),
                    manifest.get().isIndex(),
                    Optional.of(
                            Message.of(
                                    "update.not-vetted",
                                    "{0} now holds {1}, which is not vetted ({2}); left as it is",
                                    tag,
                                    digest.shortForm(),
                                    answer.reason())),
                    answer.verdict(),
                    Optional.empty(),
                    "");
        }
        VerdictArtifact.Claim claim = answer.verdict().get();
        Optional<VerdictDocument> document =
                answer.found().verdicts().stream()
                        .filter(r -> r.claim().artifact().equals(claim.artifact()))
                        .findFirst()
                        .flatMap(VerdictLookup.Recorded::document);
        String signer =
                document.map(
                                d ->
                                        VerdictSignatures.describe(
                                                d.json(),
                                                answer.found().attestations(),
                                                rules.keys()))
                        .orElse("unsigned");
        return new Newest(
                tag,
                Optional.of(digest),
                manifest.get().isIndex(),
                Optional.empty(),
                Optional.of(claim),
                document,
                signer);
    }

    /**
     * Only a report, but for a platform pin: a digest that is gone, or whose verdicts cannot be
     * read, has no findings to compare.
     */
    private Old readOld(ImageReference tag, Digest digest) {
        RemoteRepository repository = client.pull(tag);
        Optional<Manifest> manifest = repository.findManifest(digest.toString());
        boolean platform = manifest.map(m -> !m.isIndex()).orElse(false);
        List<Finding> findings = List.of();
        try {
            VerdictLookup.Found found =
                    VerdictLookup.read(repository, name -> sibling(tag, name), List.of(), digest);
            Optional<VerdictLookup.Recorded> newestRecorded =
                    found.verdicts().stream()
                            .filter(r -> r.claim().created().isPresent())
                            .filter(
                                    r ->
                                            rules.policyDigest()
                                                    .map(p -> p.equals(r.claim().policyDigest()))
                                                    .orElse(true))
                            .max(
                                    Comparator.comparing(
                                            (VerdictLookup.Recorded r) ->
                                                    r.claim().created().orElse(Instant.MIN)));
            if (newestRecorded.isPresent()) {
                VerdictLookup.Recorded r = newestRecorded.get();
                VerdictDocument document =
                        r.document()
                                .orElseGet(
                                        () ->
                                                VerdictArtifact.document(
                                                        sibling(tag, r.claim().foundIn()),
                                                        r.manifest(),
                                                        digest));
                findings = Finding.of(document.json());
            }
        } catch (ImageGateException e) {
            findings = List.of();
        }
        return new Old(digest, platform, findings);
    }
}
