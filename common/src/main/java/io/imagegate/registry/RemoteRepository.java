package io.imagegate.registry;

import io.imagegate.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.reference.InvalidReferenceException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * One repository of one registry, with the scopes its requests carry: the distribution API's manifest and
 * blob operations (OCI distribution spec names).
 */
public final class RemoteRepository {
    /** Manifests and indexes are small; refuse anything larger (the OCI spec suggests registries accept 4 MiB). */
    public static final int MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

    private final RegistryTransport transport;
    private final String registry;
    private final String repository;
    private final Scopes scopes;

    RemoteRepository(RegistryTransport transport, String registry, String repository, Scopes scopes) {
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

    // ---------------------------------------------------------------- manifests

    /** HEAD of a manifest by tag or digest: its descriptor, or empty when the registry does not have it. */
    public Optional<Descriptor> headManifest(String reference) {
        try (RegistryTransport.Response r = transport.send(request("HEAD", manifestPath(reference))
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
                Manifest manifest = getManifest(reference);
                return Optional.of(manifest.descriptor());
            }
            String contentType = r.header("Content-Type").orElse("");
            int semicolon = contentType.indexOf(';');
            return Optional.of(new Descriptor(semicolon < 0 ? contentType : contentType.substring(0, semicolon).strip(),
                    parseDigest(digest.get()), Long.parseLong(r.header("Content-Length").orElse("-1"))));
        }
    }

    /**
     * GET of a manifest by tag or digest, verified: the bytes must hash to the digest asked for, or to the
     * {@code Docker-Content-Digest} the registry sent for a tag.
     */
    public Manifest getManifest(String reference) {
        try (RegistryTransport.Response r = transport.send(request("GET", manifestPath(reference))
                .withHeader("Accept", MediaTypes.acceptHeader()))) {
            if (r.status() == 404) {
                throw new RegistryException("manifest " + reference + " not found in " + where()
                        + "; check the image name and tag", 404, "MANIFEST_UNKNOWN");
            }
            if (r.status() != 200) {
                throw failure(r, "GET manifest " + reference + " of", "pull");
            }
            byte[] bytes = r.bodyBytes(MAX_MANIFEST_BYTES);
            Manifest manifest = Manifest.parse(bytes, r.header("Content-Type").orElse(""), where() + ":" + reference);
            Optional<Digest> expected = reference.contains(":") ? Optional.of(parseDigest(reference))
                    : r.header("Docker-Content-Digest").map(RemoteRepository::parseDigest);
            if (expected.isPresent() && !expected.get().matches(bytes)) {
                throw new RegistryException("the manifest " + reference + " served by " + where() + " does not match its digest "
                        + expected.get() + " (got " + manifest.digest() + "); the registry or a proxy altered it", 200, "DIGEST_INVALID");
            }
            return manifest;
        } catch (IOException e) {
            throw new RegistryException("reading manifest " + reference + " of " + where() + " failed: " + e.getMessage(), e);
        }
    }

    /** PUT of a manifest under a tag or its digest; the bytes are sent unchanged. */
    public void putManifest(String reference, Manifest manifest) {
        ByteArrayEntity body = new ByteArrayEntity(manifest.bytes(), ContentType.create(manifest.mediaType()));
        try (RegistryTransport.Response r = transport.send(request("PUT", manifestPath(reference))
                .withHeader("Content-Type", manifest.mediaType()).withBody(body))) {
            if (r.status() != 201 && r.status() != 200) {
                throw failure(r, "PUT manifest " + reference + " to", "push");
            }
            Optional<String> digest = r.header("Docker-Content-Digest");
            if (digest.isPresent() && !digest.get().equals(manifest.digest().toString())) {
                throw new RegistryException(where() + " stored manifest " + reference + " as " + digest.get() + " instead of "
                        + manifest.digest() + "; the registry rewrote it", r.status(), "DIGEST_INVALID");
            }
        }
    }

    private String manifestPath(String reference) {
        return "/v2/" + repository + "/manifests/" + reference;
    }

    // ---------------------------------------------------------------- blobs

    /** HEAD of a blob: whether the repository has it. */
    public boolean hasBlob(Digest digest) {
        try (RegistryTransport.Response r = transport.send(request("HEAD", blobPath(digest)))) {
            if (r.status() == 200) {
                return true;
            }
            if (r.status() == 404) {
                return false;
            }
            throw failure(r, "HEAD blob " + digest.shortForm() + " of", "pull");
        }
    }

    /** An open blob download; the caller closes it. Redirects to storage hosts are followed without credentials. */
    public BlobDownload openBlob(Descriptor blob) {
        RegistryTransport.Response r = transport.send(request("GET", blobPath(blob.digest())));
        if (r.status() != 200) {
            try (r) {
                throw r.status() == 404
                        ? new RegistryException("blob " + blob.digest() + " not found in " + where()
                                + " although a manifest lists it; the source image is incomplete", 404, "BLOB_UNKNOWN")
                        : failure(r, "GET blob " + blob.digest().shortForm() + " of", "pull");
            }
        }
        try {
            return new BlobDownload(r, r.body());
        } catch (IOException e) {
            r.close();
            throw new RegistryException("reading blob " + blob.digest().shortForm() + " of " + where() + " failed: " + e.getMessage(), e);
        }
    }

    /** A blob body being downloaded. */
    public record BlobDownload(RegistryTransport.Response response, InputStream body) implements AutoCloseable {
        @Override
        public void close() {
            response.close();
        }

        /** For an aborted copy: drop the connection rather than draining the rest. */
        public void abort() {
            response.abort();
        }
    }

    /**
     * Cross-repository mount within this registry: {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repo>}.
     * Returns empty when mounted; otherwise the upload session the registry opened instead, to upload into.
     */
    public Optional<String> mountBlob(Digest digest, String fromRepository) {
        try (RegistryTransport.Response r = transport.send(request("POST",
                "/v2/" + repository + "/blobs/uploads/?mount=" + digest + "&from=" + fromRepository))) {
            if (r.status() == 201) {
                return Optional.empty();
            }
            if (r.status() == 202) {
                return Optional.of(location(r));
            }
            throw failure(r, "mount blob " + digest.shortForm() + " from " + fromRepository + " into", "push");
        }
    }

    /** Opens an upload session: its {@code Location}. */
    public String startUpload() {
        try (RegistryTransport.Response r = transport.send(request("POST", "/v2/" + repository + "/blobs/uploads/"))) {
            if (r.status() != 202) {
                throw failure(r, "start a blob upload to", "push");
            }
            return location(r);
        }
    }

    /**
     * Uploads a blob streamed from {@code source}, hashing each byte once on the way: as one monolithic PUT
     * when the size is at most {@code chunkThreshold}, else in PATCH chunks of {@code chunkSize}. The digest is
     * checked before the upload is committed; on a mismatch the session is abandoned (DELETE) and
     * {@link DigestMismatchException} is thrown, wrapped in {@link UncheckedIOException}.
     */
    public void uploadBlob(Descriptor blob, InputStream source, String uploadLocation, long chunkThreshold, long chunkSize,
                           LongConsumer progress) throws DigestMismatchException {
        HashingInputStream hashing = new HashingInputStream(source, blob.digest(), blob.size());
        String what = "blob " + blob.digest().shortForm() + " for " + where();
        String location = uploadLocation;
        try {
            if (blob.size() >= 0 && blob.size() <= chunkThreshold) {
                VerifiedUploadEntity body = new VerifiedUploadEntity(hashing, blob.size(), true, what, progress);
                commit(location, blob.digest(), body);
                return;
            }
            while (true) {
                VerifiedUploadEntity chunk = new VerifiedUploadEntity(hashing, chunkSize, false, what, progress);
                long before = hashing.count();
                // The chunk entity reads up to chunkSize bytes; an empty chunk means the source is done.
                try (RegistryTransport.Response r = transport.send(request("PATCH", location)
                        .withHeader("Content-Type", "application/octet-stream").withBody(chunk))) {
                    if (r.status() != 202) {
                        throw failure(r, "upload a chunk of " + blob.digest().shortForm() + " to", "push");
                    }
                    location = location(r);
                }
                long sent = hashing.count() - before;
                if (sent < chunkSize) {
                    break;
                }
            }
            hashing.verify(what);
            commit(location, blob.digest(), null);
        } catch (DigestMismatchException e) {
            abandon(location);
            throw e;
        } catch (RegistryException e) {
            if (e.getCause() instanceof DigestMismatchException mismatch) {
                abandon(location);
                throw mismatch;
            }
            abandon(location);
            throw e;
        }
    }

    private void commit(String location, Digest digest, VerifiedUploadEntity body) {
        String target = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
        RegistryTransport.Request put = request("PUT", target);
        if (body != null) {
            put = put.withHeader("Content-Type", "application/octet-stream").withBody(body);
        }
        try (RegistryTransport.Response r = transport.send(put)) {
            if (r.status() != 201) {
                throw failure(r, "commit blob " + digest.shortForm() + " to", "push");
            }
        }
    }

    /** Best effort: tell the registry to drop an unfinished upload. */
    private void abandon(String location) {
        try (RegistryTransport.Response ignored = transport.send(request("DELETE", location))) {
            // 204 or 404 both mean it is gone
        } catch (RuntimeException ignored) {
            // the session expires on its own
        }
    }

    private String blobPath(Digest digest) {
        return "/v2/" + repository + "/blobs/" + digest;
    }

    private String location(RegistryTransport.Response r) {
        return r.header("Location").orElseThrow(() -> new RegistryException(
                where() + " opened an upload without a Location header", r.status(), ""));
    }

    private static Digest parseDigest(String text) {
        try {
            return Digest.parse(text);
        } catch (InvalidReferenceException e) {
            throw new ImageGateException("the registry sent an invalid digest: " + e.getMessage());
        }
    }

    /** Turns an error answer into an exception that says what was attempted, where, and what to do. */
    RegistryException failure(RegistryTransport.Response r, String action, String access) {
        byte[] body;
        try {
            body = r.bodyBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        String code = RegistryTransport.errorCode(body);
        String message = action + " " + where() + " failed: HTTP " + r.status() + RegistryTransport.errorSummary(body);
        if (r.status() == 401 || r.status() == 403 || code.equals("DENIED") || code.equals("UNAUTHORIZED")) {
            message += "; the credentials used for " + registry + " do not allow " + access + " on " + repository
                    + " (check docker login / the credentials given for this registry and their permissions)";
        } else if (r.status() == 429 || code.equals("TOOMANYREQUESTS")) {
            message += "; the registry's rate limit was reached: retry later, authenticate, or import from a mirror";
        }
        return new RegistryException(message, r.status(), code);
    }
}
