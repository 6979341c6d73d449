package io.imagegate.vetting;

import io.imagegate.gate.VettingCheck;
import io.imagegate.message.ImageGateException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * The gate's vetting check, backed by the verdicts recorded in the registries: a reference is
 * vetted when its digest (a tag is resolved first), or the index its tag holds when the digest is
 * one platform of it, has a PASS verdict under the policy that counts that stands ({@link
 * VerdictLookup}: no FAIL left standing, here or in the quarantine the verdicts name, young enough,
 * no expired allowlist entry). Each digest's verdicts are looked up once per check. A registry that
 * cannot be asked is an error, never "not vetted" and never "vetted".
 */
public final class RegistryVettingCheck implements VettingCheck {
    private final RegistryClient client;
    private final Optional<String> policyDigest;
    private final Optional<Duration> maxAge;
    private final Clock clock;
    private final List<PublicKeys.Key> keys;

    /**
     * Look-ups at once when prefetching: a registry connection each, within the client's 16 per
     * registry.
     */
    static final int PARALLEL_LOOKUPS = 8;

    private final Map<String, FutureTask<VerdictLookup.Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, FutureTask<Optional<Descriptor>>> tags = new ConcurrentHashMap<>();
    private final Map<String, Optional<ImageReference>> sources = new ConcurrentHashMap<>();

    public RegistryVettingCheck(
            RegistryClient client,
            Optional<String> policyDigest,
            Optional<Duration> maxAge,
            Clock clock) {
        this(client, policyDigest, maxAge, clock, List.of());
    }

    /**
     * A check that counts only verdicts signed by one of {@code keys} ({@link VerdictSignatures});
     * none: unsigned ones count.
     */
    public RegistryVettingCheck(
            RegistryClient client,
            Optional<String> policyDigest,
            Optional<Duration> maxAge,
            Clock clock,
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
        Optional<Descriptor> tagged =
                image.tag().isPresent() ? tag(repository, image) : Optional.empty();
        Digest digest;
        if (image.digest().isPresent()) {
            digest = image.digest().get();
        } else if (tagged.isPresent()) {
            digest = tagged.get().digest();
        } else {
            return Optional.of(
                    Message.of(
                            "vetting.no-image",
                            "{0} does not exist in its registry",
                            image.withoutDigest()));
        }
        VerdictLookup.Answer answer = answer(repository, digest);
        if (answer.vetted()) {
            return Optional.empty();
        }
        sources.put(image.toString(), answer.recordedSource());
        // A platform pin (name:tag@sha256:<platform manifest>): the index the tag holds may carry
        // the verdict, when the pin
        // is an entry a platform selects (the vet scanned all of those), never an attestation.
        if (image.digest().isPresent()
                && tagged.isPresent()
                && !tagged.get().digest().equals(digest)
                && MediaTypes.isIndex(tagged.get().mediaType())) {
            Manifest index = repository.getManifest(tagged.get().digest().toString());
            if (!Attestations.selectable(
                            index,
                            d -> d.digest().equals(digest),
                            d -> repository.getManifest(d.toString()),
                            image)
                    .isEmpty()) {
                VerdictLookup.Answer ofIndex = answer(repository, tagged.get().digest());
                if (ofIndex.vetted()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(answer.reason());
    }

    /**
     * Runs {@link #notVetted} for each image on a few threads, filling the memos the gate's own
     * pass then reads. A failure is memoised too, and thrown when the gate asks about that image:
     * the same answer, in the gate's order.
     */
    @Override
    public void prefetch(List<ImageReference> images) {
        if (images.size() < 2) {
            return;
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        Math.min(PARALLEL_LOOKUPS, images.size()),
                        r -> {
                            Thread t = new Thread(r, "imagegate-vetting-lookup");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            List<Future<?>> started = new ArrayList<>();
            for (ImageReference image : images) {
                started.add(pool.submit(() -> notVetted(image)));
            }
            for (Future<?> f : started) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // memoised: the gate's own pass meets it for this image
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public Optional<ImageReference> recordedSource(ImageReference image) {
        return sources.getOrDefault(image.toString(), Optional.empty());
    }

    private Optional<Descriptor> tag(RemoteRepository repository, ImageReference image) {
        String key = image.registry() + "/" + image.repository() + ":" + image.tag().orElseThrow();
        return once(tags, key, () -> repository.headManifest(image.tag().get()));
    }

    private VerdictLookup.Answer answer(RemoteRepository repository, Digest digest) {
        String key = repository.registry() + "/" + repository.repository() + "@" + digest;
        return once(
                answers,
                key,
                () ->
                        VerdictLookup.find(
                                repository,
                                name ->
                                        client.pull(
                                                ImageReference.of(
                                                        repository.registry(), name, null, null)),
                                List.of(),
                                digest,
                                policyDigest,
                                maxAge,
                                clock.instant(),
                                keys));
    }

    /**
     * {@code compute} for {@code key} once per check, however many threads ask (the others wait for
     * that answer); unlike {@code computeIfAbsent} it holds no lock of the map while registries are
     * asked.
     */
    private static <T> T once(Map<String, FutureTask<T>> memo, String key, Callable<T> compute) {
        FutureTask<T> mine = new FutureTask<>(compute);
        FutureTask<T> task = memo.putIfAbsent(key, mine);
        if (task == null) {
            task = mine;
            task.run();
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageGateException.of(
                    io.imagegate.message.ErrorKind.INTERRUPTED,
                    "vetting.interrupted",
                    "interrupted while looking up the verdicts of {0}",
                    key);
        }
    }
}
