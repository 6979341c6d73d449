package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.reference.ImageReference;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.testing.HostileServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * One tag listing tells which of a digest's tags exist only when the answer can be trusted to be
 * complete: sorted from {@code last} (the spec), or every tag in one page (distribution 2.8 ignores
 * {@code n} and {@code last}). Every other answer means "ask tag by tag", never "there is none".
 */
class TagFamilyTest {
    static final String PREFIX = "sha256-" + "b".repeat(64);

    /**
     * A registry answering the tag listing with {@code answer} (given the query), 404 for anything
     * else.
     */
    private static Optional<Set<String>> family(Function<String, String[]> answer) {
        try (HostileServer server =
                        new HostileServer(
                                (r, out) -> {
                                    if (r.path().equals("/v2/")) {
                                        out.respond(200, Map.of(), "{}");
                                    } else if (r.path().startsWith("/v2/lib/app/tags/list?")) {
                                        String[] reply =
                                                answer.apply(
                                                        r.path()
                                                                .substring(
                                                                        r.path().indexOf('?') + 1));
                                        out.respond(
                                                Integer.parseInt(reply[0]),
                                                reply.length > 2
                                                        ? Map.of("Link", reply[2])
                                                        : Map.of(),
                                                reply[1]);
                                    } else {
                                        out.respond(404, Map.of(), "{}");
                                    }
                                });
                RegistryClient client =
                        new RegistryClient(
                                TransportOptions.defaults(),
                                CredentialProvider.anonymous(),
                                TransportListener.NONE)) {
            return client.pull(ImageReference.parse(server.hostPort() + "/lib/app:1"))
                    .tagFamily(PREFIX);
        }
    }

    private static String[] tags(String... tags) {
        return new String[] {
            "200",
            "{\"name\":\"lib/app\",\"tags\":["
                    + String.join(",", List.of(tags).stream().map(t -> "\"" + t + "\"").toList())
                    + "]}"
        };
    }

    @Test
    void aListingSortedFromLastTellsTheFamily() {
        // The query asks for the tags just before the prefix sorts.
        assertThat(
                        family(
                                q -> {
                                    assertThat(q)
                                            .contains("n=16")
                                            .contains("last=sha256-" + "b".repeat(63) + "a%7E");
                                    return tags(PREFIX, PREFIX + ".sig", "zeta");
                                }))
                .contains(Set.of(PREFIX, PREFIX + ".sig"));
        // Nothing after the prefix at all: the listing ended, so there is no family.
        assertThat(family(q -> tags())).contains(Set.of());
        assertThat(family(q -> tags("zeta"))).contains(Set.of());
    }

    @Test
    void aWholeUnsortedListingTellsTheFamilyToo() {
        // distribution 2.8: every tag, in storage order, one page
        assertThat(family(q -> tags("zzz", PREFIX + ".att", "a", PREFIX)))
                .contains(Set.of(PREFIX, PREFIX + ".att"));
    }

    @Test
    void aListingThatMayHaveLeftSomethingOutTellsNothing() {
        // sorted from last, a full page of the family, more pages: the rest could be on the next
        String[] full =
                tags(
                        java.util.stream.IntStream.range(0, 16)
                                .mapToObj(i -> PREFIX + ".x" + (char) ('a' + i))
                                .toArray(String[]::new));
        assertThat(
                        family(
                                q ->
                                        new String[] {
                                            full[0],
                                            full[1],
                                            "</v2/lib/app/tags/list?n=16&last=x>; rel=\"next\""
                                        }))
                .isEmpty();
        // last ignored, and paged: the family may be on another page
        String[] paged = tags("zzz", "a");
        assertThat(
                        family(
                                q ->
                                        new String[] {
                                            paged[0],
                                            paged[1],
                                            "</v2/lib/app/tags/list?last=zzz>; rel=\"next\""
                                        }))
                .isEmpty();
        // no listing, not JSON, tags that are not text, a listing too large to read
        assertThat(family(q -> new String[] {"404", "{}"})).isEmpty();
        // a listing refused (a registry may grant pulls but not listings)
        assertThat(family(q -> new String[] {"403", "{\"errors\":[{\"code\":\"DENIED\"}]}"}))
                .isEmpty();
        assertThat(family(q -> new String[] {"200", "<html>"})).isEmpty();
        assertThat(family(q -> new String[] {"200", "{\"tags\":[1,2]}"})).isEmpty();
        assertThat(
                        family(
                                q ->
                                        new String[] {
                                            "200",
                                            "{\"tags\":\""
                                                    + "x"
                                                            .repeat(
                                                                    RemoteRepository
                                                                            .MAX_TAG_LIST_BYTES)
                                                    + "\"}"
                                        }))
                .isEmpty();
    }
}
