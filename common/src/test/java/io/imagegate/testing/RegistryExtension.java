package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the real CNCF distribution registry ({@code docker-registry serve}) on a free loopback
 * port with temporary storage, once per test class: {@code @RegisterExtension static final
 * RegistryExtension registry = RegistryExtension.anonymous();}.
 *
 * <p>Variants: anonymous, htpasswd (Basic), token auth (with a {@link TokenServer} in test code)
 * and TLS (a CA generated for the run). A missing registry binary fails the tests; it never skips
 * them.
 */
public final class RegistryExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    public static final String PUSH_USER = "alice";
    public static final String PUSH_PASSWORD = "alice-Secret-123";
    public static final String PULL_USER = "reader";
    public static final String PULL_PASSWORD = "reader-Secret-456";

    /** An identity (refresh) token the token server maps to {@link #PUSH_USER}. */
    public static final String REFRESH_TOKEN = "refresh-token-for-alice";

    private static final Pattern ACCESS_LOG =
            Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) ");

    public enum Variant {
        ANONYMOUS,
        HTPASSWD,
        TOKEN,
        TLS
    }

    private final Variant variant;
    private final TokenServer.TokenField tokenField;
    private final long tokenExpiresIn;

    private Path dir;
    private Process process;
    private int port;
    private Path log;
    private Path caCertificate;
    private TokenServer tokenServer;
    private long logMark;

    private RegistryExtension(
            Variant variant, TokenServer.TokenField tokenField, long tokenExpiresIn) {
        this.variant = variant;
        this.tokenField = tokenField;
        this.tokenExpiresIn = tokenExpiresIn;
    }

    public static RegistryExtension anonymous() {
        return new RegistryExtension(Variant.ANONYMOUS, null, 0);
    }

    public static RegistryExtension htpasswd() {
        return new RegistryExtension(Variant.HTPASSWD, null, 0);
    }

    public static RegistryExtension tokenAuth() {
        return tokenAuth(TokenServer.TokenField.BOTH, 300);
    }

    public static RegistryExtension tokenAuth(TokenServer.TokenField field, long expiresIn) {
        return new RegistryExtension(Variant.TOKEN, field, expiresIn);
    }

    public static RegistryExtension tls() {
        return new RegistryExtension(Variant.TLS, null, 0);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the registry; for use outside JUnit (CLI tests, benchmarks). */
    public RegistryExtension start() {
        try {
            dir = Files.createTempDirectory("imagegate-registry-");
            Path storage = Files.createDirectories(dir.resolve("storage"));
            log = dir.resolve("registry.log");
            port = freePort();
            StringBuilder config =
                    new StringBuilder()
                            .append("version: 0.1\n")
                            .append(
                                    "log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n")
                            .append("storage:\n  filesystem:\n    rootdirectory: ")
                            .append(storage)
                            .append('\n')
                            .append("  delete:\n    enabled: true\n")
                            .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
                            .append("http:\n  addr: 127.0.0.1:")
                            .append(port)
                            .append('\n')
                            .append("  secret: imagegate-test-secret\n");
            switch (variant) {
                case TLS -> {
                    TestCertificates.Issued ca =
                            TestCertificates.selfSigned("imagegate test CA", true);
                    TestCertificates.Issued server = TestCertificates.server(ca);
                    caCertificate =
                            TestCertificates.write(
                                    dir.resolve("ca.pem"), TestCertificates.pem(ca.certificate()));
                    Path cert =
                            TestCertificates.write(
                                    dir.resolve("server.pem"),
                                    TestCertificates.pem(server.certificate()));
                    Path key =
                            TestCertificates.write(
                                    dir.resolve("server.key"),
                                    TestCertificates.pem(server.privateKey()));
                    config.append("  tls:\n    certificate: ")
                            .append(cert)
                            .append("\n    key: ")
                            .append(key)
                            .append('\n');
                }
                case HTPASSWD -> {
                    Path htpasswd = dir.resolve("htpasswd");
                    Files.writeString(
                            htpasswd,
                            bcrypt(PUSH_USER, PUSH_PASSWORD) + bcrypt(PULL_USER, PULL_PASSWORD));
                    config.append("auth:\n  htpasswd:\n    realm: imagegate-test\n    path: ")
                            .append(htpasswd)
                            .append('\n');
                }
                case TOKEN -> {
                    TestCertificates.Issued signing =
                            TestCertificates.selfSigned("imagegate test token signer", false);
                    Path bundle =
                            TestCertificates.write(
                                    dir.resolve("token-root.pem"),
                                    TestCertificates.pem(signing.certificate()));
                    tokenServer =
                            new TokenServer(
                                    signing,
                                    Map.of(PUSH_USER, PUSH_PASSWORD, PULL_USER, PULL_PASSWORD),
                                    tokenField,
                                    tokenExpiresIn);
                    config.append("auth:\n  token:\n    realm: ")
                            .append(tokenServer.realm())
                            .append("\n    service: ")
                            .append(TokenServer.SERVICE)
                            .append("\n    issuer: ")
                            .append(TokenServer.ISSUER)
                            .append("\n    rootcertbundle: ")
                            .append(bundle)
                            .append('\n');
                }
                case ANONYMOUS -> {}
            }
            Path configFile = dir.resolve("config.yml");
            Files.writeString(configFile, config);
            launch();
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    private void launch() throws IOException {
        process =
                new ProcessBuilder(
                                binary().toString(), "serve", dir.resolve("config.yml").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        awaitReady();
    }

    /**
     * Stops the registry and starts it again on the same port with the same storage: only what it
     * stored survives.
     */
    public void restart() {
        stopProcess();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The registry binary: {@code IMAGEGATE_REGISTRY_BIN}, else {@code docker-registry} on the
     * PATH.
     */
    static Path binary() {
        String configured = System.getenv("IMAGEGATE_REGISTRY_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(
                        Stream.of(path.split(java.io.File.pathSeparator)), Stream.of("/usr/bin"))
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, "docker-registry"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "the CNCF distribution registry (docker-registry) is not installed, and these tests need the real one;"
                                                + " run scripts/setup (apt-get install docker-registry) or set IMAGEGATE_REGISTRY_BIN"));
    }

    private static String bcrypt(String user, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5) + "\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "docker-registry exited with "
                                + process.exitValue()
                                + ":\n"
                                + Files.readString(log));
            }
            try (java.net.Socket ignored =
                    new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException(
                "docker-registry did not listen on "
                        + port
                        + " within 20s:\n"
                        + Files.readString(log));
    }

    public Variant variant() {
        return variant;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public String scheme() {
        return variant == Variant.TLS ? "https" : "http";
    }

    public URI baseUri() {
        return URI.create(scheme() + "://" + hostPort());
    }

    public boolean requiresAuth() {
        return variant == Variant.HTPASSWD || variant == Variant.TOKEN;
    }

    /** The CA that signed the TLS variant's certificate (PEM). */
    public Path caCertificate() {
        if (caCertificate == null) {
            throw new IllegalStateException("only the TLS variant has a CA");
        }
        return caCertificate;
    }

    public Path storageDir() {
        return dir.resolve("storage");
    }

    public Optional<TokenServer> tokenServer() {
        return Optional.ofNullable(tokenServer);
    }

    /**
     * An {@code Authorization} header value for test fixtures, independent of the product's client:
     * Basic for htpasswd, a token minted directly for the push user, or null where no auth is
     * needed.
     */
    public String authorizationHeader(String repository, String actions) {
        return switch (variant) {
            case HTPASSWD ->
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (PUSH_USER + ":" + PUSH_PASSWORD)
                                                    .getBytes(StandardCharsets.UTF_8));
            case TOKEN ->
                    "Bearer "
                            + tokenServer.mint(
                                    PUSH_USER, List.of("repository:" + repository + ":" + actions));
            default -> null;
        };
    }

    /** Requests the registry logged since the last {@link #clearRequests()}. */
    public List<RegistryRequest> requests() {
        List<RegistryRequest> out = new ArrayList<>();
        for (String line : logLines(logMark)) {
            Matcher m = ACCESS_LOG.matcher(line);
            if (m.find()) {
                String path = m.group(2);
                int query = path.indexOf('?');
                out.add(
                        new RegistryRequest(
                                m.group(1),
                                query < 0 ? path : path.substring(0, query),
                                Integer.parseInt(m.group(3))));
            }
        }
        return out;
    }

    /** Starts counting requests afresh. */
    public void clearRequests() {
        awaitQuiet();
        logMark = logSize();
    }

    /**
     * Waits until the access log is quiet (lines are written just after responses), then returns
     * the requests.
     */
    public List<RegistryRequest> awaitRequests() {
        awaitQuiet();
        return requests();
    }

    private void awaitQuiet() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long size = logSize();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            sleep(50);
            long now = logSize();
            if (now != size) {
                size = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > Duration.ofMillis(300).toNanos()) {
                return;
            }
        }
    }

    private long logSize() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    private List<String> logLines(long from) {
        try {
            byte[] all = Files.readAllBytes(log);
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The registry's own log, for failure messages. */
    public String logText() {
        return String.join("\n", logLines(0));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A plain HTTP status check of {@code /v2/} (anonymous and TLS variants), for readiness tests.
     */
    int pingStatus() throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) baseUri().resolve("/v2/").toURL().openConnection();
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private void stopProcess() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
        }
        if (tokenServer != null) {
            tokenServer.close();
            tokenServer = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temporary files; the OS cleans up eventually
            }
            dir = null;
        }
    }
}
