package io.imagegate.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imagegate.finding.Vulnerability;
import io.imagegate.reference.ImageReference;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
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
        checkDate("the allowlist entry for " + id, expires);
    }

    /**
     * Refuses {@code expires} unless it is a date like 2027-01-31; {@code what} names the entry.
     */
    static void checkDate(String what, String expires) {
        // Four-digit years only: "+999999999-12-31" parses as a date, and would allow a finding
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
                    what + " has expires \"" + expires + "\", which is not a date like 2027-01-31");
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
        return matches(finding, List.of(image));
    }

    /**
     * Whether it accepts {@code finding} in the image known by {@code names}: the name scanned and,
     * in a vet, the trusted name it is vetted for. The image glob matches when it matches one of
     * them.
     */
    public boolean matches(Vulnerability finding, Collection<ImageReference> names) {
        return id.equals(finding.id())
                && (packagePattern == null
                        || glob(packagePattern).matcher(finding.packageName()).matches())
                && (imagePattern == null || matchesAny(imagePattern, names));
    }

    /** Whether the glob {@code pattern} matches a name (or the whole reference) of one of them. */
    static boolean matchesAny(String pattern, Collection<ImageReference> names) {
        Pattern p = glob(pattern);
        return names.stream()
                .anyMatch(
                        image ->
                                p.matcher(image.name()).matches()
                                        || p.matcher(image.toString()).matches());
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
