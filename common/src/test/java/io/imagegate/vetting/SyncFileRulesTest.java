package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules, credential sets and anonymous registries in the sync file, as it is read. */
class SyncFileRulesTest {
    @TempDir Path dir;

    private SyncFile load(String yaml) throws IOException {
        return SyncFile.load(Files.writeString(dir.resolve("sync.yaml"), yaml));
    }

    private String refused(String yaml) {
        ImageGateException e =
                (ImageGateException)
                        org.assertj.core.api.Assertions.catchThrowable(() -> load(yaml));
        assertThat(e).as(yaml).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
        return e.getMessage();
    }

    @Test
    void rulesAreReadWithTheirLines() throws IOException {
        SyncFile sync =
                load(
                        """
                credentialSets:
                  hub: {env: HUB_USER:HUB_TOKEN}
                  local: {dockerConfig: true}
                anonymous: [quay.io]
                images:
                  - source: docker.io/library/alpine:3.20
                    target: registry.example.com/base/alpine:3.20
                  - source: docker.io/library/alpine
                    target: registry.example.com/base/alpine
                    credentialSet: hub
                    tags:
                      semver: ">=3.19.0 <4"
                      allow: ['^3\\\\.\\\\d+$']
                      deny: ['.*-rc.*']
                      latest: 3
                  - source: quay.io/myorg/*
                    target: registry.example.com/base/myorg/*
                    repositories: [app-base, jdk]
                    tags: {allow: ['^v\\\\d+\\\\.\\\\d+$']}
                """);
        assertThat(sync.images()).extracting(SyncFile.Entry::line).containsExactly(6, 8, 16);
        assertThat(sync.images())
                .extracting(SyncFile.Entry::isRule)
                .containsExactly(false, true, true);
        SyncFile.Entry alpine = sync.images().get(1);
        assertThat(alpine.credentialSet()).isEqualTo("hub");
        assertThat(alpine.tags().semver()).isEqualTo(">=3.19.0 <4");
        assertThat(alpine.tags().latest()).isEqualTo(3);
        assertThat(sync.images().get(2).repositories()).containsExactly("app-base", "jdk");
        assertThat(sync.credentialSets().get("local").dockerConfig()).isTrue();
        assertThat(sync.anonymous()).containsExactly("quay.io");
        // a source without a tag and without tags: is still its latest, as before rules
        assertThat(
                        load("images:\n  - source: a/b\n    target: r.example/c/b\n")
                                .images()
                                .get(0)
                                .isRule())
                .isFalse();
    }

    @Test
    void overlappingRulesAreRefusedNamingBothLines() {
        assertThat(
                        refused(
                                """
                images:
                  - source: docker.io/library/alpine
                    target: r.example/base/alpine
                    tags: {latest: 2}
                  - source: quay.io/other/alpine
                    target: r.example/base/alpine
                    tags: {latest: 1}
                """))
                .contains("line 2")
                .contains("line 5")
                .contains("r.example/base/alpine");
        assertThat(
                        refused(
                                """
                images:
                  - source: quay.io/myorg/*
                    target: r.example/base/myorg/*
                    tags: {latest: 2}
                  - source: docker.io/library/jdk
                    target: r.example/base/myorg/jdk
                    tags: {latest: 1}
                """))
                .contains("line 2")
                .contains("line 5");
    }

    @Test
    void secretsAreNeverWrittenInTheFile() {
        assertThat(
                        refused(
                                """
                credentialSets:
                  hub: {username: me, password: hunter2}
                images:
                  - source: a:1
                    target: r.example/a:1
                """))
                .contains("never the secret")
                .contains("env:")
                .doesNotContain("hunter2");
        assertThat(
                        refused(
                                """
                credentialSets:
                  hub: {env: "me:hunter2 with spaces"}
                images:
                  - source: a:1
                    target: r.example/a:1
                """))
                .contains("not the name of an environment variable")
                .doesNotContain("hunter2");
        assertThat(
                        refused(
                                """
                images:
                  - source: a:1
                    target: r.example/a:1
                    credentialSet: nope
                """))
                .contains("credentialSet \"nope\" is not defined");
    }

    @Test
    void rulesThatCanNeverWorkAreRefusedAtTheirLine() {
        String head = "images:\n  - source: r.example/x\n    target: r.example/y\n";
        for (List<String> c :
                List.of(
                        List.of("    tags: {semver: '>=3.19 <foo'}\n", "not a version range"),
                        List.of("    tags: {allow: ['[a-']}\n", "not a regular expression"),
                        List.of("    tags: {deny: ['-rc']}\n", ".*-rc.*"),
                        List.of("    tags: {latest: 0}\n", "between 1 and"),
                        List.of("    tags: {}\n", "selects nothing in particular"),
                        List.of("    repositories: [a]\n    tags: {latest: 1}\n", "/*"))) {
            assertThat(refused(head + c.get(0))).contains("line 2").contains(c.get(1));
        }
        assertThat(
                        refused(
                                "images:\n  - source: r.example/x:1\n    target: r.example/y\n"
                                        + "    tags: {latest: 1}\n"))
                .contains("names a tag or digest");
        assertThat(
                        refused(
                                "images:\n  - source: r.example/x/*\n    target: r.example/y\n"
                                        + "    tags: {latest: 1}\n"))
                .contains("wildcard target");
        assertThat(
                        refused(
                                "anonymous: ['https://x/']\nimages:\n  - source: a:1\n    target: r.example/a:1\n"))
                .contains("not a registry");
    }
}
