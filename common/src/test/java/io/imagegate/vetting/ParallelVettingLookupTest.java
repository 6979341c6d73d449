package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.dockerfile.ImageRef;
import io.imagegate.gate.Gate;
import io.imagegate.gate.Violation;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.TransportListener;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.testing.HostileServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The gate looks its images up in parallel before judging them in order: each image's verdicts are
 * still read once, the answers are those of the one-by-one check, and an image whose registry
 * cannot be asked is still an error.
 */
class ParallelVettingLookupTest {
    static final String DIGEST = "sha256:" + "c".repeat(64);

    private static ImageRef ref(String reference, int line) {
        return new ImageRef(
                Path.of("Dockerfile"),
                line,
                1,
                line,
                1,
                reference,
                Optional.of(ImageReference.parse(reference)),
                ImageRef.Kind.BASE,
                Optional.empty(),
                Optional.empty());
    }

    private static RegistryClient client() {
        return new RegistryClient(
                TransportOptions.defaults().withMaxRetries(0),
                CredentialProvider.anonymous(),
                TransportListener.NONE);
    }

    @Test
    void eachImageIsLookedUpOnceAndJudgedInOrderWithTheSameAnswers() {
        Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // A registry with no verdicts for anything: each image is "not vetted", for its own reason.
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    asked.computeIfAbsent(
                                                    r.method() + " " + r.path(),
                                                    k -> new AtomicInteger())
                                            .incrementAndGet();
                                    most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                                    try {
                                        Thread.sleep(20);
                                        out.respond(
                                                r.path().equals("/v2/") ? 200 : 404,
                                                Map.of("Content-Type", "application/json"),
                                                "{}");
                                    } finally {
                                        concurrent.decrementAndGet();
                                    }
                                });
                RegistryClient client = client()) {
            List<ImageRef> refs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                refs.add(
                        ref(
                                server.hostPort() + "/base/app" + (i % 6) + "@" + DIGEST,
                                i + 1)); // each image twice
            }
            Gate gate =
                    new Gate(
                            List.of(server.hostPort() + "/base"),
                            false,
                            new RegistryVettingCheck(
                                    client, Optional.empty(), Optional.empty(), Clock.systemUTC()));

            List<Violation> violations = gate.check(refs);

            assertThat(violations)
                    .extracting(v -> v.ref().line())
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
            assertThat(violations)
                    .allSatisfy(v -> assertThat(v.rule()).isEqualTo(Violation.Rule.NOT_VETTED));
            for (int i = 0; i < 6; i++) {
                assertThat(violations.get(i).reason().toString())
                        .isEqualTo(violations.get(i + 6).reason().toString());
            }
            // each request of one image's look-up was made once, though every image is named twice
            asked.forEach(
                    (request, count) -> {
                        if (!request.endsWith(" /v2/")) {
                            assertThat(count.get()).as(request).isEqualTo(1);
                        }
                    });
            assertThat(asked.keySet()).anyMatch(k -> k.contains("/base/app5/"));
            assertThat(most.get()).as("look-ups overlapped").isGreaterThan(1);
        }
    }

    @Test
    void anImageWhoseRegistryCannotBeAskedIsStillAnError() {
        try (HostileServer server =
                        new HostileServer(
                                (r, out) ->
                                        out.respond(
                                                r.path().equals("/v2/") ? 200 : 404,
                                                Map.of(),
                                                "{}"));
                RegistryClient client = client()) {
            String unreachable = "127.0.0.1:1/base/gone@" + DIGEST;
            List<ImageRef> refs =
                    List.of(
                            ref(server.hostPort() + "/base/a@" + DIGEST, 1),
                            ref(unreachable, 2),
                            ref(server.hostPort() + "/base/b@" + DIGEST, 3));
            Gate gate =
                    new Gate(
                            List.of(server.hostPort() + "/base", "127.0.0.1:1/base"),
                            false,
                            new RegistryVettingCheck(
                                    client, Optional.empty(), Optional.empty(), Clock.systemUTC()));

            assertThatThrownBy(() -> gate.check(refs))
                    .isInstanceOf(ImageGateException.class)
                    .hasMessageContaining("127.0.0.1:1");
        }
    }
}
