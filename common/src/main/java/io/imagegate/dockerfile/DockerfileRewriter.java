package io.imagegate.dockerfile;

import io.imagegate.api.ImageGateException;
import io.imagegate.api.Message;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rewrites a Dockerfile's image references through an {@link ImageMapping}, changing only the reference text:
 * comments, spacing, case, flags and aliases stay byte-identical. Rewriting twice equals rewriting once.
 * A reference that cannot be rewritten safely (written through an ARG, or split across lines) is reported,
 * not mangled.
 */
public final class DockerfileRewriter {
    /** One change, or one reference left alone with the reason. */
    public record Change(ImageRef ref, Optional<String> replacement, Optional<Message> skipped) {
    }

    /** The outcome for one file: its new text and the changes. */
    public record Result(Path file, String original, String rewritten, List<Change> changes) {
        public boolean changed() {
            return !original.equals(rewritten);
        }

        /** A line diff of the change: {@code -N: old} / {@code +N: new}. */
        public List<String> diff() {
            List<String> out = new ArrayList<>();
            List<String> before = original.lines().toList();
            List<String> after = rewritten.lines().toList();
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

    private DockerfileRewriter() {
    }

    /**
     * Computes the rewrite of {@code text}. {@code pin} resolves a mapped reference to its digest (empty: no
     * pinning); the written form keeps the tag: {@code name:tag@sha256:…}.
     */
    public static Result rewrite(Path file, String text, ImageMapping mapping, Optional<Function<ImageReference, Digest>> pin) {
        List<ImageRef> refs = DockerfileReader.read(file, text, java.util.Map.of(), Optional.empty());
        List<Change> changes = new ArrayList<>();
        List<String> lines = new ArrayList<>(List.of(text.split("(?<=\n)", -1)));
        List<Change> applicable = new ArrayList<>();
        for (ImageRef ref : refs) {
            if (ref.reference().isEmpty()) {
                changes.add(new Change(ref, Optional.empty(), Optional.of(Message.of("rewrite.unresolved", "unresolved: {0}",
                        ref.error().map(Object.class::cast).orElse("")))));
                continue;
            }
            ImageReference current = ref.reference().get();
            Optional<ImageReference> mapped = mapping.isTarget(current) ? Optional.of(current) : mapping.map(current);
            if (mapped.isEmpty()) {
                changes.add(new Change(ref, Optional.empty(), Optional.of(Message.of("rewrite.no-rule", "no mapping rule matches {0}",
                        current.name()))));
                continue;
            }
            ImageReference target = mapped.get();
            if (pin.isPresent() && !target.isPinned()) {
                target = target.withDigest(pin.get().apply(target));
            }
            if (target.equals(current)) {
                continue; // already rewritten (and pinned, if asked)
            }
            if (ref.written().contains("$")) {
                Optional<ImageRef.ArgDefault> arg = ref.viaArg().filter(a -> !a.written().contains("$"));
                if (arg.isEmpty()) {
                    changes.add(new Change(ref, Optional.empty(), Optional.of(Message.of("rewrite.through-arg",
                            "written through an ARG ({0}) whose default cannot be rewritten safely; make it {1}", ref.written(), target))));
                    continue;
                }
                // FROM $BASE: the ARG's default is what to change.
                ImageRef.ArgDefault a = arg.get();
                ImageRef argSpan = new ImageRef(ref.file(), a.line(), a.column(), a.line(), a.endColumn(), a.written(), ref.reference(),
                        ref.kind(), Optional.empty(), Optional.empty());
                Change change = new Change(argSpan, Optional.of(target.toString()), Optional.empty());
                changes.add(change);
                if (applicable.stream().noneMatch(c -> c.ref().line() == a.line() && c.ref().column() == a.column())) {
                    applicable.add(change);
                }
                continue;
            }
            if (ref.line() != ref.endLine()) {
                changes.add(new Change(ref, Optional.empty(), Optional.of(Message.of("rewrite.split",
                        "split across lines; join it, then rewrite"))));
                continue;
            }
            Change change = new Change(ref, Optional.of(target.toString()), Optional.empty());
            changes.add(change);
            applicable.add(change);
        }
        // Right to left within a line, so earlier columns stay valid.
        applicable.sort(Comparator.comparingInt((Change c) -> c.ref().line()).thenComparing(c -> -c.ref().column()));
        for (Change c : applicable) {
            int index = c.ref().line() - 1;
            String line = lines.get(index);
            int start = c.ref().column() - 1;
            int end = c.ref().endColumn() - 1;
            if (index == 0 && line.startsWith("\uFEFF")) {
                start++;
                end++;
            }
            lines.set(index, line.substring(0, start) + c.replacement().get() + line.substring(end));
        }
        return new Result(file, text, String.join("", lines), changes);
    }

    /** Replaces the file atomically (temp file in the same directory, permissions kept, then a move). */
    public static void write(Result result) {
        Path file = result.file();
        try {
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".imagegate");
            try {
                Files.writeString(temp, result.rewritten());
                PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
                if (view != null) {
                    Files.setPosixFilePermissions(temp, view.readAttributes().permissions());
                }
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw ImageGateException.configuration("rewrite.write-failed", "cannot rewrite {0}: {1}; the file is unchanged", file,
                    String.valueOf(e.getMessage())).withCause(e);
        }
    }
}
