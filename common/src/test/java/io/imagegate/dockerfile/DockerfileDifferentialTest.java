package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.BuildKitRefs;
import io.imagegate.testing.NeedsComponents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reader against BuildKit itself (tools/buildkit-refs, BuildKit's own frontend code): on every
 * corpus file and on generated ones, both must agree on the images a build pulls and on whether the
 * build is refused, except for the deliberate differences listed, with their reasons, in {@code
 * src/test/resources/buildkit-differences.txt}. {@code -Dimagegate.dockerfile.cases=N} (the {@code
 * fuzz-long} profile) generates more files; {@code -Dimagegate.dockerfile.seed=S} picks other ones.
 */
@NeedsComponents
class DockerfileDifferentialTest {
    private static final Path CORPUS = Path.of("src/test/resources/dockerfiles");
    private static final Set<String> KNOWN_RULES =
            Set.of("onbuild", "unset-arg", "invalid-reference", "hub-alias", "lint");
    private static Map<String, String> listed;

    @BeforeAll
    static void rules() throws IOException {
        listed = new LinkedHashMap<>();
        for (String line :
                Files.readAllLines(Path.of("src/test/resources/buildkit-differences.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            listed.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        assertThat(KNOWN_RULES)
                .as("every listed difference is one the comparison knows")
                .containsAll(listed.keySet());
        assertThat(listed.values())
                .as("every listed difference has its reason")
                .allSatisfy(r -> assertThat(r).hasSizeGreaterThan(20));
    }

    /** A case and what the reader made of it. */
    private record Outcome(List<ImageRef> refs, String error) {}

    private static Outcome read(String name, String text, Map<String, String> args) {
        try {
            return new Outcome(
                    DockerfileReader.read(Path.of(name), text, args, Optional.empty()), null);
        } catch (DockerfileException e) {
            return new Outcome(List.of(), e.getMessage());
        }
    }

    private static String hub(String reference) {
        for (String alias :
                List.of("registry-1.docker.io/", "registry.hub.docker.com/", "index.docker.io/")) {
            if (reference.startsWith(alias)) {
                return "docker.io/" + reference.substring(alias.length());
            }
        }
        return reference;
    }

    static boolean unsetArg(ImageRef ref) {
        return ref.reference().isEmpty()
                && ref.error().map(e -> e.code().equals(DockerfileReader.ARG_UNSET)).orElse(false);
    }

    /** Null when the two agree (using only listed rules), else the difference. */
    static String compare(Outcome reader, BuildKitRefs.Output bk, Set<String> used) {
        // A harness that panicked gave no answer: never a case skipped as "BuildKit refused it".
        if (bk.error().map(e -> e.startsWith("panic:")).orElse(false)) {
            return "BuildKit's harness panicked, so nothing was compared: "
                    + bk.error().get().lines().findFirst().orElse("");
        }
        if (reader.error() != null) {
            return bk.error().isPresent()
                    ? null
                    : "the reader refuses a file BuildKit builds: " + reader.error();
        }
        List<int[]> onbuild = bk.onbuild();
        java.util.function.Predicate<ImageRef> inOnbuild =
                r ->
                        onbuild.stream()
                                .anyMatch(range -> r.line() >= range[0] && r.line() <= range[1]);
        List<ImageRef> counted =
                reader.refs().stream()
                        .filter(r -> r.kind() == ImageRef.Kind.SYNTAX || !inOnbuild.test(r))
                        .toList();
        if (counted.size() != reader.refs().size()) {
            used.add("onbuild");
        }
        long unset = counted.stream().filter(DockerfileDifferentialTest::unsetArg).count();
        long invalid =
                counted.stream().filter(r -> r.reference().isEmpty() && !unsetArg(r)).count();
        boolean invalidInOnbuild =
                reader.refs().stream()
                        .anyMatch(r -> inOnbuild.test(r) && r.reference().isPresent() == false);
        if (bk.error().isPresent()) {
            if (invalid == 0 && invalidInOnbuild) {
                used.add("onbuild"); // a trigger this file runs itself
                used.add("invalid-reference");
                return null;
            }
            if (invalid > 0) {
                used.add("invalid-reference");
                return null;
            }
            if (unset > 0) {
                used.add("unset-arg");
                return null;
            }
            if (bk.error().get().startsWith("lint violation found")) {
                used.add("lint");
                return null;
            }
            return "the reader accepts a file BuildKit refuses ("
                    + bk.error().get()
                    + "); it found "
                    + describe(reader.refs());
        }
        if (invalid > 0) {
            return "the reader reports an invalid reference where BuildKit builds: "
                    + describe(reader.refs());
        }
        Optional<String> syntax =
                counted.stream()
                        .filter(r -> r.kind() == ImageRef.Kind.SYNTAX)
                        .findFirst()
                        .map(r -> r.reference().map(Object::toString).orElse("?"));
        Optional<String> bkSyntax = bk.syntax().map(DockerfileDifferentialTest::hub);
        if (!bk.syntax().equals(bkSyntax)) {
            used.add("hub-alias");
        }
        if (!syntax.equals(bkSyntax)) {
            return "frontend image: the reader says "
                    + syntax.orElse("none")
                    + ", BuildKit "
                    + bkSyntax.orElse("none");
        }
        Set<String> mandatory = new TreeSet<>();
        Set<String> optional = new TreeSet<>();
        for (ImageRef r : reader.refs()) {
            if (r.kind() != ImageRef.Kind.SYNTAX && r.reference().isPresent()) {
                (inOnbuild.test(r) ? optional : mandatory).add(r.reference().get().toString());
            }
        }
        Set<String> pulled = new TreeSet<>();
        for (String image : bk.images()) {
            if (!hub(image).equals(image)) {
                used.add("hub-alias");
            }
            pulled.add(hub(image));
        }
        Set<String> invented = new TreeSet<>(mandatory);
        invented.removeAll(pulled);
        Set<String> missed = new TreeSet<>(pulled);
        missed.removeAll(mandatory);
        missed.removeAll(optional);
        if (!invented.isEmpty()) {
            return "the reader reports images BuildKit does not pull: "
                    + invented
                    + " (BuildKit: "
                    + pulled
                    + ")";
        }
        if (missed.size() > unset) {
            return "the reader misses images BuildKit pulls: "
                    + missed
                    + " (reader: "
                    + describe(reader.refs())
                    + ")";
        }
        if (!missed.isEmpty()) {
            used.add("unset-arg");
        }
        return null;
    }

    private static String describe(List<ImageRef> refs) {
        List<String> out = new ArrayList<>();
        for (ImageRef r : refs) {
            out.add(
                    r.line()
                            + ":"
                            + r.column()
                            + " "
                            + r.kind()
                            + " "
                            + r.reference()
                                    .map(Object::toString)
                                    .orElse(
                                            "UNRESOLVED "
                                                    + r.error()
                                                            .map(
                                                                    e ->
                                                                            e.render(
                                                                                    io.imagegate
                                                                                            .message
                                                                                            .Vocabulary
                                                                                            .NEUTRAL))
                                                            .orElse("")));
        }
        return out.toString();
    }

    private static void check(List<BuildKitRefs.Input> inputs) {
        List<BuildKitRefs.Output> outputs = BuildKitRefs.run(inputs);
        Set<String> used = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            BuildKitRefs.Input in = inputs.get(i);
            String problem = compare(read(in.name(), in.text(), in.args()), outputs.get(i), used);
            if (problem != null) {
                problems.add(
                        in.name()
                                + ": "
                                + problem
                                + "\n    args "
                                + in.args()
                                + "\n    text "
                                + escape(in.text()));
            }
        }
        assertThat(problems)
                .as("differences from BuildKit that buildkit-differences.txt does not list")
                .isEmpty();
        assertThat(listed.keySet())
                .as("deliberate differences used are listed with their reason")
                .containsAll(used);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints()
                .forEach(
                        c -> {
                            if (c == '\n') {
                                out.append("\\n");
                            } else if (c == '"' || c == '\\') {
                                out.append('\\').appendCodePoint(c);
                            } else if (c < 0x20 || c > 0x7E) {
                                out.append(String.format("\\u%04x", c));
                            } else {
                                out.appendCodePoint(c);
                            }
                        });
        return out.append('"').toString();
    }

    @Test
    void theCorpusAgreesWithBuildKit() throws IOException {
        List<BuildKitRefs.Input> inputs = new ArrayList<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path p :
                    files.filter(f -> f.getFileName().toString().endsWith(".Dockerfile"))
                            .sorted()
                            .toList()) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                inputs.add(
                        new BuildKitRefs.Input(
                                p.getFileName().toString(),
                                text,
                                DockerfileCorpusTest.buildArgs(text),
                                Optional.empty()));
            }
        }
        assertThat(inputs).hasSizeGreaterThan(50);
        check(inputs);
    }

    @Test
    void generatedDockerfilesAgreeWithBuildKit() {
        int count = Integer.getInteger("imagegate.dockerfile.cases", 3000);
        long seed = Long.getLong("imagegate.dockerfile.seed", 20261129L);
        List<BuildKitRefs.Input> inputs = new ArrayList<>();
        for (DockerfileGenerator.Case c : DockerfileGenerator.generate(seed, count)) {
            inputs.add(
                    new BuildKitRefs.Input(
                            c.name(), c.text(), new HashMap<>(c.args()), Optional.empty()));
        }
        check(inputs);
    }
}
