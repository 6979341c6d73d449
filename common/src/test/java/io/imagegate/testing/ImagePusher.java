package io.imagegate.testing;

import io.imagegate.oci.MediaTypes;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Pushes {@link TestImages} to a {@link RegistryExtension} with the JDK's own HTTP client,
 * independently of the product's registry client, and reads back what a copy wrote, so tests have
 * an oracle of their own.
 */
public final class ImagePusher {
    private final RegistryExtension registry;
    private final HttpClient http;

    /** What was pushed. */
    public record PushedImage(
            String reference,
            Digest digest,
            String mediaType,
            byte[] manifest,
            Map<Platform, Digest> platformDigests) {}

    public ImagePusher(RegistryExtension registry) {
        this.registry = registry;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (registry.variant() == RegistryExtension.Variant.TLS) {
            builder.sslContext(trusting(registry));
        }
        this.http = builder.build();
    }

    private static SSLContext trusting(RegistryExtension registry) {
        try (InputStream in = Files.newInputStream(registry.caCertificate())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes blobs, child manifests by digest, then the artifact under {@code tag}. */
    public PushedImage push(String repository, String tag, TestImages.Artifact artifact) {
        for (TestImages.Blob blob : artifact.blobs()) {
            pushBlob(repository, blob);
        }
        for (TestImages.Image child : artifact.children()) {
            putManifest(repository, child.digest().toString(), child.mediaType(), child.bytes());
        }
        putManifest(repository, tag, artifact.mediaType(), artifact.bytes());
        Map<Platform, Digest> platforms =
                artifact instanceof TestImages.Index index ? index.platformDigests() : Map.of();
        return new PushedImage(
                registry.hostPort() + "/" + repository + ":" + tag,
                artifact.digest(),
                artifact.mediaType(),
                artifact.bytes(),
                platforms);
    }

    public void pushBlob(String repository, TestImages.Blob blob) {
        HttpResponse<String> start =
                send(
                        request(repository, "/v2/" + repository + "/blobs/uploads/")
                                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(start, 202, "start upload");
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put =
                registry.baseUri()
                        .resolve(
                                location
                                        + (location.contains("?") ? "&" : "?")
                                        + "digest="
                                        + blob.digest());
        HttpResponse<String> done =
                send(
                        authorized(HttpRequest.newBuilder(put), repository)
                                .header("Content-Type", "application/octet-stream")
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob.bytes())));
        expect(done, 201, "upload blob " + blob.digest());
    }

    public void putManifest(String repository, String reference, String mediaType, byte[] bytes) {
        HttpResponse<String> r =
                send(
                        request(repository, "/v2/" + repository + "/manifests/" + reference)
                                .header("Content-Type", mediaType)
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        expect(r, 201, "put manifest " + reference);
    }

    /** The digest a tag or digest resolves to, or empty. */
    public Optional<Digest> manifestDigest(String repository, String reference) {
        HttpResponse<String> r =
                send(
                        request(repository, "/v2/" + repository + "/manifests/" + reference)
                                .header("Accept", MediaTypes.acceptHeader())
                                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expect(r, 200, "HEAD manifest " + reference);
        return Optional.of(
                Digest.parse(r.headers().firstValue("Docker-Content-Digest").orElseThrow()));
    }

    public boolean tagExists(String repository, String tag) {
        return manifestDigest(repository, tag).isPresent();
    }

    public byte[] getManifest(String repository, String reference) {
        HttpResponse<byte[]> r =
                sendBytes(
                        request(repository, "/v2/" + repository + "/manifests/" + reference)
                                .header("Accept", MediaTypes.acceptHeader())
                                .GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET manifest " + reference + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    public byte[] getBlob(String repository, Digest digest) {
        HttpResponse<byte[]> r =
                sendBytes(request(repository, "/v2/" + repository + "/blobs/" + digest).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET blob " + digest + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    public boolean blobExists(String repository, Digest digest) {
        HttpResponse<String> r =
                send(
                        request(repository, "/v2/" + repository + "/blobs/" + digest)
                                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        return r.statusCode() == 200;
    }

    private HttpRequest.Builder request(String repository, String path) {
        return authorized(HttpRequest.newBuilder(registry.baseUri().resolve(path)), repository);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder, String repository) {
        String auth = registry.authorizationHeader(repository, "pull,push");
        return auth == null ? builder : builder.header("Authorization", auth);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(
            HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }
}
