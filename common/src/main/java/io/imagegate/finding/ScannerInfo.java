package io.imagegate.finding;

import java.util.Optional;

/**
 * Which scanner produced findings, and how fresh its vulnerability data was: recorded in every
 * verdict.
 *
 * @param name the scanner, e.g. {@code trivy}
 * @param version its version
 * @param dbUpdatedAt when its vulnerability DB was last updated (RFC 3339), if known
 * @param dbNextUpdate when the DB is due for its next update, if known
 */
public record ScannerInfo(
        String name, String version, Optional<String> dbUpdatedAt, Optional<String> dbNextUpdate) {
    /**
     * No scanner ran: the image was judged before any scan (its upstream signatures did not
     * verify).
     */
    public static final ScannerInfo NONE =
            new ScannerInfo("none", "", Optional.empty(), Optional.empty());

    public ScannerInfo {
        dbUpdatedAt = dbUpdatedAt == null ? Optional.empty() : dbUpdatedAt;
        dbNextUpdate = dbNextUpdate == null ? Optional.empty() : dbNextUpdate;
    }
}
