package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: rewriting never corrupts, never loses someone else's edit, and keeps what the file is
 * (link, mode, owner).
 */
class DockerfileWriteSafetyTest {
    private static final ImageMapping MAPPING =
            ImageMapping.parse(List.of("=registry.example.com/mirror"));
    private static final String MIRRORED = "registry.example.com/mirror/docker.io/library/";

    @TempDir Path dir;

    private static DockerfileRewriter.Result rewrite(Path file) {
        return DockerfileRewriter.rewrite(
                file, DockerfileFiles.read(file), MAPPING, Optional.empty());
    }

    private static String code(Throwable e) {
        return ((ImageGateException) e).message().code();
    }

    @Test
    void aLoneCarriageReturnIsPartOfItsLineForReadingAndWriting() throws IOException {
        // Reading used to split at the \r and writing did not: the replacement landed a line off
        // (one lost, two merged).
        String text =
                "# note\rFROM evil\nFROM alpine:3.20\nRUN true\rFROM busybox:1\nFROM busybox:1.36\n";
        Path file = Files.writeString(dir.resolve("Dockerfile"), text);
        DockerfileRewriter.Result r = rewrite(file);
        DockerfileRewriter.write(r);
        assertThat(Files.readString(file))
                .isEqualTo(
                        "# note\rFROM evil\nFROM "
                                + MIRRORED
                                + "alpine:3.20\nRUN true\rFROM busybox:1\nFROM "
                                + MIRRORED
                                + "busybox:1.36\n");
        // The layout that crashed with StringIndexOutOfBoundsException: a \r-separated "line" past
        // the last \n line.
        String crash = "FROM alpine:3.20\n# c\rFROM busybox:1.36 AS b";
        assertThat(
                        DockerfileRewriter.rewrite(Path.of("D"), crash, MAPPING, Optional.empty())
                                .rewritten())
                .isEqualTo("FROM " + MIRRORED + "alpine:3.20\n# c\rFROM busybox:1.36 AS b");
        assertThat(r.diff()).hasSize(4);
    }

    @Test
    void aSpanThatNoLongerHoldsItsTextIsRefusedAndNothingIsRewritten() {
        String text = "FROM alpine:3.20\nFROM busybox:1\n";
        ImageRef moved =
                DockerfileReader.read(
                                Path.of("D"), "FROM  alpine:3.20\n", Map.of(), Optional.empty())
                        .get(0);
        List<DockerfileRewriter.Change> changes =
                List.of(
                        new DockerfileRewriter.Change(
                                moved, Optional.of("x/y:1"), Optional.empty()));
        assertThatThrownBy(() -> DockerfileRewriter.apply(Path.of("D"), text, changes))
                .satisfies(e -> assertThat(code(e)).isEqualTo("rewrite.span-mismatch"));
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndStaysALink() throws IOException {
        Path target = Files.writeString(dir.resolve("real.Dockerfile"), "FROM alpine:3.20\n");
        Path link = Files.createSymbolicLink(dir.resolve("Dockerfile"), target.getFileName());
        DockerfileRewriter.write(rewrite(link));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("FROM " + MIRRORED + "alpine:3.20\n");
    }

    @Test
    void aHardLinkedFileIsRefusedAndBothNamesKeepTheirText() throws IOException {
        Path file = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        Path other = Files.createLink(dir.resolve("Dockerfile.copy"), file);
        assertThatThrownBy(() -> DockerfileRewriter.write(rewrite(file)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("rewrite.hard-links"));
        assertThat(Files.readString(file)).isEqualTo("FROM alpine:3.20\n");
        assertThat(Files.readString(other)).isEqualTo("FROM alpine:3.20\n");
    }

    @Test
    void aReadOnlyFileIsRefusedEvenForRoot() throws IOException {
        Path file = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        assertThatThrownBy(() -> DockerfileRewriter.write(rewrite(file)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("rewrite.read-only"));
        assertThat(Files.readString(file)).isEqualTo("FROM alpine:3.20\n");
    }

    @Test
    void modeOwnerAndGroupAreKept() throws IOException {
        Path file = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        PosixFileAttributeView view =
                Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if ("root".equals(System.getProperty("user.name"))) {
            // A file root rewrites for someone else stays theirs.
            var lookup = file.getFileSystem().getUserPrincipalLookupService();
            view.setOwner(lookup.lookupPrincipalByName("nobody"));
            view.setGroup(lookup.lookupPrincipalByGroupName("nogroup"));
        }
        UserPrincipal owner = view.readAttributes().owner();
        GroupPrincipal group = view.readAttributes().group();
        DockerfileRewriter.write(rewrite(file));
        assertThat(Files.readString(file)).isEqualTo("FROM " + MIRRORED + "alpine:3.20\n");
        assertThat(view.readAttributes().owner()).isEqualTo(owner);
        assertThat(view.readAttributes().group()).isEqualTo(group);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void anEditMadeBetweenReadAndWriteIsNotLost() throws IOException {
        Path file = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        DockerfileRewriter.Result r = rewrite(file);
        Files.writeString(file, "FROM alpine:3.20\nRUN echo someone else's edit\n");
        assertThatThrownBy(() -> DockerfileRewriter.write(r))
                .satisfies(e -> assertThat(code(e)).isEqualTo("rewrite.changed"));
        assertThat(Files.readString(file))
                .isEqualTo("FROM alpine:3.20\nRUN echo someone else's edit\n");
    }

    @Test
    void ofTwoConcurrentRewritesOneWinsAndTheOtherIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        String text = DockerfileFiles.read(file);
        List<DockerfileRewriter.Result> results =
                List.of(
                        DockerfileRewriter.rewrite(
                                file,
                                text,
                                ImageMapping.parse(List.of("=one.example.com/m")),
                                Optional.empty()),
                        DockerfileRewriter.rewrite(
                                file,
                                text,
                                ImageMapping.parse(List.of("=two.example.com/m")),
                                Optional.empty()));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            for (DockerfileRewriter.Result r : results) {
                outcomes.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    try {
                                        DockerfileRewriter.write(r);
                                        return r.rewritten();
                                    } catch (ImageGateException e) {
                                        return e.message().code();
                                    }
                                }));
            }
            start.countDown();
            List<String> got = new ArrayList<>();
            for (Future<String> f : outcomes) {
                got.add(f.get());
            }
            assertThat(got).filteredOn("rewrite.changed"::equals).hasSize(1);
            String winner =
                    got.stream()
                            .filter(g -> !g.equals("rewrite.changed"))
                            .findFirst()
                            .orElseThrow();
            assertThat(Files.readString(file)).isEqualTo(winner);
        } finally {
            pool.shutdownNow();
        }
    }
}
