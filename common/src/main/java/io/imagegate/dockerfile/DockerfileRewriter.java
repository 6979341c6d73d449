package io.imagegate.dockerfile;

import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rewrites a Dockerfile's image references through an {@link ImageMapping}, changing only the
 * reference text: comments, spacing, case, flags and aliases stay byte-identical. Rewriting twice
 * equals rewriting once. A reference that cannot be rewritten safely (a variable in its repository,
 * an ARG without a value, split across lines) is reported, not mangled.
 */
public final class DockerfileRewriter {
    /** One change, or one reference left alone with the reason. */
    public record Change(ImageRef ref, Optional<String> replacement, Optional<Message> skipped) {
        /**
         * Whether the reference needs an edit by hand: it was left alone (or left unpinned) for a
         * reason other than the mapping not covering it.
         */
        public boolean needsEdit() {
            return skipped.isPresent() && !skipped.get().code().equals(NO_RULE);
        }
    }

    /** The outcome for one file: its new text and the changes. */
    public record Result(Path file, String original, String rewritten, List<Change> changes) {
        public boolean changed() {
            return !original.equals(rewritten);
        }

        /** A line diff of the change: {@code -N: old} / {@code +N: new}. */
        public List<String> diff() {
            List<String> out = new ArrayList<>();
            List<String> before = lines(original);
            List<String> after = lines(rewritten);
            for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
                String a = i < before.size() ? before.get(i) : null;
                String b = i < after.size() ? after.get(i) : null;
                if (a == null || !a.equals(b)) {
                    if (a != null) {
                        out.add(file + ":" + (i + 1) + ": - " + a);
                    }
                    if (b != null) {
                        out.add(file + ":" + (i + 1) + ": + " + b);
                    }
                }
            }
            return out;
        }
    }

    private DockerfileRewriter() {}

    /**
     * The lines as BuildKit and the reader see them: ended by \n only (a lone \r is part of its
     * line).
     */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            out.add(
                    text.substring(
                            start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end));
            start = nl < 0 ? text.length() : nl + 1;
        }
        return out;
    }

    /** Offsets where each line starts (lines end at \n only), the BOM skipped on the first. */
    private static int[] lineStarts(String text) {
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        int[] starts = new int[count];
        int k = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts[k++] = i + 1;
            }
        }
        if (text.startsWith("\uFEFF")) {
            starts[0] = 1; // columns on the first line do not count the BOM
        }
        return starts;
    }

    /** The code of a reference no mapping rule matches: left alone on purpose, not a problem. */
    public static final String NO_RULE = "rewrite.no-rule";

    /** The code of a reference with a templated tag that pinning leaves unpinned. */
    public static final String PIN_TEMPLATED = "rewrite.pin-templated";

    /**
     * What to make of one reference: a new reference to write, or nothing (left alone silently), or
     * left alone with the reason.
     */
    public record Target(Optional<ImageReference> reference, Optional<Message> skipped) {
        public static Target to(ImageReference reference) {
            return new Target(Optional.of(reference), Optional.empty());
        }

        public static Target none() {
            return new Target(Optional.empty(), Optional.empty());
        }

        public static Target skip(Message reason) {
            return new Target(Optional.empty(), Optional.of(reason));
        }
    }

    /**
     * Computes the rewrite of {@code text}, each resolved reference changed to what {@code decide}
     * makes of it, with the same safety as a mapping rewrite: a reference written through an ARG
     * (its default is changed instead when that is a literal), not literal, or split across lines
     * is reported, not mangled.
     */
    public static Result rewrite(Path file, String text, Function<ImageReference, Target> decide) {
        List<ImageRef> refs =
                DockerfileReader.read(file, text, java.util.Map.of(), Optional.empty());
        List<Change> changes = new ArrayList<>();
        List<Change> applicable = new ArrayList<>();
        for (ImageRef ref : refs) {
            if (ref.reference().isEmpty()) {
                changes.add(
                        new Change(
                                ref,
                                Optional.empty(),
                                Optional.of(
                                        Message.of(
                                                "rewrite.unresolved",
                                                "unresolved: {0}",
                                                ref.error().map(Object.class::cast).orElse("")))));
                continue;
            }
            ImageReference current = ref.reference().get();
            Target decided = decide.apply(current);
            if (decided.reference().isEmpty()) {
                decided.skipped()
                        .ifPresent(
                                reason ->
                                        changes.add(
                                                new Change(
                                                        ref,
                                                        Optional.empty(),
                                                        Optional.of(reason))));
                continue;
            }
            ImageReference target = decided.reference().get();
            if (target.equals(current)) {
                continue; // already rewritten (and pinned, if asked)
            }
            if (ref.written().contains("$")) {
                Optional<ImageRef.ArgDefault> arg =
                        ref.viaArg().filter(a -> !a.written().contains("$"));
                if (arg.isEmpty()) {
                    changes.add(
                            new Change(
                                    ref,
                                    Optional.empty(),
                                    Optional.of(
                                            Message.of(
                                                    "rewrite.through-arg",
                                                    "written through an ARG ({0}) whose default cannot be rewritten safely; make it {1}",
                                                    ref.written(),
                                                    target))));
                    continue;
                }
                // FROM $BASE: the ARG's default is what to change.
                ImageRef.ArgDefault a = arg.get();
                ImageRef argSpan =
                        new ImageRef(
                                ref.file(),
                                a.line(),
                                a.column(),
                                a.line(),
                                a.endColumn(),
                                a.written(),
                                ref.reference(),
                                ref.kind(),
                                Optional.empty(),
                                Optional.empty());
                Change change =
                        new Change(argSpan, Optional.of(target.toString()), Optional.empty());
                changes.add(change);
                if (applicable.stream()
                        .noneMatch(
                                c ->
                                        c.ref().line() == a.line()
                                                && c.ref().column() == a.column())) {
                    applicable.add(change);
                }
                continue;
            }
            if (!RewritePlan.literal(ref.written(), current)) {
                changes.add(
                        new Change(
                                ref,
                                Optional.empty(),
                                Optional.of(
                                        Message.of(
                                                "rewrite.not-literal",
                                                "{0} does not name {1} as written (a stage index, quotes or escapes); write the image there, then rewrite",
                                                ref.written(),
                                                current))));
                continue;
            }
            if (ref.line() != ref.endLine()) {
                changes.add(
                        new Change(
                                ref,
                                Optional.empty(),
                                Optional.of(
                                        Message.of(
                                                "rewrite.split",
                                                "split across lines; join it, then rewrite"))));
                continue;
            }
            Change change = new Change(ref, Optional.of(target.toString()), Optional.empty());
            changes.add(change);
            applicable.add(change);
        }
        return new Result(file, text, apply(file, text, applicable), changes);
    }

    /**
     * Computes the rewrite of {@code text} as a build without build args reads it. {@code pin}
     * resolves a mapped reference to its digest (empty: no pinning); the written form keeps the
     * tag: {@code name:tag@sha256:…}.
     */
    public static Result rewrite(
            Path file,
            String text,
            ImageMapping mapping,
            Optional<Function<ImageReference, Digest>> pin) {
        return rewrite(file, text, mapping, pin, Map.of());
    }

    /**
     * Computes the rewrite of {@code text}, read with the ARG defaults and with {@code buildArgs}
     * (when there are any): a change is made only when it is right for both. A reference whose tag
     * is written with variables has its repository rewritten and the variables kept; it is never
     * pinned (one digest would build one image whatever the variables say).
     */
    public static Result rewrite(
            Path file,
            String text,
            ImageMapping mapping,
            Optional<Function<ImageReference, Digest>> pin,
            Map<String, String> buildArgs) {
        return RewritePlan.rewrite(file, text, mapping, pin, buildArgs);
    }

    /**
     * Line {@code ref.line()} of {@code text} with the reference replaced by {@code replacement},
     * or {@code replacement} itself when the line does not hold the reference where it was read.
     */
    public static String editedLine(String text, ImageRef ref, String replacement) {
        List<String> all = lines(text);
        if (ref.line() < 1 || ref.line() > all.size() || ref.line() != ref.endLine()) {
            return replacement;
        }
        String line = all.get(ref.line() - 1);
        if (ref.line() == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        int start = ref.column() - 1;
        if (start < 0 || !line.startsWith(ref.written(), start)) {
            return replacement;
        }
        return line.substring(0, start)
                + replacement
                + line.substring(start + ref.written().length());
    }

    /**
     * The text with each change's span replaced: one line model for reading and writing, and every
     * span must still hold the text that was read there, else nothing is rewritten.
     */
    static String apply(Path file, String text, List<Change> applicable) {
        int[] starts = lineStarts(text);
        List<Edit> edits = new ArrayList<>();
        for (Change c : applicable) {
            ImageRef r = c.ref();
            int start = r.line() - 1 < starts.length ? starts[r.line() - 1] + r.column() - 1 : -1;
            int end = start + r.written().length();
            if (start < 0
                    || end > text.length()
                    || r.endColumn() - r.column() != r.written().length()
                    || !text.startsWith(r.written(), start)
                    || text.substring(start, end).indexOf('\n') >= 0) {
                throw ImageGateException.configuration(
                        "rewrite.span-mismatch",
                        "{0}:{1}:{2}: the text there is not {3}, which was read"
                                + " there; nothing was rewritten",
                        file,
                        r.line(),
                        r.column(),
                        r.written());
            }
            edits.add(new Edit(start, end, c.replacement().get()));
        }
        edits.sort(Comparator.comparingInt(Edit::start));
        StringBuilder out = new StringBuilder(text.length() + 64 * edits.size());
        int at = 0;
        for (Edit e : edits) {
            if (e.start() < at) {
                throw ImageGateException.configuration(
                        "rewrite.span-overlap",
                        "{0}: two references overlap; nothing was rewritten",
                        file);
            }
            out.append(text, at, e.start()).append(e.replacement());
            at = e.end();
        }
        out.append(text, at, text.length());
        return out.toString();
    }

    /** One replacement: text[start, end) becomes {@code replacement}. */
    private record Edit(int start, int end, String replacement) {}

    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Replaces the file with the rewritten text atomically: a temporary file beside it, with the
     * file's permissions, owner and group, renamed over it. A symbolic link is written through to
     * its target (the link stays). Refused, leaving the file as it is: a read-only file, a file
     * with several hard links (the other names would keep the old text), and a file that changed
     * since it was read (an edit by someone else, or a concurrent rewrite).
     */
    public static void write(Result result) {
        Path file = result.file();
        Path target;
        PosixFileAttributes attributes;
        try {
            target = file.toRealPath();
            attributes = Files.readAttributes(target, PosixFileAttributes.class);
        } catch (IOException e) {
            throw ImageGateException.configuration(
                            "rewrite.write-failed",
                            "cannot rewrite {0}: {1}; the file is unchanged",
                            file,
                            String.valueOf(e.getMessage()))
                    .withCause(e);
        }
        if (!attributes.isRegularFile()) {
            throw ImageGateException.configuration(
                    "rewrite.not-a-file", "cannot rewrite {0}: it is not a regular file", file);
        }
        if (!attributes.permissions().contains(PosixFilePermission.OWNER_WRITE)
                || !Files.isWritable(target)) {
            throw ImageGateException.configuration(
                    "rewrite.read-only",
                    "{0} is read-only; make it writable to rewrite it (it is unchanged)",
                    file);
        }
        int links = linkCount(target);
        if (links > 1) {
            throw ImageGateException.configuration(
                    "rewrite.hard-links",
                    "{0} has {1} hard links; rewriting it would leave the other names"
                            + " with the old text: rewrite a copy, or remove the other links first (it is unchanged)",
                    file,
                    links);
        }
        synchronized (LOCKS.computeIfAbsent(target, k -> new Object())) {
            Path temp = null;
            try (FileChannel channel =
                            FileChannel.open(
                                    target, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                byte[] now = Files.readAllBytes(target);
                if (!new String(now, StandardCharsets.UTF_8).equals(result.original())
                        || !java.util.Arrays.equals(
                                now, result.original().getBytes(StandardCharsets.UTF_8))) {
                    throw ImageGateException.configuration(
                            "rewrite.changed",
                            "{0} changed since it was read (edited, or rewritten at the"
                                    + " same time); nothing was written: rewrite it again",
                            file);
                }
                temp =
                        Files.createTempFile(
                                target.getParent(), "." + target.getFileName(), ".imagegate");
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    ByteBuffer bytes =
                            ByteBuffer.wrap(result.rewritten().getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                    out.force(true);
                }
                PosixFileAttributeView view =
                        Files.getFileAttributeView(temp, PosixFileAttributeView.class);
                view.setPermissions(attributes.permissions());
                try {
                    view.setGroup(attributes.group());
                    view.setOwner(attributes.owner());
                } catch (IOException e) {
                    throw ImageGateException.configuration(
                            "rewrite.owner",
                            "cannot rewrite {0}: it belongs to {1}:{2} and a rewritten file"
                                    + " could not keep that owner ({3}); it is unchanged",
                            file,
                            attributes.owner().getName(),
                            attributes.group().getName(),
                            String.valueOf(e.getMessage()));
                }
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                temp = null;
            } catch (IOException e) {
                throw ImageGateException.configuration(
                                "rewrite.write-failed",
                                "cannot rewrite {0}: {1}; the file is unchanged",
                                file,
                                String.valueOf(e.getMessage()))
                        .withCause(e);
            } finally {
                if (temp != null) {
                    try {
                        Files.deleteIfExists(temp);
                    } catch (IOException ignored) {
                        // the temporary file is named .<file>…imagegate; nothing else was touched
                    }
                }
            }
        }
    }

    private static int linkCount(Path file) {
        try {
            return ((Number) Files.getAttribute(file, "unix:nlink")).intValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }
}
