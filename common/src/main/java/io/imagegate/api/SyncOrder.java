package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import io.imagegate.vetting.SyncFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a sync file's images against one another before anything is copied, and orders them: a
 * target named twice would flip between two images on every run; a quarantine that is, holds or
 * lies inside another image's target would overwrite a trusted tag; an image whose source is
 * another's target must wait for that one to be vetted.
 */
final class SyncOrder {
    private SyncOrder() {}

    /**
     * For each image, the index of the image it waits for (its source is that one's target), or -1.
     *
     * @throws ImageGateException a configuration error naming the images, for duplicates, overlaps
     *     and cycles
     */
    static List<Integer> plan(Path file, List<SyncFile.Entry> images, String quarantinePrefix) {
        List<Optional<ImageReference>> targets = new ArrayList<>();
        List<Optional<ImageReference>> quarantines = new ArrayList<>();
        Map<String, Integer> byTarget = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            SyncFile.Entry entry = images.get(i);
            Optional<ImageReference> target = Optional.empty();
            Optional<ImageReference> quarantine = Optional.empty();
            try {
                VetSpec spec =
                        VetSpec.builder()
                                .source(entry.source())
                                .target(entry.target())
                                .quarantine(quarantinePrefix)
                                .build();
                target = Optional.of(spec.resolvedTarget(spec.resolvedSource()));
                quarantine = Optional.of(spec.quarantineRepository(target.get()));
            } catch (ImageGateException e) {
                if ("vet.target-in-quarantine".equals(e.message().code())) {
                    throw ImageGateException.configuration(
                            "sync.quarantine-overlap",
                            "the sync file {0}, images[{1}]: the target {2} lies"
                                    + " inside the quarantine \"{3}\"; vetting another image would overwrite it; choose a quarantine outside"
                                    + " every target",
                            file,
                            i,
                            entry.target(),
                            quarantinePrefix == null
                                    ? VetSpec.DEFAULT_QUARANTINE
                                    : quarantinePrefix);
                }
                // any other mistake in this image is its own error when it is vetted; the others go
                // on
            }
            targets.add(target);
            quarantines.add(quarantine);
            if (target.isPresent()) {
                Integer earlier = byTarget.putIfAbsent(key(target.get()), i);
                if (earlier != null) {
                    throw ImageGateException.configuration(
                            "sync.duplicate-target",
                            "the sync file {0}: images[{1}] and images[{2}] both"
                                    + " have the target {3}; each trusted name can hold one image",
                            file,
                            earlier,
                            i,
                            target.get());
                }
            }
        }
        for (int i = 0; i < images.size(); i++) {
            if (quarantines.get(i).isEmpty()) {
                continue;
            }
            ImageReference q = quarantines.get(i).get();
            for (int j = 0; j < images.size(); j++) {
                if (targets.get(j).isEmpty()
                        || !targets.get(j).get().registry().equalsIgnoreCase(q.registry())) {
                    continue;
                }
                String t = targets.get(j).get().repository();
                if (t.equals(q.repository())
                        || t.startsWith(q.repository() + "/")
                        || q.repository().startsWith(t + "/")) {
                    throw ImageGateException.configuration(
                            "sync.quarantine-overlap",
                            "the sync file {0}: the quarantine {1} of images[{2}]"
                                    + " overlaps the target {3} of images[{4}]; vetting one would overwrite the other; choose a quarantine"
                                    + " outside every target",
                            file,
                            q.name(),
                            i,
                            targets.get(j).get(),
                            j);
                }
            }
        }
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Integer producer = null;
            try {
                ImageReference source = ImageReference.parse(images.get(i).source().strip());
                if (source.tag().isPresent()) {
                    producer = byTarget.get(key(source.withoutDigest()));
                }
            } catch (RuntimeException e) {
                // an invalid source is that image's own error
            }
            after.add(producer == null || producer == i ? -1 : producer);
        }
        topological(after, file);
        return after;
    }

    /**
     * An image's name as a map key: registry host names are case-insensitive, repositories and tags
     * are not.
     */
    private static String key(ImageReference image) {
        return image.registry().toLowerCase(java.util.Locale.ROOT)
                + "/"
                + image.repository()
                + ":"
                + image.tag().orElse("");
    }

    /** The images in an order where each comes after the one it waits for. */
    static List<Integer> topological(List<Integer> after) {
        return topological(after, null);
    }

    private static List<Integer> topological(List<Integer> after, Path file) {
        List<Integer> order = new ArrayList<>();
        int[] state = new int[after.size()]; // 0 new, 1 on the path, 2 placed
        for (int start = 0; start < after.size(); start++) {
            List<Integer> path = new ArrayList<>();
            int i = start;
            while (i >= 0 && state[i] == 0) {
                state[i] = 1;
                path.add(i);
                i = after.get(i);
            }
            if (i >= 0 && state[i] == 1) {
                throw ImageGateException.configuration(
                        "sync.cycle",
                        "the sync file {0}: images[{1}] and the images it waits for take"
                                + " their sources from one another''s targets, in a circle; give one of them an upstream source",
                        file,
                        i);
            }
            for (int k = path.size() - 1; k >= 0; k--) {
                state[path.get(k)] = 2;
                order.add(path.get(k));
            }
        }
        return order;
    }
}
