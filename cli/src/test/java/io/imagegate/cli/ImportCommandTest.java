package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.oci.Platform;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@NeedsComponents
class ImportCommandTest {
    @RegisterExtension static final RegistryExtension source = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension target = RegistryExtension.anonymous();

    static TestImages.Index image;

    @BeforeAll
    static void push() {
        image =
                TestImages.randomIndex(
                        7,
                        List.of(
                                Platform.parse("linux/amd64"),
                                Platform.parse("linux/arm64/v8"),
                                Platform.parse("linux/arm/v7"),
                                Platform.parse("linux/ppc64le")),
                        12_000,
                        List.of(TestImages.randomLayer(99, 30_000, true)),
                        true);
        new ImagePusher(source).push("library/base", "1.0", image);
    }

    @Test
    void importsAFourPlatformImageWithIdenticalDigests() {
        CliRun run =
                CliRun.of(
                        "import",
                        source.hostPort() + "/library/base:1.0",
                        target.hostPort() + "/mirror/base:1.0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip())
                .startsWith("imported " + target.hostPort() + "/mirror/base:1.0@" + image.digest())
                .contains("9 blobs copied");
        assertThat(run.out().lines()).hasSize(1);
        assertThat(run.err()).contains("copying 5 manifests, 9 blobs").contains("[9/9]");
        ImagePusher check = new ImagePusher(target);
        assertThat(check.manifestDigest("mirror/base", "1.0")).contains(image.digest());
        image.platformDigests()
                .values()
                .forEach(
                        d ->
                                assertThat(check.manifestDigest("mirror/base", d.toString()))
                                        .contains(d));

        CliRun again =
                CliRun.of(
                        "import",
                        source.hostPort() + "/library/base:1.0",
                        target.hostPort() + "/mirror/base:1.0");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("up to date");
    }

    @Test
    void platformSubset() {
        CliRun run =
                CliRun.of(
                        "import",
                        "--platform",
                        "linux/amd64,linux/arm64",
                        source.hostPort() + "/library/base:1.0",
                        target.hostPort() + "/subset/base:1.0");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(new ImagePusher(target).manifestDigest("subset/base", "1.0"))
                .isPresent()
                .get()
                .isNotEqualTo(image.digest());
    }

    @Test
    void theTargetCanComeFromTheMappingRewriteUses() {
        CliRun run =
                CliRun.of(
                        "import",
                        "--map",
                        "=" + target.hostPort() + "/mirror",
                        source.hostPort() + "/library/base:1.0");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String repository = "mirror/" + source.hostPort().replace(':', '-') + "/library/base";
        assertThat(new ImagePusher(target).manifestDigest(repository, "1.0"))
                .contains(image.digest());

        CliRun none = CliRun.of("import", source.hostPort() + "/library/base:1.0");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("give a target (TARGET), or mapping rules (--map)");
    }

    @Test
    void chunkSizeUploadsLargeBlobsInPatchChunks() {
        TestImages.Image big =
                TestImages.randomImage(11, Platform.parse("linux/amd64"), 2_600_000, true);
        new ImagePusher(source).push("library/big", "1", big);
        target.clearRequests();

        CliRun run =
                CliRun.of(
                        "import",
                        "--chunk-size",
                        "1",
                        source.hostPort() + "/library/big:1",
                        target.hostPort() + "/chunked/big:1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(new ImagePusher(target).manifestDigest("chunked/big", "1"))
                .contains(big.digest());
        // 2.6 MB in 1 MiB chunks: three PATCHes, then the PUT that commits
        assertThat(target.awaitRequests().stream().filter(r -> r.method().equals("PATCH")))
                .hasSize(3);
    }

    @Test
    void anonymousNamesARegistryToReadWithoutStoredCredentials() {
        CliRun url =
                CliRun.of(
                        "import",
                        "--anonymous",
                        "https://" + source.hostPort() + "/v2/",
                        source.hostPort() + "/library/base:1.0",
                        target.hostPort() + "/anon:1");
        assertThat(url.exitCode()).isEqualTo(2);
        assertThat(url.err().strip())
                .startsWith("imagegate: \"https://" + source.hostPort() + "/v2/\" (--anonymous)")
                .contains("is not a registry: write it as host[:port]");

        CliRun ok =
                CliRun.of(
                        "import",
                        "--anonymous",
                        source.hostPort(),
                        "--anonymous",
                        "docker.io",
                        source.hostPort() + "/library/base:1.0",
                        target.hostPort() + "/anon:1");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        CliRun chunks =
                CliRun.of(
                        "import",
                        "--chunk-size",
                        "0",
                        source.hostPort() + "/library/base:1.0",
                        target.hostPort() + "/x:1");
        assertThat(chunks.exitCode()).isEqualTo(2);
        assertThat(chunks.err())
                .contains("(--chunk-size) must be between 1 KiB and 4 GiB")
                .doesNotContain("\tat ");

        CliRun parallel =
                CliRun.of(
                        "import",
                        "--parallel",
                        "0",
                        source.hostPort() + "/library/base:1.0",
                        target.hostPort() + "/x:1");
        assertThat(parallel.exitCode()).isEqualTo(2);
        assertThat(parallel.err())
                .contains("(--parallel) must be between 1 and 64, not 0")
                .doesNotContain("\tat ");

        CliRun bad = CliRun.of("import", "Not/Valid", target.hostPort() + "/x:1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip())
                .isEqualTo(
                        "imagegate: Not/Valid (SOURCE) is not a valid image reference: repository name must be lowercase");

        CliRun missing =
                CliRun.of(
                        "import",
                        source.hostPort() + "/library/base:nope",
                        target.hostPort() + "/x:1");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err())
                .contains("does not exist")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");

        CliRun platform =
                CliRun.of(
                        "import",
                        "--platform",
                        "linux",
                        source.hostPort() + "/library/base:1.0",
                        target.hostPort() + "/x:1");
        assertThat(platform.exitCode()).isEqualTo(2);
        assertThat(platform.err()).contains("invalid platform \"linux\" (--platform)");

        CliRun env =
                CliRun.of(
                        "import",
                        "--dst-creds-env",
                        "IMAGEGATE_SURELY_UNSET_VAR",
                        source.hostPort() + "/library/base:1.0",
                        target.hostPort() + "/x:1");
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.err()).contains("IMAGEGATE_SURELY_UNSET_VAR (--dst-creds-env) is not set");

        CliRun usage = CliRun.of("import", "only-one-argument");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("give a target (TARGET), or mapping rules (--map)");
    }
}
