package io.imagegate.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagegate.finding.Vulnerability;
import io.imagegate.reference.ImageReference;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An accepted finding: a vulnerability ID, optionally only in a package and in images matching glob
 * patterns, with the reason it is accepted and the date the acceptance ends.
 */
public record AllowlistEntry(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty("package") String packagePattern,
        @JsonProperty("image") String imagePattern,
        @JsonProperty(value = "reason", required = true) String reason,
        @JsonProperty(value = "expires", required = true) String expires) {

    public AllowlistEntry {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(
                    "an allowlist entry needs an id (e.g. CVE-2024-1234)");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("the allowlist entry for " + id + " needs a reason");
        }
        Objects.requireNonNull(expires, "expires");
        // Four-digit years only: "+999999999-12-31" parses as a date, and would allowlist a finding
        // for ever.
        boolean valid = expires.matches("\\d{4}-\\d{2}-\\d{2}");
        if (valid) {
            try {
                LocalDate.parse(expires);
            } catch (DateTimeParseException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new IllegalArgumentException(
                    "the allowlist entry for "
                            + id
                            + " has expires \""
                            + expires
                            + "\", which is not a date like 2027-01-31");
        }
    }

    public LocalDate expiryDate() {
        return LocalDate.parse(expires);
    }

    /** Expired on {@code today}: the entry is honoured through its expiry date, not after. */
    public boolean isExpired(LocalDate today) {
        return today.isAfter(expiryDate());
    }

    public boolean matches(Vulnerability finding, ImageReference image) {
        return id.equals(finding.id())
                && (packagePattern == null
                        || glob(packagePattern).matcher(finding.packageName()).matches())
                && (imagePattern == null
                        || glob(imagePattern).matcher(image.name()).matches()
                        || glob(imagePattern).matcher(image.toString()).matches());
    }

    /** {@code *} matches any run of characters, {@code ?} one; everything else is literal. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
