package io.imagegate.dockerfile;

import io.imagegate.dockerfile.DockerfileRewriter.Change;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to write for each reference of one file. The file serves every build, so it is read as the
 * build reads it with the ARG defaults and, when build args are given, with those too: a change is
 * made only when it is right for every reading, and the rewritten text is read again in each
 * reading to prove that every reference names what was planned (else nothing is written).
 */
final class RewritePlan {
    private static final Pattern WHOLE_ARG = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?$");

    /** A reference's place: its first character. */
    private record Key(int line, int column) {}

    /** A reference's place counted the way that survives edits: its line and rank on the line. */
    private record Slot(int line, int rank) {}

    private final Path file;
    private final String text;
    private final ImageMapping mapping;
    private final Optional<Function<ImageReference, Digest>> pin;
    private final List<Map<String, String>> argSets;
    private final List<List<ImageRef>> readings = new ArrayList<>();
    private final Map<Key, ImageRef[]> sites = new LinkedHashMap<>();

    /**
     * A place as each reading resolves it now, where the mapping puts that, and what it must name
     * after the rewrite where it is changed (null where it is not).
     */
    private record Planned(
            ImageReference[] current, ImageReference[] mapped, ImageReference[] want) {
        /**
         * Whether {@code got} is right for reading {@code i}: the planned image, or for a place
         * left alone its image or its mapped image (an ARG default or a stage it indexes changed
         * with it).
         */
        boolean accepts(int i, ImageReference got, boolean pinning) {
            if (want[i] != null) {
                return got.equals(want[i]);
            }
            return got.equals(current[i])
                    || (mapped[i] != null
                            && (got.equals(mapped[i])
                                    || (pinning
                                            && got.withoutDigest()
                                                    .equals(mapped[i].withoutDigest()))));
        }
    }

    private final Map<Key, Planned> planned = new HashMap<>();

    private final Map<ImageReference, ImageReference> pins = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final List<Change> applicable = new ArrayList<>();

    private RewritePlan(
            Path file,
            String text,
            ImageMapping mapping,
            Optional<Function<ImageReference, Digest>> pin,
            Map<String, String> buildArgs) {
        this.file = file;
        this.text = text;
        this.mapping = mapping;
        this.pin = pin;
        this.argSets = buildArgs.isEmpty() ? List.of(Map.of()) : List.of(Map.of(), buildArgs);
    }

    static DockerfileRewriter.Result rewrite(
            Path file,
            String text,
            ImageMapping mapping,
            Optional<Function<ImageReference, Digest>> pin,
            Map<String, String> buildArgs) {
        RewritePlan plan = new RewritePlan(file, text, mapping, pin, buildArgs);
        for (Map<String, String> args : plan.argSets) {
            plan.readings.add(DockerfileReader.read(file, text, args, Optional.empty()));
        }
        for (int i = 0; i < plan.readings.size(); i++) {
            for (ImageRef ref : plan.readings.get(i)) {
                plan.sites
                                .computeIfAbsent(
                                        new Key(ref.line(), ref.column()),
                                        k -> new ImageRef[plan.argSets.size()])[i] =
                        ref;
            }
        }
        plan.sites.forEach(plan::plan);
        String rewritten = DockerfileRewriter.apply(file, text, plan.applicable);
        if (!rewritten.equals(text)) {
            plan.verify(rewritten);
        }
        return new DockerfileRewriter.Result(file, text, rewritten, List.copyOf(plan.changes));
    }

    // ---------------------------------------------------------------- planning

    private void plan(Key key, ImageRef[] byReading) {
        ImageRef ref = null;
        boolean anyResolved = false;
        for (ImageRef r : byReading) {
            if (r != null) {
                ref = ref == null ? r : ref;
                anyResolved |= r.resolved();
            }
        }
        Objects.requireNonNull(ref);
        int n = byReading.length;
        ImageReference[] current = new ImageReference[n];
        ImageReference[] mapped = new ImageReference[n];
        for (int i = 0; i < n; i++) {
            ImageRef r = byReading[i];
            if (r == null) {
                continue;
            }
            if (r.reference().isEmpty()) {
                // An ARG without a value in one reading is fine when a build arg gives it one.
                if (!(anyResolved && unsetArg(r))) {
                    skip(
                            ref,
                            Message.of(
                                    "rewrite.unresolved",
                                    "unresolved: {0}",
                                    r.error().map(Object.class::cast).orElse("")));
                    return;
                }
                continue;
            }
            current[i] = r.reference().get();
            mapped[i] =
                    mapping.isTarget(current[i])
                            ? current[i]
                            : mapping.map(current[i]).orElse(null);
            if (mapped[i] == null) {
                skip(
                        ref,
                        Message.of(
                                DockerfileRewriter.NO_RULE,
                                "no mapping rule matches {0}",
                                current[i].name()));
                planned.put(
                        key, new Planned(current, new ImageReference[n], new ImageReference[n]));
                return;
            }
        }
        planned.put(key, new Planned(current, mapped, new ImageReference[n]));
        String written = ref.written();
        Matcher whole = WHOLE_ARG.matcher(written);
        if (!written.contains("$")) {
            literal(key, ref, current, mapped);
        } else if (whole.matches()) {
            throughArg(key, byReading, whole.group(1), current, mapped);
        } else {
            templated(key, ref, current, mapped);
        }
    }

    private static boolean unsetArg(ImageRef r) {
        return r.error().map(e -> e.code().equals(DockerfileReader.ARG_UNSET)).orElse(false);
    }

    /** The mapped reference, pinned when pinning is asked for (each image looked up once). */
    private ImageReference pinned(ImageReference mapped) {
        return pin.isPresent() && !mapped.isPinned()
                ? pins.computeIfAbsent(mapped, m -> m.withDigest(pin.get().apply(m)))
                : mapped;
    }

    private static int first(ImageReference[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                return i;
            }
        }
        throw new IllegalStateException("no reading resolves the reference");
    }

    /** Written as the image itself: the text is replaced. */
    private void literal(Key key, ImageRef ref, ImageReference[] current, ImageReference[] mapped) {
        int i = first(current);
        ImageReference target = pinned(mapped[i]);
        if (target.equals(current[i])) {
            return; // already rewritten (and pinned, if asked)
        }
        if (!literal(ref.written(), current[i])) {
            skip(
                    ref,
                    Message.of(
                            "rewrite.not-literal",
                            "{0} does not name {1} as written (a stage index, quotes or escapes); write the image there, then rewrite",
                            ref.written(),
                            current[i]));
            return;
        }
        if (ref.line() != ref.endLine()) {
            skip(ref, split());
            return;
        }
        apply(new Change(ref, Optional.of(target.toString()), Optional.empty()));
        expect(key, current, target);
    }

    /**
     * Written as {@code $NAME}: the global ARG's default is what to change, when it is written
     * literally on one line; a build arg's value is outside the file.
     */
    private void throughArg(
            Key key,
            ImageRef[] byReading,
            String name,
            ImageReference[] current,
            ImageReference[] mapped) {
        for (int i = 0; i < byReading.length; i++) {
            if (current[i] == null) {
                continue;
            }
            ImageRef ref = byReading[i];
            ImageReference target = pinned(mapped[i]);
            if (target.equals(current[i])) {
                continue;
            }
            Optional<ImageRef.ArgDefault> arg =
                    ref.viaArg().filter(a -> !a.written().contains("$"));
            if (arg.isPresent()) {
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
                apply(new Change(argSpan, Optional.of(target.toString()), Optional.empty()));
                planned.get(key).want()[i] = target;
            } else if (argSets.get(i).containsKey(name)) {
                skip(
                        ref,
                        Message.of(
                                "rewrite.build-arg",
                                "{0} takes its value from the build arg {1}={2} ({3}), which no rewrite of the file changes; give {1}={4}",
                                ref.written(),
                                name,
                                argSets.get(i).get(name),
                                Field.BUILD_ARG,
                                target));
            } else {
                skip(
                        ref,
                        Message.of(
                                "rewrite.through-arg",
                                "written through an ARG ({0}) whose default cannot be rewritten safely; make it {1}",
                                ref.written(),
                                target));
            }
        }
    }

    /**
     * Written with variables: the repository is rewritten when it is plain text before them (the
     * variables stay), never pinned.
     */
    private void templated(
            Key key, ImageRef ref, ImageReference[] current, ImageReference[] mapped) {
        String written = ref.written();
        Optional<TemplatedReference> template = TemplatedReference.of(written);
        Set<String> names = new LinkedHashSet<>();
        boolean done = true;
        boolean unpinned = false;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == null) {
                continue;
            }
            if (template.isPresent() && !template.get().names(current[i])) {
                template = Optional.empty();
            }
            names.add(mapped[i].name());
            done &= mapped[i].equals(current[i]);
            unpinned |= !mapped[i].isPinned();
        }
        if (template.isEmpty()) {
            if (done && (pin.isEmpty() || !unpinned)) {
                return; // already in the private registry (and pinned, if asked)
            }
            skip(
                    ref,
                    Message.of(
                            "rewrite.variable-name",
                            "{0} writes its repository with a variable ({1}), so another value"
                                    + " could name another repository; write the repository there"
                                    + " and keep variables in the tag only, or write the image: {2}",
                            written,
                            String.join(", ", TemplatedReference.variables(written)),
                            mapped[first(mapped)]));
            return;
        }
        if (names.size() > 1) {
            skip(
                    ref,
                    Message.of(
                            "rewrite.several-targets",
                            "{0} maps to several repositories ({1}) for the values it is read"
                                    + " with; map them to one, or write each image on its own line",
                            written,
                            String.join(", ", names)));
            return;
        }
        if (!done) {
            if (ref.line() != ref.endLine()) {
                skip(ref, split());
                return;
            }
            String replacement = template.get().withRepository(names.iterator().next());
            apply(new Change(ref, Optional.of(replacement), Optional.empty()));
            for (int i = 0; i < current.length; i++) {
                if (current[i] != null) {
                    planned.get(key).want()[i] = mapped[i];
                }
            }
        }
        if (pin.isPresent() && unpinned) {
            skip(ref, pinRefused(ref, current, mapped));
        }
    }

    /**
     * Why a tag written with variables is not pinned, and the line that pins it: one digest would
     * build the same image whatever the build args say, so pinning means naming the image.
     */
    private Message pinRefused(ImageRef ref, ImageReference[] current, ImageReference[] mapped) {
        Map<ImageReference, Integer> values = new LinkedHashMap<>();
        for (int i = 0; i < current.length; i++) {
            if (mapped[i] != null && !mapped[i].isPinned()) {
                values.putIfAbsent(mapped[i], i);
            }
        }
        List<String> lines = new ArrayList<>();
        values.forEach(
                (image, reading) -> {
                    String line = edited(ref, pinned(image).toString());
                    lines.add(
                            values.size() == 1
                                    ? line
                                    : line
                                            + (reading == 0
                                                    ? " (with the ARG defaults)"
                                                    : " (with the build args given)"));
                });
        return Message.of(
                DockerfileRewriter.PIN_TEMPLATED,
                "{0} chooses its tag with {1}: one digest would build the same image whatever {1}"
                        + " says, so it is not pinned; to pin it, edit line {2} to: {3}",
                ref.written(),
                String.join(", ", TemplatedReference.variables(ref.written())),
                ref.line(),
                String.join(" or: ", lines));
    }

    /** Line {@code ref.line()} with the reference replaced by {@code replacement}. */
    String edited(ImageRef ref, String replacement) {
        return DockerfileRewriter.editedLine(text, ref, replacement);
    }

    private static Message split() {
        return Message.of("rewrite.split", "split across lines; join it, then rewrite");
    }

    private void skip(ImageRef ref, Message why) {
        Change change = new Change(ref, Optional.empty(), Optional.of(why));
        if (!changes.contains(change)) {
            changes.add(change);
        }
    }

    private void apply(Change change) {
        if (!changes.contains(change)) {
            changes.add(change);
        }
        if (applicable.stream()
                .noneMatch(
                        c ->
                                c.ref().line() == change.ref().line()
                                        && c.ref().column() == change.ref().column())) {
            applicable.add(change);
        }
    }

    private void expect(Key key, ImageReference[] current, ImageReference target) {
        for (int i = 0; i < current.length; i++) {
            if (current[i] != null) {
                planned.get(key).want()[i] = target;
            }
        }
    }

    /**
     * Whether {@code written}, as it stands, is the reference: only then can the text be replaced
     * by another reference.
     */
    static boolean literal(String written, ImageReference reference) {
        try {
            return ImageReference.parse(written).equals(reference);
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- proof

    /**
     * Reads the rewritten text as the original was read: every reference must name what was planned
     * for it, in every reading (a changed ARG default must not change another line).
     */
    private void verify(String rewritten) {
        for (int i = 0; i < argSets.size(); i++) {
            Map<Slot, ImageRef> after = new HashMap<>();
            Map<Key, Slot> slots = slots(readings.get(i));
            List<ImageRef> reread;
            try {
                reread = DockerfileReader.read(file, rewritten, argSets.get(i), Optional.empty());
            } catch (DockerfileException e) {
                throw unverified(1, "the rewritten file does not parse: " + e.getMessage());
            }
            Map<Key, Slot> newSlots = slots(reread);
            for (ImageRef r : reread) {
                after.put(newSlots.get(new Key(r.line(), r.column())), r);
            }
            if (reread.size() != readings.get(i).size()) {
                throw unverified(1, "the rewritten file uses another number of images");
            }
            for (Map.Entry<Key, Planned> e : planned.entrySet()) {
                Planned p = e.getValue();
                Slot slot = slots.get(e.getKey());
                if (p.current()[i] == null || slot == null) {
                    continue;
                }
                ImageRef got = after.get(slot);
                if (got == null
                        || got.reference().isEmpty()
                        || !p.accepts(i, got.reference().get(), pin.isPresent())) {
                    throw unverified(
                            e.getKey().line(),
                            "it would name "
                                    + (got == null
                                            ? "no image"
                                            : got.reference()
                                                    .map(Object::toString)
                                                    .orElse(got.written()))
                                    + " instead of "
                                    + (p.want()[i] != null ? p.want()[i] : p.current()[i]));
                }
            }
        }
    }

    private static Map<Key, Slot> slots(List<ImageRef> refs) {
        Map<Key, Slot> out = new HashMap<>();
        Map<Integer, List<Integer>> columns = new HashMap<>();
        refs.stream()
                .map(r -> new Key(r.line(), r.column()))
                .distinct()
                .sorted(java.util.Comparator.comparingInt(Key::line).thenComparingInt(Key::column))
                .forEach(
                        k -> {
                            List<Integer> onLine =
                                    columns.computeIfAbsent(k.line(), x -> new ArrayList<>());
                            out.put(k, new Slot(k.line(), onLine.size()));
                            onLine.add(k.column());
                        });
        return out;
    }

    private ImageGateException unverified(int line, String why) {
        return ImageGateException.configuration(
                "rewrite.unverified",
                "{0}:{1}: the rewrite was read back and {2}; nothing was rewritten",
                file,
                line,
                why);
    }
}
