package io.imagegate.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault-injecting front (test code) that forwards every request to a real registry and can
 * corrupt a blob's bytes, answer 429/503 with {@code Retry-After}, or redirect blob downloads to a
 * storage server on another host name ({@code localhost} instead of {@code 127.0.0.1}) that records
 * the headers it received.
 */
public final class RegistryFront implements AutoCloseable {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Set<String> HOP_BY_HOP =
            Set.of(
                    "connection",
                    "content-length",
                    "host",
                    "transfer-encoding",
                    "keep-alive",
                    "upgrade",
                    "expect",
                    "te",
                    "trailer",
                    "proxy-connection");
    private static final Pattern BLOB_GET =
            Pattern.compile("^/v2/(.+)/blobs/(sha256:[a-f0-9]{64})$");
    private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([^/]+)$");
    private static final Pattern REFERRERS =
            Pattern.compile("^/v2/(.+)/referrers/(sha256:[a-f0-9]{64})$");

    /** A request the front saw. */
    public record SeenRequest(
            String method, String path, Map<String, List<String>> headers, int status) {}

    private final RegistryExtension registry;
    private final URI target;
    private final HttpServer front;
    private final HttpServer storage;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Set<String> corrupted = ConcurrentHashMap.newKeySet();
    private final Set<String> corruptedManifests = ConcurrentHashMap.newKeySet();
    private final Map<String, String> extraHeaders = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile int throttleStatus = 429;
    private volatile int retryAfterSeconds;
    private volatile boolean redirectBlobs;
    private volatile boolean referrersApi;
    private volatile int referrersPageSize = Integer.MAX_VALUE;
    private volatile java.util.function.BiConsumer<String, String> afterManifestRequest =
            (method, path) -> {};

    /** Referrers the front indexed itself, by "repository@subject", as OCI descriptors (JSON). */
    private final Map<String, List<com.fasterxml.jackson.databind.node.ObjectNode>> referrers =
            new ConcurrentHashMap<>();

    private final AtomicInteger referrersQueries = new AtomicInteger();
    private final List<SeenRequest> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<Map<String, List<String>>> redirected =
            Collections.synchronizedList(new ArrayList<>());

    public RegistryFront(RegistryExtension registry) {
        if (registry.variant() == RegistryExtension.Variant.TLS) {
            throw new IllegalArgumentException(
                    "the front speaks plain HTTP; put it in front of a plain registry");
        }
        this.registry = registry;
        this.target = registry.baseUri();
        try {
            front =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            storage =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        front.setExecutor(Executors.newCachedThreadPool());
        storage.setExecutor(Executors.newCachedThreadPool());
        front.createContext("/", this::forward);
        storage.createContext("/storage/", this::serveFromStorage);
        front.start();
        storage.start();
    }

    /** {@code 127.0.0.1:port}: use it as the registry of references. */
    public String hostPort() {
        return "127.0.0.1:" + front.getAddress().getPort();
    }

    /** GETs of this blob get the right length but flipped bytes. */
    public void corruptBlob(String digest) {
        corrupted.add(digest);
    }

    /** GETs of the manifest at this path reference (tag or digest) get one byte changed. */
    public void corruptManifest(String reference) {
        corruptedManifests.add(reference);
    }

    /**
     * Adds a header to every forwarded response (e.g. Docker Hub's {@code ratelimit-remaining}).
     */
    public void addResponseHeader(String name, String value) {
        extraHeaders.put(name, value);
    }

    /** The next {@code times} requests get 429 with {@code Retry-After: seconds}. */
    public void throttle(int times, int seconds) {
        throttleStatus = 429;
        retryAfterSeconds = seconds;
        throttled.set(times);
    }

    /** The next {@code times} requests get 503 with {@code Retry-After: seconds}. */
    public void unavailable(int times, int seconds) {
        throttleStatus = 503;
        retryAfterSeconds = seconds;
        throttled.set(times);
    }

    /** Blob GETs answer 307 to a storage server on host {@code localhost}. */
    public void redirectBlobs(boolean on) {
        redirectBlobs = on;
    }

    /**
     * Serve the OCI 1.1 referrers API in front of a registry that has none: manifests with a {@code
     * subject} are indexed here (and answered with {@code OCI-Subject}), and {@code GET
     * /v2/<name>/referrers/<digest>} lists them.
     */
    public void serveReferrersApi(boolean on) {
        referrersApi = on;
    }

    /**
     * Answer referrers API queries {@code size} entries a page, linking the next page with {@code
     * Link: <…>; rel="next"}.
     */
    public void referrersPageSize(int size) {
        referrersPageSize = size;
    }

    /**
     * Runs {@code hook} with the method and path of every manifest request, after the registry
     * answered it and before the client hears the answer: another writer of the same tag acting in
     * between.
     */
    public void afterManifestRequest(java.util.function.BiConsumer<String, String> hook) {
        afterManifestRequest = hook;
    }

    /**
     * Indexes a referrer in the front's own referrers API only (as a registry that gained the API
     * after the tag was written).
     */
    public void indexReferrer(
            String repository,
            String subject,
            com.fasterxml.jackson.databind.node.ObjectNode descriptor) {
        referrers
                .computeIfAbsent(
                        repository + "@" + subject,
                        k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(descriptor);
    }

    /** How many referrers API queries the front answered. */
    public int referrersQueries() {
        return referrersQueries.get();
    }

    public List<SeenRequest> requests() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    public void clearRequests() {
        seen.clear();
    }

    /** Headers of every request the storage host received. */
    public List<Map<String, List<String>>> redirectedRequestHeaders() {
        synchronized (redirected) {
            return List.copyOf(redirected);
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
            if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
                respond(exchange, throttleStatus, new byte[0]);
                seen.add(new SeenRequest(method, path, headers, throttleStatus));
                return;
            }
            Matcher blob = BLOB_GET.matcher(path);
            if (method.equals("GET") && blob.matches() && redirectBlobs) {
                exchange.getResponseHeaders()
                        .set(
                                "Location",
                                "http://localhost:"
                                        + storage.getAddress().getPort()
                                        + "/storage/"
                                        + blob.group(1)
                                        + "/"
                                        + blob.group(2));
                respond(exchange, 307, new byte[0]);
                seen.add(new SeenRequest(method, path, headers, 307));
                return;
            }
            Matcher referrersQuery = REFERRERS.matcher(path);
            if (referrersApi && method.equals("GET") && referrersQuery.matches()) {
                referrersQueries.incrementAndGet();
                String wanted =
                        queryParameter(exchange.getRequestURI().getRawQuery(), "artifactType");
                com.fasterxml.jackson.databind.node.ObjectNode index = JSON.createObjectNode();
                index.put("schemaVersion", 2);
                index.put("mediaType", "application/vnd.oci.image.index.v1+json");
                com.fasterxml.jackson.databind.node.ArrayNode list = index.putArray("manifests");
                List<com.fasterxml.jackson.databind.node.ObjectNode> all = new ArrayList<>();
                for (com.fasterxml.jackson.databind.node.ObjectNode d :
                        referrers.getOrDefault(
                                referrersQuery.group(1) + "@" + referrersQuery.group(2),
                                List.of())) {
                    if (wanted == null || wanted.equals(d.path("artifactType").asText())) {
                        all.add(d);
                    }
                }
                String pageParameter =
                        queryParameter(exchange.getRequestURI().getRawQuery(), "page");
                int page = pageParameter == null ? 0 : Integer.parseInt(pageParameter);
                int size = referrersPageSize;
                int from = (int) Math.min(all.size(), (long) page * size);
                all.subList(from, (int) Math.min(all.size(), (long) from + size))
                        .forEach(list::add);
                if ((long) from + size < all.size()) {
                    exchange.getResponseHeaders()
                            .set("Link", "<" + path + "?page=" + (page + 1) + ">; rel=\"next\"");
                }
                exchange.getResponseHeaders()
                        .set("Content-Type", "application/vnd.oci.image.index.v1+json");
                if (wanted != null) {
                    exchange.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
                }
                respond(exchange, 200, JSON.writeValueAsBytes(index));
                seen.add(new SeenRequest(method, path, headers, 200));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(
                            target.resolve(
                                    exchange.getRequestURI().getRawPath()
                                            + (exchange.getRequestURI().getRawQuery() == null
                                                    ? ""
                                                    : "?"
                                                            + exchange.getRequestURI()
                                                                    .getRawQuery())));
            exchange.getRequestHeaders()
                    .forEach(
                            (name, values) -> {
                                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                                    values.forEach(v -> request.header(name, v));
                                }
                            });
            request.method(
                    method,
                    body.length == 0
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> upstream = send(request.build());
            byte[] responseBody = upstream.body();
            if (method.equals("GET")
                    && blob.matches()
                    && corrupted.contains(blob.group(2))
                    && upstream.statusCode() == 200) {
                responseBody = responseBody.clone();
                for (int i = 0; i < responseBody.length; i += 7) {
                    responseBody[i] ^= 0x5a;
                }
            }
            if (method.equals("GET")
                    && upstream.statusCode() == 200
                    && path.contains("/manifests/")
                    && corruptedManifests.contains(path.substring(path.lastIndexOf('/') + 1))) {
                responseBody =
                        new String(responseBody, java.nio.charset.StandardCharsets.UTF_8)
                                .replaceFirst("\\{", "{ ")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            Headers out = exchange.getResponseHeaders();
            extraHeaders.forEach(out::set);
            Matcher manifestPut = MANIFEST.matcher(path);
            if (referrersApi
                    && method.equals("PUT")
                    && manifestPut.matches()
                    && upstream.statusCode() == 201) {
                com.fasterxml.jackson.databind.JsonNode manifest = JSON.readTree(body);
                String subject = manifest.path("subject").path("digest").asText("");
                if (!subject.isEmpty()) {
                    com.fasterxml.jackson.databind.node.ObjectNode d = JSON.createObjectNode();
                    d.put("mediaType", manifest.path("mediaType").asText());
                    d.put("digest", io.imagegate.reference.Digest.sha256(body).toString());
                    d.put("size", body.length);
                    if (manifest.has("artifactType")) {
                        d.put("artifactType", manifest.path("artifactType").asText());
                    }
                    if (manifest.has("annotations")) {
                        d.set("annotations", manifest.get("annotations"));
                    }
                    referrers
                            .computeIfAbsent(
                                    manifestPut.group(1) + "@" + subject,
                                    k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(d);
                    out.set("OCI-Subject", subject);
                }
            }
            if (manifestPut.matches()) {
                afterManifestRequest.accept(method, path);
            }
            upstream.headers()
                    .map()
                    .forEach(
                            (name, values) -> {
                                if (HOP_BY_HOP.contains(name.toLowerCase())) {
                                    return;
                                }
                                for (String value : values) {
                                    out.add(
                                            name,
                                            name.equalsIgnoreCase("Location")
                                                    ? value.replace(
                                                            target.getRawAuthority(), hostPort())
                                                    : value);
                                }
                            });
            if (method.equals("HEAD")) {
                upstream.headers()
                        .firstValue("Content-Length")
                        .ifPresent(v -> out.set("Content-Length", v));
                exchange.sendResponseHeaders(upstream.statusCode(), -1);
            } else {
                respond(exchange, upstream.statusCode(), responseBody);
            }
            seen.add(new SeenRequest(method, path, headers, upstream.statusCode()));
        }
    }

    private static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(
                        part.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void serveFromStorage(HttpExchange exchange) throws IOException {
        try (exchange) {
            redirected.add(Map.copyOf(exchange.getRequestHeaders()));
            String rest = exchange.getRequestURI().getRawPath().substring("/storage/".length());
            int at = rest.lastIndexOf('/');
            String repository = rest.substring(0, at);
            String digest = rest.substring(at + 1);
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(target.resolve("/v2/" + repository + "/blobs/" + digest))
                            .GET();
            String auth = registry.authorizationHeader(repository, "pull");
            if (auth != null) {
                request.header("Authorization", auth);
            }
            HttpResponse<byte[]> upstream = send(request.build());
            respond(exchange, upstream.statusCode(), upstream.body());
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        front.stop(0);
        storage.stop(0);
    }
}
