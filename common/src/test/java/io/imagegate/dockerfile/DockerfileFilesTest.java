package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Vocabulary;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: finding and reading Dockerfiles fails with a message naming the file, never with a
 * stack trace or a hang.
 */
class DockerfileFilesTest {
    @TempDir Path dir;

    private static ImageGateException error(Throwable e) {
        assertThat(e).isInstanceOf(ImageGateException.class);
        return (ImageGateException) e;
    }

    @Test
    void globsAreSortedDistinctAndAPatternMatchingNothingIsAnError() throws IOException {
        Files.createDirectories(dir.resolve("b/c"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM a\n");
        Files.writeString(dir.resolve("b/Dockerfile"), "FROM a\n");
        Files.writeString(dir.resolve("b/c/Dockerfile"), "FROM a\n");
        Files.writeString(dir.resolve("b/x.Dockerfile"), "FROM a\n");
        assertThat(
                        DockerfileFiles.expand(
                                dir, List.of("**/Dockerfile", "b/Dockerfile", "b/*.Dockerfile")))
                .containsExactly(
                        dir.resolve("Dockerfile"),
                        dir.resolve("b/Dockerfile"),
                        dir.resolve("b/c/Dockerfile"),
                        dir.resolve("b/x.Dockerfile"));
        assertThatThrownBy(() -> DockerfileFiles.expand(dir, List.of("**/*.nothing")))
                .satisfies(
                        e ->
                                assertThat(error(e).message().code())
                                        .isEqualTo("dockerfiles.no-match"));
    }

    @Test
    void malformedGlobsAreUsageErrors() {
        for (String pattern : List.of("docker/[a-", "{a,b", "**/{x", "a\u0000b/*", "[")) {
            assertThatThrownBy(() -> DockerfileFiles.expand(dir, List.of(pattern)))
                    .satisfies(e -> assertThat(error(e).kind()).isEqualTo(ErrorKind.USAGE));
        }
        assertThatThrownBy(() -> DockerfileFiles.expand(dir, List.of("a\u0000b")))
                .satisfies(e -> assertThat(error(e).kind()).isEqualTo(ErrorKind.USAGE));
    }

    @Test
    void aGlobWalkingIntoAnUnreadableDirectoryFailsWithAMessage() throws IOException {
        Path root;
        String pattern;
        if ("root".equals(System.getProperty("user.name"))) {
            // root reads every mode; the kernel still refuses it init's map_files.
            root = Path.of("/proc/1");
            pattern = "/proc/1/**/Dockerfile";
        } else {
            root = Files.createDirectories(dir.resolve("closed/inner"));
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("---------"));
            pattern = "closed/**/Dockerfile";
        }
        try {
            assertThatThrownBy(() -> DockerfileFiles.expand(dir, List.of(pattern)))
                    .satisfies(
                            e -> {
                                assertThat(error(e).message().code())
                                        .isEqualTo("dockerfiles.search");
                                assertThat(error(e).render(Vocabulary.NEUTRAL)).contains(pattern);
                            });
        } finally {
            if (!root.startsWith("/proc")) {
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("Dockerfile");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () ->
                        assertThatThrownBy(() -> DockerfileFiles.read(fifo))
                                .satisfies(
                                        e ->
                                                assertThat(error(e).message().code())
                                                        .isEqualTo("dockerfiles.not-a-file")));
    }

    @Test
    void devicesAndDirectoriesAreRefused() {
        assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () ->
                        assertThatThrownBy(() -> DockerfileFiles.read(Path.of("/dev/zero")))
                                .satisfies(
                                        e ->
                                                assertThat(error(e).message().code())
                                                        .isEqualTo("dockerfiles.not-a-file")));
        assertThatThrownBy(() -> DockerfileFiles.read(dir))
                .satisfies(
                        e ->
                                assertThat(error(e).message().code())
                                        .isEqualTo("dockerfiles.not-a-file"));
    }

    @Test
    void aFileOverTheCapIsRefusedNamingTheFileAndTheLimit() throws IOException {
        Path big = dir.resolve("Dockerfile");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024); // sparse: 100 MB that take no disk
        }
        assertThatThrownBy(() -> DockerfileFiles.read(big))
                .satisfies(
                        e -> {
                            assertThat(error(e).message().code())
                                    .isEqualTo("dockerfiles.too-large");
                            assertThat(error(e).render(Vocabulary.NEUTRAL))
                                    .contains(big.toString())
                                    .contains("4194304");
                        });
        Path atCap =
                Files.writeString(
                        dir.resolve("at-cap.Dockerfile"), "#".repeat(DockerfileFiles.MAX_BYTES));
        assertThat(DockerfileFiles.read(atCap)).hasSize(DockerfileFiles.MAX_BYTES);
    }

    @Test
    void aBinaryFileIsNotUtf8AndTheMessageSaysWhere() throws IOException {
        Path binary =
                Files.write(
                        dir.resolve("Dockerfile"),
                        new byte[] {'F', 'R', 'O', 'M', ' ', (byte) 0xC3, (byte) 0x28, 0});
        assertThatThrownBy(() -> DockerfileFiles.read(binary))
                .satisfies(
                        e -> {
                            assertThat(error(e).message().code()).isEqualTo("dockerfiles.not-utf8");
                            assertThat(error(e).render(Vocabulary.NEUTRAL))
                                    .contains(binary.toString())
                                    .contains("byte 5")
                                    .doesNotContain("Input length");
                        });
    }

    @Test
    void aSymbolicLinkToAFileIsRead() throws IOException {
        Path target = Files.writeString(dir.resolve("real"), "FROM alpine\n");
        Path link = Files.createSymbolicLink(dir.resolve("Dockerfile"), target);
        assertThat(DockerfileFiles.read(link)).isEqualTo("FROM alpine\n");
    }
}
