package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.testing.GgcrRegistry;
import io.imagegate.testing.HostileServer;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whole tag listings, page by page and bounded: what tag rules select from. */
@NeedsComponents
class TagListingTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static final List<String> TAGS =
            IntStream.range(0, 60).mapToObj(i -> "1." + (i / 10) + "." + (i % 10)).toList();

    static final Platform AMD64 = Platform.parse("linux/amd64");

    @BeforeAll
    static void pushManyTags() {
        ImagePusher pusher = new ImagePusher(registry);
        TestImages.Image image = TestImages.randomImage(7, AMD64, 64, true);
        pusher.push("lib/many", TAGS.get(0), image);
        for (String tag : TAGS.subList(1, TAGS.size())) {
            pusher.putManifest("lib/many", tag, image.mediaType(), image.bytes());
        }
    }

    private static RegistryClient client() {
        return new RegistryClient(
                TransportOptions.defaults(),
                CredentialProvider.anonymous(),
                TransportListener.NONE);
    }

    @Test
    void aRegistryThatIgnoresNListsEveryTagInOnePage() {
        // distribution 2.8 answers every tag at once, whatever n asks: a page larger than n is the
        // whole listing
        registry.clearRequests();
        try (RegistryClient client = client()) {
            List<String> tags =
                    client.pull(ImageReference.parse(registry.hostPort() + "/lib/many:x"))
                            .listTags(new RemoteRepository.TagLimits(25, 1000, 1 << 20));
            assertThat(tags).containsExactlyInAnyOrderElementsOf(TAGS);
        }
        assertThat(registry.awaitRequests())
                .filteredOn(r -> r.path().endsWith("/tags/list"))
                .hasSize(1);
    }

    @Test
    void aListingIsReadPageByPageToTheEnd() {
        // go-containerregistry's registry pages by n and last, as the distribution spec has it
        try (GgcrRegistry ggcr = new GgcrRegistry();
                RegistryClient client = client()) {
            TestImages.Image image = TestImages.randomImage(7, AMD64, 64, true);
            RemoteRepository many =
                    client.push(ImageReference.parse(ggcr.hostPort() + "/lib/many:x"));
            for (TestImages.Blob blob : image.blobs()) {
                many.pushBlob(
                        new Descriptor(blob.mediaType(), blob.digest(), blob.size()), blob.bytes());
            }
            Manifest manifest = Manifest.parse(image.bytes(), image.mediaType(), "test");
            for (String tag : TAGS) {
                many.putManifest(tag, manifest);
            }
            long before = client.requestCount();
            List<String> tags = many.listTags(new RemoteRepository.TagLimits(25, 1000, 1 << 20));
            assertThat(tags).containsExactlyInAnyOrderElementsOf(TAGS);
            // 60 tags, 25 a page: three pages, the last one short
            assertThat(client.requestCount() - before).isEqualTo(3);
        }
    }

    @Test
    void aListingOverTheBoundsFailsRatherThanGivingPart() {
        try (RegistryClient client = client()) {
            RemoteRepository many =
                    client.pull(ImageReference.parse(registry.hostPort() + "/lib/many:x"));
            assertThatThrownBy(() -> many.listTags(new RemoteRepository.TagLimits(20, 50, 1 << 20)))
                    .isInstanceOf(ImageGateException.class)
                    .hasMessageContaining("more than 50 tags");
            assertThatThrownBy(() -> many.listTags(new RemoteRepository.TagLimits(20, 1000, 500)))
                    .isInstanceOf(ImageGateException.class)
                    .hasMessageContaining("larger than 500 bytes");
            assertThatThrownBy(
                            () ->
                                    client.pull(
                                                    ImageReference.parse(
                                                            registry.hostPort() + "/lib/none:x"))
                                            .listTags(RemoteRepository.TagLimits.DEFAULT))
                    .isInstanceOf(ImageGateException.class)
                    .hasMessageContaining("no repository");
        }
    }

    /** A server answering tag listings with {@code pages} (status, body, Link or null) in turn. */
    private static List<String> hostile(
            RemoteRepository.TagLimits limits, java.util.function.Function<String, String[]> page) {
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.path().equals("/v2/")) {
                                        out.respond(200, Map.of(), "{}");
                                    } else if (r.path().startsWith("/v2/lib/app/tags/list")) {
                                        String[] reply = page.apply(r.path());
                                        out.respond(
                                                Integer.parseInt(reply[0]),
                                                reply.length > 2 && reply[2] != null
                                                        ? Map.of("Link", reply[2])
                                                        : Map.of(),
                                                reply[1]);
                                    } else {
                                        out.respond(404, Map.of(), "{}");
                                    }
                                });
                RegistryClient client = client()) {
            return client.pull(ImageReference.parse(server.hostPort() + "/lib/app:1"))
                    .listTags(limits);
        }
    }

    private static String body(List<String> tags) {
        List<String> quoted = new ArrayList<>();
        tags.forEach(t -> quoted.add("\"" + t + "\""));
        return "{\"name\":\"lib/app\",\"tags\":[" + String.join(",", quoted) + "]}";
    }

    @Test
    void aHostileRegistryListingAMillionTagsFailsEarly() {
        // every page links to the next, forever: refused after the bound, not read to the end
        java.util.concurrent.atomic.AtomicInteger pages =
                new java.util.concurrent.atomic.AtomicInteger();
        assertThatThrownBy(
                        () ->
                                hostile(
                                        new RemoteRepository.TagLimits(100, 1000, 1 << 20),
                                        path -> {
                                            int p = pages.getAndIncrement();
                                            return new String[] {
                                                "200",
                                                body(
                                                        IntStream.range(0, 100)
                                                                .mapToObj(i -> "t" + p + "-" + i)
                                                                .toList()),
                                                "</v2/lib/app/tags/list?n=100&last=t"
                                                        + p
                                                        + ">; rel=\"next\""
                                            };
                                        }))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("more than 1000 tags");
        assertThat(pages.get()).isLessThanOrEqualTo(11);
    }

    @Test
    void aRegistryWithoutLinksIsPagedByLast() {
        // the spec's n/last: a full page without a Link asks for what follows its last tag
        List<String> asked = new ArrayList<>();
        List<String> tags =
                hostile(
                        new RemoteRepository.TagLimits(2, 100, 1 << 20),
                        path -> {
                            asked.add(path);
                            if (!path.contains("last=")) {
                                return new String[] {"200", body(List.of("a", "b"))};
                            }
                            return path.contains("last=b")
                                    ? new String[] {"200", body(List.of("c"))}
                                    : new String[] {"200", body(List.of())};
                        });
        assertThat(tags).containsExactly("a", "b", "c");
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1)).contains("n=2").contains("last=b");
    }

    @Test
    void whatIsNotATagListingIsRefused() {
        RemoteRepository.TagLimits limits = new RemoteRepository.TagLimits(10, 100, 1 << 20);
        assertThatThrownBy(() -> hostile(limits, p -> new String[] {"200", "not json"}))
                .hasMessageContaining("not a JSON listing");
        assertThatThrownBy(() -> hostile(limits, p -> new String[] {"200", "{\"tags\":\"x\"}"}))
                .hasMessageContaining("not a JSON listing");
        assertThatThrownBy(
                        () ->
                                hostile(
                                        limits,
                                        p -> new String[] {"200", body(List.of("ok", "../etc"))}))
                .hasMessageContaining("\"../etc\", which is not a valid name");
        assertThatThrownBy(
                        () ->
                                hostile(
                                        limits,
                                        p ->
                                                new String[] {
                                                    "200",
                                                    body(List.of("a")),
                                                    "<https://elsewhere.example/v2/lib/app/tags/list?n=10>;"
                                                            + " rel=\"next\""
                                                }))
                .hasMessageContaining("outside this repository's tags listing");
        // asked for what follows "b" and given the first page again: last is ignored
        assertThatThrownBy(
                        () ->
                                hostile(
                                        new RemoteRepository.TagLimits(2, 100, 1 << 20),
                                        p -> new String[] {"200", body(List.of("a", "b"))}))
                .hasMessageContaining("ignores last=");
        // the same page over and over: a loop, refused
        assertThatThrownBy(
                        () ->
                                hostile(
                                        limits,
                                        p ->
                                                new String[] {
                                                    "200",
                                                    body(List.of("a")),
                                                    "</v2/lib/app/tags/list?n=10&last=a>;"
                                                            + " rel=\"next\""
                                                }))
                .hasMessageContaining("lists nothing new");
        // a repository without tags: an empty listing, not an error
        assertThat(
                        hostile(
                                limits,
                                p -> new String[] {"200", "{\"name\":\"lib/app\",\"tags\":null}"}))
                .isEmpty();
    }
}
