package io.imagegate.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.imagegate.reference.ImageReference;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The policy's {@code allowEmptyScan}: which images may scan empty. Either {@code true} (every
 * image: the older, policy-wide form), {@code false} (none, the default), or a list of entries,
 * each an image glob with its reason:
 *
 * <pre>
 * allowEmptyScan:
 *   - image: "registry.example.com/base/dockerfile*"
 *     reason: BuildKit's Dockerfile frontend, a static Go binary
 *     expires: 2027-01-31   # optional
 * </pre>
 *
 * @param everyImage {@code allowEmptyScan: true}
 * @param entries the images allowed, by glob
 */
public record EmptyScans(boolean everyImage, List<EmptyScanEntry> entries) {
    /** More entries than this is not a list anyone reviews. */
    static final int MAX_ENTRIES = 256;

    /** The reason recorded for an image let through by {@code allowEmptyScan: true}. */
    static final EmptyScanEntry EVERY_IMAGE =
            new EmptyScanEntry("*", "allowEmptyScan: true (every image)", null);

    public static final EmptyScans NONE = new EmptyScans(false, List.of());

    // Never from a mapping: only true, false or a list are policy (the creators below).
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public EmptyScans {
        entries = List.copyOf(entries);
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(
                    "allowEmptyScan lists " + entries.size() + " entries; at most " + MAX_ENTRIES);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static EmptyScans of(boolean everyImage) {
        return everyImage ? new EmptyScans(true, List.of()) : NONE;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static EmptyScans of(List<EmptyScanEntry> entries) {
        if (entries.stream().anyMatch(e -> e == null)) {
            throw new IllegalArgumentException(
                    "allowEmptyScan lists an empty entry; give each an image and a reason");
        }
        return new EmptyScans(false, entries);
    }

    /**
     * What lets an empty scan of the image known by {@code names} pass on {@code today}: of the
     * live entries whose glob matches one of them, the one that lasts longest (whatever the order
     * they are written in), or {@link #EVERY_IMAGE}; empty when nothing does.
     */
    public Optional<EmptyScanEntry> allowing(Collection<ImageReference> names, LocalDate today) {
        if (everyImage) {
            return Optional.of(EVERY_IMAGE);
        }
        return entries.stream()
                .filter(e -> !e.isExpired(today) && e.matches(names))
                .max(
                        java.util.Comparator.comparing(
                                        (EmptyScanEntry e) ->
                                                e.expires() == null ? "9999-99-99" : e.expires())
                                .thenComparing(EmptyScanEntry::imagePattern)
                                .thenComparing(EmptyScanEntry::reason));
    }

    /** The entries that match the image but have expired on {@code today}, for the reason. */
    List<EmptyScanEntry> expired(Collection<ImageReference> names, LocalDate today) {
        return entries.stream().filter(e -> e.isExpired(today) && e.matches(names)).toList();
    }
}
