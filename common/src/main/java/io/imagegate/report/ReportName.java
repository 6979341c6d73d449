package io.imagegate.report;

import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The stem of an image's report file names: short and readable, the repository's last segment and
 * the tag ({@code alpine_3.20}), then {@code -} and 16 hex digits of the SHA-256 of the whole
 * reference with its digest. The same image (name and digest) has the same stem whichever goal
 * wrote it (a scan of the trusted name, the vet that promoted it there); two images never share
 * one, however their readable parts were cut or folded, and a name is only letters, digits, {@code
 * .}, {@code _} and {@code -}, never starting with {@code .}: it cannot leave the report directory.
 */
public final class ReportName {
    /**
     * The readable part's bound: the stem, its suffixes and a temporary file's stay well below 255
     * bytes, and a listing of the report directory stays legible.
     */
    static final int READABLE_MAX = 48;

    /** A platform's bound in the name of a Trivy report. */
    static final int PLATFORM_MAX = 40;

    private static final int HASH_HEX = 16;

    private ReportName() {}

    /**
     * The stem for {@code image}: {@code lastSegment_tag} (or the digest's short form), then the
     * hash of the whole reference.
     */
    public static String stem(ImageReference image) {
        String repository = image.repository();
        String readable =
                repository.substring(repository.lastIndexOf('/') + 1)
                        + "_"
                        + image.tag()
                                .orElseGet(() -> image.digest().map(Digest::shortForm).orElse(""));
        return stem(readable, image.toString());
    }

    /**
     * {@code readable} made a bounded file name, then the hash of {@code identity}, which decides
     * the name alone.
     */
    static String stem(String readable, String identity) {
        String hash =
                HexFormat.of()
                        .formatHex(
                                Digest.newSha256()
                                        .digest(identity.getBytes(StandardCharsets.UTF_8)))
                        .substring(0, HASH_HEX);
        return safe(readable, READABLE_MAX) + "-" + hash;
    }

    /**
     * {@code text} as part of a file name: every character but ASCII letters, digits, {@code .},
     * {@code _} and {@code -} made {@code _}, never starting with {@code .} (so never {@code .} or
     * {@code ..}), at most {@code max}.
     */
    static String safe(String text, int max) {
        String name = text.replaceAll("[^A-Za-z0-9._-]", "_");
        name = name.isEmpty() || name.startsWith(".") ? "_" + name : name;
        return name.length() > max ? name.substring(0, max) : name;
    }
}
