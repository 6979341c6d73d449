package io.imagegate.testing;

/** One request as the registry's access log recorded it. */
public record RegistryRequest(String method, String path, int status) {
    public boolean isManifest() {
        return path.contains("/manifests/");
    }

    public boolean isBlob() {
        return path.contains("/blobs/");
    }
}
