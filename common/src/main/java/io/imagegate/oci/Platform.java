package io.imagegate.oci;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import java.util.Locale;
import java.util.Objects;

/**
 * An OCI platform: {@code os/architecture[/variant]}, as in an index's descriptors and {@code
 * --platform}.
 */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null || variant.isEmpty() ? null : variant;
    }

    public static Platform of(String os, String architecture) {
        return new Platform(os, architecture, null);
    }

    /** Parses {@code os/arch[/variant]}, e.g. {@code linux/arm64/v8}. */
    public static Platform parse(String text) {
        String[] parts =
                text == null ? new String[0] : text.strip().toLowerCase(Locale.ROOT).split("/", -1);
        if (parts.length < 2
                || parts.length > 3
                || parts[0].isEmpty()
                || parts[1].isEmpty()
                || (parts.length == 3 && parts[2].isEmpty())) {
            throw ImageGateException.of(
                    ErrorKind.USAGE,
                    "platform.invalid",
                    "invalid platform \"{0}\": use os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8",
                    String.valueOf(text));
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /**
     * Whether an image of platform {@code candidate} satisfies this requested platform: os and
     * architecture equal, and the variant equal when this one names a variant.
     */
    public boolean matches(Platform candidate) {
        return os.equals(candidate.os)
                && architecture.equals(candidate.architecture)
                && (variant == null || variant.equals(candidate.variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }

    // Written out rather than generated, like Digest's: no invokedynamic bootstrap on first use.
    @Override
    public boolean equals(Object other) {
        return other instanceof Platform p
                && os.equals(p.os)
                && architecture.equals(p.architecture)
                && Objects.equals(variant, p.variant);
    }

    @Override
    public int hashCode() {
        return (31 * os.hashCode() + architecture.hashCode()) * 31 + Objects.hashCode(variant);
    }
}
