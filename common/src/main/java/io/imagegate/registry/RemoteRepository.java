package io.imagegate.registry;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.reference.InvalidReferenceException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * One repository of one registry, with the scopes its requests carry: the distribution API's
 * manifest and blob operations (OCI distribution spec names). Everything read is verified against
 * its digest.
 */
public final class RemoteRepository {
    /**
     * Manifests and indexes are small; refuse anything larger (the OCI spec suggests registries
     * accept 4 MiB).
     */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private final RegistryTransport transport;
    private final String registry;
    private final String repository;
    private final Scopes scopes;

    RemoteRepository(
            RegistryTransport transport, String registry, String repository, Scopes scopes) {
        this.transport = transport;
        this.registry = registry;
        this.repository = repository;
        this.scopes = scopes;
    }

    public String registry() {
        return registry;
    }

    public String repository() {
        return repository;
    }

    private String where() {
        return registry + "/" + repository;
    }

    private RegistryTransport.Request request(String method, String target) {
        return RegistryTransport.Request.of(registry, method, target, scopes);
    }

    private RegistryException failure(Response r, String action, String access) {
        return transport.failure(r, action, registry, repository, access);
    }

    // ---------------------------------------------------------------- manifests

    /**
     * HEAD of a manifest by tag or digest: its descriptor, or empty when the registry does not have
     * it.
     */
    public Optional<Descriptor> headManifest(String reference) {
        try (Response r =
                transport.send(
                        request("HEAD", manifestPath(reference))
                                .withHeader("Accept", MediaTypes.acceptHeader()))) {
            if (r.status() == 404) {
                return Optional.empty();
            }
            if (r.status() != 200) {
                throw failure(r, "HEAD manifest " + reference + " of", "pull");
            }
            Optional<String> digest = r.header("Docker-Content-Digest");
            if (digest.isEmpty()) {
                // Some registries leave the header out of HEAD answers: the body tells.
                return Optional.of(getManifest(reference).descriptor());
            }
            String contentType = r.header("Content-Type").orElse("");
            int semicolon = contentType.indexOf(';');
            return Optional.of(
                    new Descriptor(
                            semicolon < 0
                                    ? contentType
                                    : contentType.substring(0, semicolon).strip(),
                            parseDigest(digest.get()),
                            size(r.header("Content-Length").orElse(""))));
        }
    }

    /** A {@code Content-Length} as a size, or -1 when absent or not a number that fits. */
    private static long size(String header) {
        String v = header.strip();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(v);
    }

    /**
     * GET of a manifest by tag or digest, verified: the bytes must hash to the digest asked for, or
     * to the {@code Docker-Content-Digest} the registry sent for a tag.
     */
    public Manifest getManifest(String reference) {
        return readManifest(reference, false).orElseThrow();
    }

    /** As {@link #getManifest(String)}, but empty when the registry does not have it. */
    public Optional<Manifest> findManifest(String reference) {
        return readManifest(reference, true);
    }

    private Optional<Manifest> readManifest(String reference, boolean absentIsEmpty) {
        String what = "GET manifest " + reference + " of " + where();
        try (Response r =
                transport.send(
                        request("GET", manifestPath(reference))
                                .withHeader("Accept", MediaTypes.acceptHeader()))) {
            if (r.status() == 404) {
                if (absentIsEmpty) {
                    return Optional.empty();
                }
                throw new RegistryException(
                        ErrorKind.NOT_FOUND,
                        Message.of(
                                "registry.manifest-unknown",
                                "manifest {0} not found in {1}; check the image name and tag",
                                reference,
                                where()),
                        404,
                        "MANIFEST_UNKNOWN");
            }
            if (r.status() != 200) {
                throw failure(r, "GET manifest " + reference + " of", "pull");
            }
            byte[] bytes = read(r, MAX_MANIFEST_BYTES, what);
            Manifest manifest =
                    Manifest.parse(
                            bytes, r.header("Content-Type").orElse(""), where() + ":" + reference);
            Optional<Digest> expected =
                    reference.contains(":")
                            ? Optional.of(parseDigest(reference))
                            : r.header("Docker-Content-Digest").map(this::parseDigest);
            // The manifest's own digest is its bytes' SHA-256, hashed once; another algorithm
            // hashes them again.
            if (expected.isPresent()
                    && !(expected.get().algorithm().equals("sha256")
                            ? expected.get().equals(manifest.digest())
                            : expected.get().matches(bytes))) {
                throw new RegistryException(
                        ErrorKind.INTEGRITY,
                        Message.of(
                                "registry.manifest-digest",
                                "the manifest {0} served by {1} does not match its digest {2} (its bytes hash to {3}); the registry or a proxy"
                                        + " altered it",
                                reference,
                                where(),
                                expected.get(),
                                manifest.digest()),
                        200,
                        "DIGEST_INVALID");
            }
            return Optional.of(manifest);
        }
    }

    /** Reads a whole small body, bounded in size; a cut-off or broken read is a typed error. */
    private byte[] read(Response r, int limit, String what) {
        try {
            return r.bodyBytes(limit);
        } catch (Response.BodyTooLargeException e) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.too-large",
                            "{0}: the answer is larger than {1} bytes; refused",
                            what,
                            limit),
                    r.status(),
                    "");
        } catch (IOException e) {
            if (r.cutOff().isPresent()) {
                throw transport.cutOff(registry, what, r.cutOff().get(), e);
            }
            throw RegistryException.unreachable(
                    ErrorKind.TRANSIENT,
                    Message.of(
                            "registry.read-failed", "{0} failed: {1}", what, IoErrors.describe(e)),
                    e);
        }
    }

    /**
     * PUT of a manifest under a tag or its digest; the bytes are sent unchanged. Returns the {@code
     * OCI-Subject} header of the answer, which registries with the referrers API send for a
     * manifest with a subject.
     */
    public Optional<String> putManifest(String reference, Manifest manifest) {
        try {
            return putManifestOnce(reference, manifest);
        } catch (RegistryException e) {
            if (!refusedForContentThatIsThere(e, manifest)) {
                throw e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw e;
            }
            return putManifestOnce(reference, manifest);
        }
    }

    /**
     * Whether a manifest PUT was refused for a blob (or, for an index, a manifest) it lists that is
     * there after all. The distribution registry writes a blob's link in place: while another
     * client commits the same blob into the same repository (concurrent imports, vets sharing a
     * verdict's empty config), a manifest check can read the link half-written. Only when every
     * listed item answers HEAD with 200 now is the PUT worth once more; a manifest that lists none
     * was refused for something else.
     */
    private boolean refusedForContentThatIsThere(RegistryException e, Manifest manifest) {
        // the first of the error document's codes: distribution sends DIGEST_INVALID before
        // MANIFEST_BLOB_UNKNOWN
        boolean unknownContent =
                e.status() == 400
                        && java.util.Set.of(
                                        "MANIFEST_BLOB_UNKNOWN", "BLOB_UNKNOWN", "DIGEST_INVALID")
                                .contains(e.errorCode());
        if (!unknownContent) {
            return false;
        }
        java.util.List<Descriptor> listed =
                manifest.isIndex() ? manifest.manifests() : manifest.blobs();
        if (listed.isEmpty()) {
            return false;
        }
        return manifest.isIndex()
                ? listed.stream().allMatch(d -> headManifest(d.digest().toString()).isPresent())
                : listed.stream().allMatch(d -> hasBlob(d.digest()));
    }

    private Optional<String> putManifestOnce(String reference, Manifest manifest) {
        ByteArrayEntity body =
                new ByteArrayEntity(manifest.bytes(), ContentType.create(manifest.mediaType()));
        try (Response r =
                transport.send(
                        request("PUT", manifestPath(reference))
                                .withHeader("Content-Type", manifest.mediaType())
                                .withBody(body))) {
            if (r.status() != 201 && r.status() != 200) {
                throw failure(r, "PUT manifest " + reference + " to", "push");
            }
            Optional<String> digest = r.header("Docker-Content-Digest");
            if (digest.isPresent() && !digest.get().equals(manifest.digest().toString())) {
                throw new RegistryException(
                        ErrorKind.INTEGRITY,
                        Message.of(
                                "registry.manifest-rewritten",
                                "{0} stored manifest {1} as {2} instead of {3}; the registry rewrote it",
                                where(),
                                reference,
                                digest.get(),
                                manifest.digest()),
                        r.status(),
                        "DIGEST_INVALID");
            }
            return r.header("OCI-Subject");
        }
    }

    /**
     * DELETE of a manifest by digest (or tag, where the registry allows it). Returns false when it
     * was not there.
     */
    public boolean deleteManifest(String reference) {
        try (Response r = transport.send(request("DELETE", manifestPath(reference)))) {
            if (r.status() == 202 || r.status() == 200) {
                return true;
            }
            if (r.status() == 404) {
                return false;
            }
            throw failure(r, "DELETE manifest " + reference + " of", "delete");
        }
    }

    /**
     * Pages of a referrers listing followed through {@code Link} at the most; a longer listing is
     * refused, never cut short.
     */
    public static final int MAX_REFERRER_PAGES = 16;

    /** Referrers of one subject at the most, over all pages. */
    public static final int MAX_REFERRERS = 4096;

    /**
     * Every referrer of {@code subject} through the OCI 1.1 referrers API, following {@code Link:
     * <…>; rel="next"} page by page (only within this repository's referrers route of this
     * registry); empty when the registry does not offer the API (it answers 404 for the route). Not
     * filtered by artifact type: registries report and filter that differently (some report the
     * config's media type), so readers decide from the manifests themselves.
     */
    public Optional<List<Descriptor>> referrers(Digest subject) {
        String route = "/v2/" + repository + "/referrers/" + subject;
        String next = route;
        List<Descriptor> out = new ArrayList<>();
        for (int page = 0; next != null; page++) {
            if (page >= MAX_REFERRER_PAGES) {
                throw ImageGateException.integrity(
                        "registry.referrers-pages",
                        "the referrers of {0} in {1} run over more than {2} pages;"
                                + " refused rather than read in part",
                        subject.shortForm(),
                        where(),
                        MAX_REFERRER_PAGES);
            }
            String what = "GET referrers of " + subject.shortForm() + " in " + where();
            try (Response r =
                    transport.send(
                            request("GET", next).withHeader("Accept", MediaTypes.OCI_INDEX))) {
                if (r.status() == 404 && page == 0) {
                    return Optional.empty();
                }
                if (r.status() != 200) {
                    throw failure(r, "GET referrers of " + subject.shortForm() + " in", "pull");
                }
                String contentType = r.header("Content-Type").orElse("");
                if (!contentType.startsWith(MediaTypes.OCI_INDEX)) {
                    if (page == 0) {
                        return Optional.empty(); // not the referrers API (a catch-all answer)
                    }
                    throw ImageGateException.integrity(
                            "registry.referrers-page",
                            "{0}: page {1} is not an OCI index",
                            what,
                            page + 1);
                }
                Manifest index =
                        Manifest.parse(
                                read(r, MAX_MANIFEST_BYTES, what),
                                MediaTypes.OCI_INDEX,
                                where() + " referrers of " + subject);
                out.addAll(index.manifests());
                if (out.size() > MAX_REFERRERS) {
                    throw ImageGateException.integrity(
                            "registry.referrers-many",
                            "{0} lists more than {1} referrers; refused rather than"
                                    + " read in part",
                            what,
                            MAX_REFERRERS);
                }
                next = nextPage(r.header("Link"), route, what);
            }
        }
        return Optional.of(out);
    }

    /**
     * Tags asked for in one listing; a digest's family (its referrers tag and cosign's three) is
     * four at the most.
     */
    static final int TAG_FAMILY_PAGE = 16;

    /**
     * A tag listing read whole: a registry that ignores {@code n} (distribution 2.8) answers with
     * every tag.
     */
    static final int MAX_TAG_LIST_BYTES = 1024 * 1024;

    /**
     * The tags that start with {@code prefix}, from one tag listing ({@code GET
     * /v2/<name>/tags/list?n=16&last=…}, asking for the tags just before the prefix sorts), instead
     * of a HEAD for each tag that might exist. Empty when that one listing cannot tell for sure:
     * the registry has no listing for the repository, answers otherwise than with a JSON tag list
     * within {@value #MAX_TAG_LIST_BYTES} bytes (or refuses or fails the listing), or pages an
     * answer it neither sorted from {@code last} nor completed. The caller then asks tag by tag. A
     * registry that honours {@code last} (the OCI distribution spec) answers sorted from there; one
     * that ignores it (distribution 2.8 lists every tag, unsorted, in one page) answers completely.
     * Either tells.
     */
    public Optional<java.util.Set<String>> tagFamily(String prefix) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("a tag family needs a prefix");
        }
        // The greatest string below every tag that starts with the prefix: tags use [A-Za-z0-9._-],
        // all below '~'.
        String before =
                prefix.substring(0, prefix.length() - 1)
                        + (char) (prefix.charAt(prefix.length() - 1) - 1)
                        + "~";
        String path =
                "/v2/"
                        + repository
                        + "/tags/list?n="
                        + TAG_FAMILY_PAGE
                        + "&last="
                        + java.net.URLEncoder.encode(
                                before, java.nio.charset.StandardCharsets.UTF_8);
        try (Response r =
                transport.send(request("GET", path).withHeader("Accept", "application/json"))) {
            if (r.status() != 200) {
                return Optional.empty();
            }
            byte[] body;
            try {
                body = r.bodyBytes(MAX_TAG_LIST_BYTES);
            } catch (IOException e) {
                return Optional.empty(); // too large, or cut off: ask tag by tag
            }
            com.fasterxml.jackson.databind.JsonNode tags;
            try {
                tags = io.imagegate.Json.MAPPER.readTree(body).path("tags");
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
            if (!tags.isArray() && !tags.isNull() && !tags.isMissingNode()) {
                return Optional.empty();
            }
            List<String> listed = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode tag : tags) {
                if (!tag.isTextual()) {
                    return Optional.empty();
                }
                listed.add(tag.asText());
            }
            boolean paged = r.header("Link").isPresent();
            java.util.Set<String> family = new java.util.TreeSet<>();
            listed.stream().filter(t -> t.startsWith(prefix)).forEach(family::add);
            boolean fromLast =
                    listed.stream().allMatch(t -> t.compareTo(before) > 0)
                            && listed.equals(listed.stream().sorted().toList());
            if (fromLast) {
                // Sorted from the prefix on: the family is complete once a tag past it is listed,
                // or the listing ended.
                boolean past = listed.stream().anyMatch(t -> !t.startsWith(prefix));
                return past || (!paged && listed.size() < TAG_FAMILY_PAGE)
                        ? Optional.of(family)
                        : Optional.empty();
            }
            // Not sorted from last: only a complete, unpaged listing tells.
            return paged ? Optional.empty() : Optional.of(family);
        } catch (RegistryException e) {
            // A registry may refuse listings it grants pulls for (a separate permission), or not
            // answer the route: the
            // caller asks tag by tag, which meets any real outage itself.
            if (e.kind() == ErrorKind.INTERRUPTED) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /**
     * How much of a tag listing is read: {@code pageSize} tags asked for per page ({@code n}), at
     * most {@code maxTags} tags and {@code maxBytes} bytes over all pages.
     */
    public record TagLimits(int pageSize, int maxTags, int maxBytes) {
        public static final TagLimits DEFAULT = new TagLimits(1000, 10_000, 4 * 1024 * 1024);

        public TagLimits {
            if (pageSize < 1 || maxTags < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("tag limits must be positive");
            }
        }
    }

    /** A tag as the distribution spec allows it. */
    private static final java.util.regex.Pattern TAG =
            java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    /**
     * Every tag of the repository ({@code GET /v2/<name>/tags/list?n=…}), page by page: a page's
     * {@code Link: <…>; rel="next"} is followed (only within this repository's tag route), and a
     * full page without one is followed by {@code last=} its greatest tag, as the distribution
     * spec's {@code n}/{@code last} pagination has it. Refused, with nothing returned, when the
     * listing runs over the limits, lists something that is not a tag, or pages without moving on:
     * a rule over tags never works from part of a listing.
     */
    public List<String> listTags(TagLimits limits) {
        return listing(
                "/v2/" + repository + "/tags/list", "tags", TAG, limits, "GET tags of " + where());
    }

    /** A repository name as the distribution spec allows it. */
    private static final java.util.regex.Pattern REPOSITORY =
            java.util.regex.Pattern.compile(
                    "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    /**
     * Every repository of the registry ({@code GET /v2/_catalog}), paged and bounded as {@link
     * #listTags}; on a handle from {@link RegistryClient#catalog}. A registry without a catalog
     * (Docker Hub, most hosted registries) answers 404 or refuses it: an error that says so.
     */
    List<String> catalog(TagLimits limits) {
        return listing(
                "/v2/_catalog", "repositories", REPOSITORY, limits, "GET catalog of " + registry);
    }

    private List<String> listing(
            String route,
            String key,
            java.util.regex.Pattern valid,
            TagLimits limits,
            String what) {
        java.util.Set<String> tags = new java.util.LinkedHashSet<>();
        long bytes = 0;
        int listed = 0;
        String next = route + "?n=" + limits.pageSize();
        String afterLast = null;
        int maxPages = limits.maxTags() / Math.max(1, Math.min(limits.pageSize(), 100)) + 2;
        for (int page = 0; next != null; page++) {
            if (page >= maxPages) {
                throw tagsRefused(
                        "registry.tags-pages",
                        "{0}: the listing runs over more than {1} pages; refused rather than"
                                + " read in part",
                        what,
                        maxPages);
            }
            try (Response r =
                    transport.send(request("GET", next).withHeader("Accept", "application/json"))) {
                if (r.status() == 404) {
                    throw new RegistryException(
                            ErrorKind.NOT_FOUND,
                            key.equals("tags")
                                    ? Message.of(
                                            "registry.tags-unknown",
                                            "{0}: the registry has no repository {1}; check its"
                                                    + " name",
                                            what,
                                            where())
                                    : Message.of(
                                            "registry.catalog-unknown",
                                            "{0}: the registry offers no catalog; name the"
                                                    + " repositories",
                                            what),
                            404,
                            "NAME_UNKNOWN");
                }
                if (r.status() != 200) {
                    throw key.equals("tags")
                            ? failure(r, "GET tags of", "pull")
                            : failure(r, "GET catalog of", "catalog");
                }
                int left = (int) Math.max(0, limits.maxBytes() - bytes);
                byte[] body;
                try {
                    body = r.bodyBytes(left);
                } catch (Response.BodyTooLargeException e) {
                    throw tagsRefused(
                            "registry.tags-bytes",
                            "{0}: the listing is larger than {1} bytes; refused rather than"
                                    + " read in part",
                            what,
                            limits.maxBytes());
                } catch (IOException e) {
                    if (r.cutOff().isPresent()) {
                        throw transport.cutOff(registry, what, r.cutOff().get(), e);
                    }
                    throw RegistryException.unreachable(
                            ErrorKind.TRANSIENT,
                            Message.of(
                                    "registry.read-failed",
                                    "{0} failed: {1}",
                                    what,
                                    IoErrors.describe(e)),
                            e);
                }
                bytes += body.length;
                List<String> pageTags = parseNames(body, key, valid, what);
                listed += pageTags.size();
                if (listed > limits.maxTags()) {
                    throw tagsRefused(
                            "registry.tags-many",
                            "{0}: the listing holds more than {1} {2}; refused rather than"
                                    + " read in part",
                            what,
                            limits.maxTags(),
                            key);
                }
                int before = tags.size();
                tags.addAll(pageTags);
                boolean nothingNew = tags.size() == before;
                String asked = afterLast;
                if (asked != null
                        && !pageTags.isEmpty()
                        && (nothingNew
                                || pageTags.stream().anyMatch(t -> t.compareTo(asked) <= 0))) {
                    // asked for what follows a tag and given what does not: the registry ignores
                    // last, and the rest cannot be read
                    throw tagsRefused(
                            "registry.tags-last-ignored",
                            "{0}: the registry ignores last= and lists only the first {1} {2}; refused"
                                    + " rather than read in part",
                            what,
                            before,
                            key);
                }
                Optional<String> link = r.header("Link");
                afterLast = null;
                if (link.isPresent()) {
                    next = nextPage(link, route, what, key + " listing");
                    if (pageTags.isEmpty() || nothingNew) {
                        // a page that brings nothing new and still links on: a loop
                        throw tagsRefused(
                                "registry.tags-loop",
                                "{0}: page {1} lists nothing new but links to another; refused",
                                what,
                                page + 1);
                    }
                } else if (pageTags.size() == limits.pageSize()) {
                    // a full page and no link: ask for what follows its greatest name (n/last). A
                    // page larger than n comes from a registry that ignores n and lists all at
                    // once.
                    afterLast = pageTags.stream().max(String::compareTo).orElseThrow();
                    next =
                            route
                                    + "?n="
                                    + limits.pageSize()
                                    + "&last="
                                    + java.net.URLEncoder.encode(
                                            afterLast, java.nio.charset.StandardCharsets.UTF_8);
                } else {
                    next = null;
                }
            }
        }
        return List.copyOf(tags);
    }

    private static ImageGateException tagsRefused(String code, String template, Object... args) {
        return ImageGateException.integrity(code, template, args);
    }

    private static List<String> parseNames(
            byte[] body, String key, java.util.regex.Pattern valid, String what) {
        com.fasterxml.jackson.databind.JsonNode tags;
        try {
            tags = io.imagegate.Json.MAPPER.readTree(body).path(key);
        } catch (IOException | RuntimeException e) {
            throw tagsRefused(
                    "registry.tags-not-json", "{0}: the answer is not a JSON listing", what);
        }
        if (tags.isNull() || tags.isMissingNode()) {
            return List.of(); // distribution answers "tags": null for a repository without tags
        }
        if (!tags.isArray()) {
            throw tagsRefused(
                    "registry.tags-not-json", "{0}: the answer is not a JSON listing", what);
        }
        List<String> out = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode tag : tags) {
            if (!tag.isTextual() || !valid.matcher(tag.asText()).matches()) {
                throw tagsRefused(
                        "registry.tags-invalid",
                        "{0}: the listing holds \"{1}\", which is not a valid name; refused",
                        what,
                        Message.neutralize(
                                tag.isTextual()
                                        ? abbreviate(tag.asText())
                                        : abbreviate(tag.toString())));
            }
            out.add(tag.asText());
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /**
     * The next page of a listing from its {@code Link} header, as a path under this registry; null
     * when there is none. A link elsewhere (another host, another route) is refused: this
     * repository's credentials go only to its own routes.
     */
    private String nextPage(Optional<String> link, String route, String what) {
        return nextPage(link, route, what, "referrers route");
    }

    private String nextPage(Optional<String> link, String route, String what, String routeName) {
        if (link.isEmpty()) {
            return null;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^\\s*<([^>]*)>\\s*;(.*)$").matcher(link.get());
        if (!m.matches() || !m.group(2).matches("(?i).*\\brel\\s*=\\s*\"?next\"?.*")) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(m.group(1));
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            boolean sameHost =
                    uri.getRawAuthority() == null
                            || uri.getRawAuthority().equalsIgnoreCase(registry)
                            || uri.getRawAuthority()
                                    .equalsIgnoreCase(transport.baseOf(registry).getRawAuthority());
            if (sameHost && path.equals(route)) {
                return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw ImageGateException.integrity(
                "registry.referrers-link",
                "{0}: the next page is linked as \"{1}\", outside this"
                        + " repository's {2}; refused",
                what,
                Message.neutralize(m.group(1)),
                routeName);
    }

    private String manifestPath(String reference) {
        return "/v2/" + repository + "/manifests/" + reference;
    }

    // ---------------------------------------------------------------- blobs

    /** HEAD of a blob: whether the repository has it. */
    public boolean hasBlob(Digest digest) {
        try (Response r = transport.send(request("HEAD", blobPath(digest)))) {
            if (r.status() == 200) {
                return true;
            }
            if (r.status() == 404) {
                return false;
            }
            throw failure(r, "HEAD blob " + digest.shortForm() + " of", "pull");
        }
    }

    /**
     * An open blob download; the caller closes it. Redirects to storage hosts are followed without
     * credentials.
     */
    public BlobDownload openBlob(Descriptor blob) {
        Response r =
                transport.send(
                        request("GET", blobPath(blob.digest())).transfer(ExchangeKind.DOWNLOAD));
        if (r.status() != 200) {
            try (r) {
                throw r.status() == 404
                        ? new RegistryException(
                                ErrorKind.NOT_FOUND,
                                Message.of(
                                        "registry.blob-unknown",
                                        "blob {0} not found in {1} although a manifest lists it; the source image is incomplete",
                                        blob.digest(),
                                        where()),
                                404,
                                "BLOB_UNKNOWN")
                        : failure(r, "GET blob " + blob.digest().shortForm() + " of", "pull");
            }
        }
        try {
            return new BlobDownload(r, r.body());
        } catch (IOException e) {
            r.abort();
            throw RegistryException.unreachable(
                    ErrorKind.TRANSIENT,
                    Message.of(
                            "registry.blob-read",
                            "reading blob {0} of {1} failed: {2}",
                            blob.digest().shortForm(),
                            where(),
                            IoErrors.describe(e)),
                    e);
        }
    }

    /**
     * A small blob (a config, a verdict document) read whole and verified: its bytes must have the
     * descriptor's size and digest, and at most {@code limit} bytes are read.
     */
    public byte[] fetchBlob(Descriptor blob, int limit) {
        if (blob.size() < 0 || blob.size() > limit) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.blob-size",
                            "blob {0} of {1} is declared with {2} bytes; imagegate reads at most {3} bytes of it",
                            blob.digest().shortForm(),
                            where(),
                            blob.size(),
                            limit),
                    0,
                    "");
        }
        String what = "GET blob " + blob.digest().shortForm() + " of " + where();
        try (Response r = transport.send(request("GET", blobPath(blob.digest())))) {
            if (r.status() == 404) {
                throw new RegistryException(
                        ErrorKind.NOT_FOUND,
                        Message.of(
                                "registry.blob-unknown",
                                "blob {0} not found in {1} although a manifest lists it; the source image is incomplete",
                                blob.digest(),
                                where()),
                        404,
                        "BLOB_UNKNOWN");
            }
            if (r.status() != 200) {
                throw failure(r, "GET blob " + blob.digest().shortForm() + " of", "pull");
            }
            byte[] bytes = read(r, (int) blob.size(), what);
            if (bytes.length != blob.size() || !blob.digest().matches(bytes)) {
                throw new RegistryException(
                        ErrorKind.INTEGRITY,
                        Message.of(
                                "registry.blob-digest",
                                "blob {0} served by {1} does not match its descriptor ({2} bytes with another digest, {3} declared); the"
                                        + " registry or a proxy altered it",
                                blob.digest(),
                                where(),
                                bytes.length,
                                blob.size()),
                        200,
                        "DIGEST_INVALID");
            }
            return bytes;
        }
    }

    /** A blob body being downloaded. */
    public record BlobDownload(Response response, InputStream body) implements AutoCloseable {
        @Override
        public void close() {
            response.close();
        }

        /** For an aborted copy: drop the connection rather than draining the rest. */
        public void abort() {
            response.abort();
        }

        /** Why the watchdog cut the download off, if it did. */
        Optional<Watchdog.Reason> cutOff() {
            return response.cutOff();
        }
    }

    /**
     * Cross-repository mount within this registry: {@code POST
     * /v2/<name>/blobs/uploads/?mount=<digest>&from=<repo>}. Returns empty when mounted; otherwise
     * the upload session the registry opened instead, to upload into.
     */
    public Optional<String> mountBlob(Digest digest, String fromRepository) {
        try (Response r =
                transport.send(
                        request(
                                "POST",
                                "/v2/"
                                        + repository
                                        + "/blobs/uploads/?mount="
                                        + digest
                                        + "&from="
                                        + fromRepository))) {
            if (r.status() == 201) {
                return Optional.empty();
            }
            if (r.status() == 202) {
                return Optional.of(opened(location(r)));
            }
            throw failure(
                    r,
                    "mount blob " + digest.shortForm() + " from " + fromRepository + " into",
                    "push");
        }
    }

    /** Opens an upload session: its {@code Location}. */
    public String startUpload() {
        try (Response r =
                transport.send(request("POST", "/v2/" + repository + "/blobs/uploads/"))) {
            if (r.status() != 202) {
                throw failure(r, "start a blob upload to", "push");
            }
            return opened(location(r));
        }
    }

    /** Uploads small content (a verdict document, an empty config) in one verified PUT. */
    public void pushBlob(Descriptor blob, byte[] content) {
        if (content.length != blob.size() || !blob.digest().matches(content)) {
            throw ImageGateException.internal(
                    "registry.push-mismatch",
                    "the content pushed as {0} does not match it",
                    blob.digest());
        }
        if (hasBlob(blob.digest())) {
            return;
        }
        upload(blob, content);
    }

    /**
     * Uploads a small blob this process has just made and no one else can have (a signature's
     * bundle: ECDSA's random nonce makes its bytes new), without asking first whether the registry
     * has it: the answer is always no, and uploading it again would only write the same bytes.
     */
    public void pushNewBlob(Descriptor blob, byte[] content) {
        if (content.length != blob.size() || !blob.digest().matches(content)) {
            throw ImageGateException.internal(
                    "registry.push-mismatch",
                    "the content pushed as {0} does not match it",
                    blob.digest());
        }
        upload(blob, content);
    }

    private void upload(Descriptor blob, byte[] content) {
        String location = startUpload();
        try {
            commit(
                    location,
                    blob.digest(),
                    new ByteArrayEntity(content, ContentType.APPLICATION_OCTET_STREAM));
        } catch (RuntimeException e) {
            abandon(location);
            throw e;
        }
    }

    /**
     * Uploads a blob streamed from {@code source}, hashing each byte once on the way, never more
     * than the descriptor's size: as one monolithic PUT when the size is at most {@code
     * chunkThreshold}, else in PATCH chunks of {@code chunkSize}. The digest is checked before the
     * upload is committed; on a mismatch, or any failure, the session (at its latest location) is
     * abandoned.
     */
    public void uploadBlob(
            Descriptor blob,
            InputStream source,
            String uploadLocation,
            long chunkThreshold,
            long chunkSize,
            LongConsumer progress)
            throws DigestMismatchException {
        if (blob.size() < 0) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.blob-no-size",
                            "blob {0} has no size in its descriptor; refused (the OCI spec requires one)",
                            blob.digest()),
                    0,
                    "");
        }
        HashingInputStream hashing = new HashingInputStream(source, blob.digest(), blob.size());
        String what = "blob " + blob.digest().shortForm() + " for " + where();
        String location = uploadLocation;
        try {
            if (blob.size() <= chunkThreshold) {
                VerifiedUploadEntity body =
                        new VerifiedUploadEntity(hashing, blob.size(), true, what, progress);
                commit(location, blob.digest(), body);
                return;
            }
            while (hashing.count() < blob.size()) {
                long slice = Math.min(chunkSize, blob.size() - hashing.count());
                VerifiedUploadEntity chunk =
                        new VerifiedUploadEntity(hashing, slice, false, what, progress);
                long before = hashing.count();
                try (Response r =
                        transport.send(
                                request("PATCH", location)
                                        .transfer(ExchangeKind.UPLOAD)
                                        .withHeader("Content-Type", "application/octet-stream")
                                        .withBody(chunk))) {
                    if (r.status() != 202) {
                        throw failure(
                                r,
                                "upload a chunk of " + blob.digest().shortForm() + " to",
                                "push");
                    }
                    transport.uploadClosed(location);
                    location = opened(location(r));
                }
                if (hashing.count() - before < slice) {
                    break; // the source ended early: verification below fails
                }
            }
            hashing.read(); // one byte past the declared size makes the verification fail
            hashing.verify(what);
            commit(location, blob.digest(), null);
        } catch (DigestMismatchException e) {
            abandon(location);
            throw e;
        } catch (RegistryException e) {
            abandon(location);
            if (e.getCause() instanceof DigestMismatchException mismatch) {
                throw mismatch;
            }
            throw e;
        } catch (IOException e) {
            abandon(location);
            throw RegistryException.unreachable(
                    ErrorKind.TRANSIENT,
                    Message.of(
                            "registry.upload-read",
                            "reading {0} from the source failed: {1}",
                            what,
                            IoErrors.describe(e)),
                    e);
        } catch (RuntimeException e) {
            abandon(location);
            throw e;
        }
    }

    private void commit(String location, Digest digest, org.apache.hc.core5.http.HttpEntity body) {
        String target = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
        RegistryTransport.Request put = request("PUT", target);
        if (body != null) {
            put =
                    put.transfer(ExchangeKind.UPLOAD)
                            .withHeader("Content-Type", "application/octet-stream")
                            .withBody(body);
        }
        try (Response r = transport.send(put)) {
            if (r.status() != 201) {
                throw failure(r, "commit blob " + digest.shortForm() + " to", "push");
            }
        }
        transport.uploadClosed(location);
    }

    /** Best effort: tell the registry to drop an unfinished upload. */
    private void abandon(String location) {
        transport.uploadClosed(location);
        try (Response ignored = transport.send(request("DELETE", location))) {
            // 204 or 404 both mean it is gone
        } catch (RuntimeException ignored) {
            // the session expires on its own
        }
    }

    /** Notes an open upload session, so one left behind by a failure or a signal is abandoned. */
    private String opened(String location) {
        transport.uploadOpened(location, () -> abandon(location));
        return location;
    }

    private String blobPath(Digest digest) {
        return "/v2/" + repository + "/blobs/" + digest;
    }

    private String location(Response r) {
        return r.header("Location")
                .orElseThrow(
                        () ->
                                new RegistryException(
                                        ErrorKind.INTEGRITY,
                                        Message.of(
                                                "registry.no-location",
                                                "{0} opened an upload without a Location header",
                                                where()),
                                        r.status(),
                                        ""));
    }

    private Digest parseDigest(String text) {
        try {
            return Digest.parse(text);
        } catch (InvalidReferenceException e) {
            throw new RegistryException(
                    ErrorKind.INTEGRITY,
                    Message.of(
                            "registry.bad-digest",
                            "{0} sent an invalid digest ({1})",
                            where(),
                            e.rule()),
                    0,
                    "");
        }
    }
}
