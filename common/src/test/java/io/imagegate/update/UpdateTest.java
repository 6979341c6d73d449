package io.imagegate.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import io.imagegate.api.UpdateResult;
import io.imagegate.api.UpdateSpec;
import io.imagegate.message.Vocabulary;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream moves, sync vets, update re-pins: Dockerfiles and Jib POMs, a patch real git applies, a
 * summary naming what the new digest fixed, a failing digest never pinned, a rerun that changes
 * nothing, a commit JGit and git agree on.
 */
@NeedsComponents
class UpdateTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir Path dir;

    private static final Platform AMD64 = Platform.parse("linux/amd64");

    private SyncResult sync(String policy, String... images) throws IOException {
        StringBuilder yaml = new StringBuilder("policy: " + policy + "\nimages:\n");
        for (String image : images) {
            yaml.append(
                    "  - source: %s/library/%s\n    target: %s/base/%s\n"
                            .formatted(upstream.hostPort(), image, registry.hostPort(), image));
        }
        Path file = Files.writeString(dir.resolve("sync.yaml"), yaml.toString());
        SyncResult result =
                ImageGate.create(TestSettings.in(dir))
                        .sync(
                                new SyncSpec(
                                        file.toString(),
                                        null,
                                        null,
                                        1,
                                        null,
                                        FixtureVulnerabilityDb.offlineTrivy()),
                                line -> {});
        assertThat(result.outcome()).as(result.toString()).isNotEqualTo(Outcome.ERROR);
        return result;
    }

    private UpdateResult update(Path project, UpdateSpec.Builder spec) {
        return ImageGate.create(TestSettings.in(project))
                .update(
                        spec.paths(List.of("."))
                                .trusted(List.of(registry.hostPort() + "/base"))
                                .policy(dir.resolve("strict.yaml").toString())
                                .build(),
                        Vocabulary.NEUTRAL);
    }

    private static String git(Path repo, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com"));
        command.addAll(List.of(args));
        Process p =
                new ProcessBuilder(command)
                        .directory(repo.toFile())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    @Test
    void upstreamMovesSyncVetsAndUpdateRepinsDockerfilesAndJibToThePassingDigestOnly()
            throws Exception {
        TestImages.Image v1 =
                TestImages.alpine(
                        AMD64,
                        List.<String[]>of(
                                new String[] {"openssl", "3.5.1-r0", "openssl"},
                                new String[] {"busybox", "1.37.0-r1", "busybox"}));
        TestImages.Image v2 =
                TestImages.alpine(
                        AMD64,
                        List.<String[]>of(
                                new String[] {"openssl", "3.5.2-r0", "openssl"},
                                new String[] {"busybox", "1.37.0-r1", "busybox"}));
        TestImages.Image zlib =
                TestImages.alpine(
                        AMD64, List.<String[]>of(new String[] {"zlib", "1.3.1-r4", "zlib"}));
        ImagePusher up = new ImagePusher(upstream);
        up.push("library/app", "1", v1);
        up.push("library/bad", "1", zlib);
        Files.writeString(dir.resolve("strict.yaml"), "failOn: HIGH\n");
        Files.writeString(dir.resolve("lenient.yaml"), "failOn: CRITICAL\n");
        assertThat(sync("strict.yaml", "app:1").entries()).allMatch(SyncResult.Entry::vetted);
        // bad:1 passes a lenient policy, is promoted, then fails the strict one: its FAIL is
        // recorded beside the trusted tag, which still holds it
        assertThat(sync("lenient.yaml", "bad:1").outcome()).isEqualTo(Outcome.PASSED);
        assertThat(sync("strict.yaml", "bad:1").outcome()).isEqualTo(Outcome.POLICY_FAILED);

        String reg = registry.hostPort();
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(
                project.resolve("Dockerfile"),
                "FROM %s/base/app:1@%s AS build\nRUN true\nCOPY --from=%s/base/bad:1 /x /x\nFROM docker.io/library/alpine:3.20\n"
                        .formatted(reg, v1.digest(), reg));
        Files.writeString(
                project.resolve("pom.xml"),
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <project>
                  <modelVersion>4.0.0</modelVersion>
                  <properties>
                    <base.image>%s/base/app:1@%s</base.image>
                  </properties>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>com.google.cloud.tools</groupId>
                        <artifactId>jib-maven-plugin</artifactId>
                        <configuration>
                          <from><image>${base.image}</image></from>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """
                        .formatted(reg, v1.digest()));
        Path module = Files.createDirectories(project.resolve("module"));
        // CRLF, and Jib's registry:// scheme: both kept
        Files.writeString(
                module.resolve("pom.xml"),
                ("<project>\n  <build><plugins><plugin>\n"
                                + "    <artifactId>jib-maven-plugin</artifactId>\n"
                                + "    <configuration><from><image>registry://%s/base/app:1</image></from></configuration>\n"
                                + "  </plugin></plugins></build>\n</project>\n")
                        .formatted(reg)
                        .replace("\n", "\r\n"));
        git(project, "init", "-q", "-b", "main");
        git(project, "add", ".");
        git(project, "commit", "-q", "-m", "base");

        // upstream moves app:1 to a build with openssl fixed; sync vets it
        up.push("library/app", "1", v2);
        assertThat(sync("strict.yaml", "app:1").entries().get(0).digest())
                .isEqualTo(v2.digest().toString());

        String dockerfile = Files.readString(project.resolve("Dockerfile"));
        UpdateResult patched =
                update(
                        project,
                        UpdateSpec.builder()
                                .patch("../update.patch")
                                .summary("../summary.md")
                                .renovateDatasource("../renovate.json"));
        assertThat(patched.outcome()).as(patched.toString()).isEqualTo(Outcome.PASSED);
        assertThat(patched.changedFiles()).hasSize(3);
        // a patch leaves the files as they are
        assertThat(Files.readString(project.resolve("Dockerfile"))).isEqualTo(dockerfile);
        String patch = Files.readString(dir.resolve("update.patch"));
        assertThat(patch).contains("+FROM " + reg + "/base/app:1@" + v2.digest() + " AS build");
        assertThat(patch).doesNotContain(zlib.digest().toString());
        // the failing digest is held back, with the reason
        assertThat(patched.held())
                .anySatisfy(
                        m ->
                                assertThat(m.render(Vocabulary.NEUTRAL))
                                        .contains("base/bad:1")
                                        .contains("not vetted"));
        String summary = Files.readString(dir.resolve("summary.md"));
        assertThat(summary)
                .contains(v1.digest().toString())
                .contains(v2.digest().toString())
                .contains("CVE-2099-0002")
                .contains("Dockerfile:1")
                .contains("module/pom.xml:4")
                .contains("pom.xml:5");
        assertThat(
                        summary.substring(
                                summary.indexOf("**Fixed**"), summary.indexOf("**Introduced**")))
                .contains("CVE-2099-0002");
        assertThat(summary.substring(summary.indexOf("**Still present**")))
                .contains("CVE-2099-0004");
        String renovate = Files.readString(dir.resolve("renovate.json"));
        assertThat(renovate).contains("\"version\" : \"1\"").contains(v2.digest().toString());

        git(project, "apply", "--check", "../update.patch");
        git(project, "apply", "../update.patch");
        assertThat(Files.readString(project.resolve("Dockerfile")))
                .startsWith("FROM " + reg + "/base/app:1@" + v2.digest() + " AS build\n")
                .contains("COPY --from=" + reg + "/base/bad:1 /x /x");
        assertThat(Files.readString(project.resolve("pom.xml")))
                .contains("<base.image>" + reg + "/base/app:1@" + v2.digest() + "</base.image>")
                .contains("<image>${base.image}</image>");
        assertThat(Files.readString(module.resolve("pom.xml")))
                .contains(
                        "<image>registry://"
                                + reg
                                + "/base/app:1@"
                                + v2.digest()
                                + "</image></from></configuration>\r\n");

        // a second run changes nothing and says so
        UpdateResult again = update(project, UpdateSpec.builder().summary("../again.md"));
        assertThat(again.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(again.changed()).isFalse();
        assertThat(Files.readString(dir.resolve("again.md"))).contains("Nothing to update");

        // back to the committed files: a commit on a branch of its own, the same on a rerun
        git(project, "checkout", "--", ".");
        UpdateSpec.Builder onBranch =
                UpdateSpec.builder().patch("../branch.patch").commit(true).branch("");
        UpdateResult committed = update(project, onBranch);
        assertThat(committed.outcome()).as(committed.toString()).isEqualTo(Outcome.PASSED);
        String branch = "imagegate/base-app-" + v2.digest().hex().substring(0, 12);
        assertThat(committed.branch()).isEqualTo(branch);
        UpdateResult rerun = update(project, onBranch);
        assertThat(rerun.commit()).isEqualTo(committed.commit());
        try (Repository repository =
                        new FileRepositoryBuilder()
                                .setGitDir(project.resolve(".git").toFile())
                                .setMustExist(true)
                                .build();
                RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(repository.resolve("refs/heads/" + branch));
            assertThat(commit.getName()).isEqualTo(committed.commit());
            assertThat(commit.getParent(0).getName())
                    .isEqualTo(repository.resolve("HEAD").getName());
        }
        assertThat(git(project, "log", "-1", "--format=%H", branch).strip())
                .isEqualTo(committed.commit());
        assertThat(git(project, "rev-list", "--count", "main.." + branch).strip()).isEqualTo("1");
        assertThat(git(project, "show", branch + ":Dockerfile")).contains(v2.digest().toString());
        assertThat(git(project, "status", "--porcelain")).isEmpty();
    }
}
