package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.vetting.SyncFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a sync file's images are checked against one another and ordered before anything is copied.
 * Before 877f55b none of this was checked: every image was submitted at once in file order, a
 * target named twice was written by both, an image whose source is another's target could copy it
 * before that one was vetted, and a target inside the quarantine failed that image alone while the
 * others ran.
 */
class SyncOrderTest {
    private static final Path FILE = Path.of("sync.yaml");

    private static SyncFile.Entry image(String source, String target) {
        return new SyncFile.Entry(source, target, List.of(), null);
    }

    private static List<Integer> plan(String quarantine, SyncFile.Entry... images) {
        return SyncOrder.plan(FILE, List.of(images), quarantine);
    }

    private static void assertRefused(String code, Runnable plan, String... named) {
        assertThatThrownBy(plan::run)
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.message().code()).isEqualTo(code);
                            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                            assertThat(e.getMessage()).contains(FILE.toString()).contains(named);
                        });
    }

    @Test
    void aTargetNamedTwiceIsRefused() {
        // Old: both were vetted, and the trusted tag held whichever finished last.
        assertRefused(
                "sync.duplicate-target",
                () ->
                        plan(
                                null,
                                image(
                                        "docker.io/library/nginx:1.27",
                                        "registry.example.com/base/web:1"),
                                image(
                                        "docker.io/library/httpd:2.4",
                                        "registry.example.com/base/web:1")),
                "images[0]",
                "images[1]");
        // Written differently, the same name: Docker Hub's aliases, library/ and the implied latest
        // tag.
        assertRefused(
                "sync.duplicate-target",
                () ->
                        plan(
                                null,
                                image("registry.example.com/upstream/a:1", "docker.io/library/x:1"),
                                image("registry.example.com/upstream/b:1", "x:1")),
                "images[0]",
                "images[1]",
                "docker.io/library/x:1");
        assertRefused(
                "sync.duplicate-target",
                () ->
                        plan(
                                null,
                                image(
                                        "registry.example.com/upstream/a:1",
                                        "index.docker.io/myorg/app"),
                                image("registry.example.com/upstream/b:1", "ghcr.io/other/app:1"),
                                image("registry.example.com/upstream/c:1", "myorg/app:latest")),
                "images[0]",
                "images[2]");
    }

    @Test
    void anImageWhoseSourceIsAnothersTargetComesAfterIt() {
        // Old: submitted in file order, side by side: images[0] could copy base/app:1 before
        // images[1] had vetted it.
        List<Integer> after =
                plan(
                        null,
                        image("registry.example.com/base/app:1", "registry.example.com/prod/app:1"),
                        image("docker.io/library/app:1", "registry.example.com/base/app:1"));
        assertThat(after).containsExactly(1, -1);
        assertThat(SyncOrder.topological(after)).containsExactly(1, 0);
        // Matched after normalisation (no tag is latest), and along a chain listed backwards.
        List<Integer> chain =
                plan(
                        null,
                        image("registry.example.com/stage/app", "registry.example.com/prod/app:1"),
                        image(
                                "registry.example.com/base/app:latest",
                                "registry.example.com/stage/app:latest"),
                        image("docker.io/library/app:1", "registry.example.com/base/app"));
        assertThat(chain).containsExactly(1, 2, -1);
        assertThat(SyncOrder.topological(chain)).containsExactly(2, 1, 0);
    }

    @Test
    void topologicalPlacesEveryImageAfterTheOneItWaitsFor() {
        List<Integer> after = List.of(3, -1, 1, -1, 0);
        List<Integer> order = SyncOrder.topological(after);
        assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        for (int i = 0; i < after.size(); i++) {
            if (after.get(i) >= 0) {
                assertThat(order.indexOf(after.get(i)))
                        .as("images[%d] waits for images[%d]", i, after.get(i))
                        .isLessThan(order.indexOf(i));
            }
        }
        assertThat(SyncOrder.topological(List.of(-1, -1, -1))).containsExactly(0, 1, 2);
    }

    @Test
    void imagesTakingTheirSourcesFromOneAnothersTargetsAreRefused() {
        // Old: each copied the other's trusted tag, so neither's upstream was ever vetted.
        assertRefused(
                "sync.cycle",
                () ->
                        plan(
                                null,
                                image(
                                        "registry.example.com/base/b:1",
                                        "registry.example.com/base/a:1"),
                                image(
                                        "registry.example.com/base/a:1",
                                        "registry.example.com/base/b:1")),
                "images[0]");
        assertRefused(
                "sync.cycle",
                () ->
                        plan(
                                null,
                                image(
                                        "docker.io/library/app:1",
                                        "registry.example.com/other/app:1"),
                                image(
                                        "registry.example.com/base/c:1",
                                        "registry.example.com/base/a:1"),
                                image(
                                        "registry.example.com/base/a:1",
                                        "registry.example.com/base/b:1"),
                                image(
                                        "registry.example.com/base/b:1",
                                        "registry.example.com/base/c:1")),
                "images[1]");
        assertThatThrownBy(() -> SyncOrder.topological(List.of(1, 0)))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("sync.cycle"));
    }

    @Test
    void aQuarantineOverlappingAnotherImagesTargetIsRefused() {
        // With the quarantine "base", images[0] is quarantined in reg/base/lib/alpine, images[1]'s
        // trusted name: vetting
        // images[0] would overwrite it. images[1]'s target lies inside the quarantine, which is
        // what is named. Old: only
        // images[1] failed (its own vet refused it), images[0] ran and overwrote it.
        assertRefused(
                "sync.quarantine-overlap",
                () ->
                        plan(
                                "base",
                                image(
                                        "docker.io/library/alpine:1",
                                        "registry.example.com/lib/alpine:1"),
                                image(
                                        "docker.io/library/alpine:1",
                                        "registry.example.com/base/lib/alpine:1")),
                "images[1]",
                "registry.example.com/base/lib/alpine:1",
                "\"base\"");
        // A target above another image's quarantine (not inside the prefix): the pair is named.
        assertRefused(
                "sync.quarantine-overlap",
                () ->
                        plan(
                                "team/quarantine",
                                image(
                                        "docker.io/library/alpine:1",
                                        "registry.example.com/lib/alpine:1"),
                                image(
                                        "docker.io/library/busybox:1",
                                        "registry.example.com/team:1")),
                "images[0]",
                "images[1]",
                "registry.example.com/team/quarantine/lib/alpine",
                "registry.example.com/team:1");
    }

    @Test
    void aTargetInsideTheQuarantineRefusesTheWholeFile() {
        // Old: that image failed alone and the others were copied and vetted.
        assertRefused(
                "sync.quarantine-overlap",
                () ->
                        plan(
                                null,
                                image(
                                        "docker.io/library/nginx:1.27",
                                        "registry.example.com/base/web:1"),
                                image(
                                        "docker.io/library/app:1",
                                        "registry.example.com/quarantine/app:1")),
                "images[1]",
                "registry.example.com/quarantine/app:1",
                "\"quarantine\"");
        assertRefused(
                "sync.quarantine-overlap",
                () ->
                        plan(
                                "registry.example.com/holding/",
                                image(
                                        "docker.io/library/nginx:1.27",
                                        "registry.example.com/holding:1"),
                                image(
                                        "docker.io/library/app:1",
                                        "registry.example.com/base/app:1")),
                "images[0]");
    }

    @Test
    void unrelatedTargetsAreNotRefused() {
        List<Integer> after =
                plan(
                        "quarantine",
                        image("docker.io/library/app:1", "registry.example.com/base/app:1"),
                        image("docker.io/library/app:2", "registry.example.com/base/app:2"),
                        image("docker.io/library/app:1", "registry.example.com/quarantined/app:1"),
                        image("docker.io/library/app:1", "registry.example.com/base:1"),
                        image(
                                "docker.io/library/app:1",
                                "registry.example.com/base/app-quarantine:1"),
                        image("docker.io/library/app:1", "other.example.com/base/app:1"),
                        image("registry.example.com/base/web:1", "registry.example.com/base/web:1"),
                        image("not a reference", "registry.example.com/broken/app:1"));
        assertThat(after).containsOnly(-1);
        assertThat(SyncOrder.topological(after)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }
}
