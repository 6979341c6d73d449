package io.imagegate.scan;

import io.imagegate.oci.Platform;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;

/**
 * Trivy's own JSON report of one scan, as Trivy wrote it, kept to be written beside imagegate's
 * reports (for tools that read Trivy's format, such as the warnings-ng plugin). Only a report of at
 * most {@link #MAX_KEPT} bytes is kept, and only when the options ask for it; its bytes are never
 * changed or handed out.
 */
public final class TrivyJson {
    /**
     * The largest report kept: a real one for a large image with every package listed is a few MB.
     */
    public static final int MAX_KEPT = 64 << 20;

    private final byte[] bytes;
    private final Optional<Platform> platform;

    private TrivyJson(byte[] bytes, Optional<Platform> platform) {
        this.bytes = bytes;
        this.platform = platform;
    }

    /**
     * {@code bytes} kept, when no larger than {@link #MAX_KEPT}; the caller hands them over and
     * changes them no more.
     */
    public static Optional<TrivyJson> keep(byte[] bytes) {
        return bytes.length <= MAX_KEPT
                ? Optional.of(new TrivyJson(bytes, Optional.empty()))
                : Optional.empty();
    }

    /**
     * The same report, as the scan of {@code scanned} (a platform of a multi-arch image, or none).
     */
    public TrivyJson of(Optional<Platform> scanned) {
        return new TrivyJson(bytes, scanned);
    }

    /** The platform scanned, for a multi-arch image. */
    public Optional<Platform> platform() {
        return platform;
    }

    public int size() {
        return bytes.length;
    }

    /** The report's bytes to read, without a copy. */
    public InputStream open() {
        return new ByteArrayInputStream(bytes);
    }
}
