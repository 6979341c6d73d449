package io.imagegate.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagegate.reference.ImageReference;
import java.time.LocalDate;
import java.util.Collection;

/**
 * An image allowed to scan empty (Trivy finds no package in it: a static binary, a scratch image),
 * by a glob on its name, with the reason, and optionally the date the allowance ends.
 *
 * @param expires a date like 2027-01-31, or null for no end
 */
public record EmptyScanEntry(
        @JsonProperty(value = "image", required = true) String imagePattern,
        @JsonProperty(value = "reason", required = true) String reason,
        @JsonProperty("expires") String expires) {

    public EmptyScanEntry {
        if (imagePattern == null || imagePattern.isBlank()) {
            throw new IllegalArgumentException(
                    "an allowEmptyScan entry needs an image glob (e.g."
                            + " \"registry.example.com/base/dockerfile*\")");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException(
                    "the allowEmptyScan entry for " + imagePattern + " needs a reason");
        }
        if (expires != null) {
            AllowlistEntry.checkDate("the allowEmptyScan entry for " + imagePattern, expires);
        }
    }

    /** Expired on {@code today}: honoured through its expiry date, not after. */
    public boolean isExpired(LocalDate today) {
        return expires != null && today.isAfter(LocalDate.parse(expires));
    }

    /** Whether its glob matches one of {@code names} (as allowlist entries match images). */
    public boolean matches(Collection<ImageReference> names) {
        return AllowlistEntry.matchesAny(imagePattern, names);
    }
}
