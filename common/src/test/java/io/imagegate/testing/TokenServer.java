package io.imagegate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token server for the registry's token auth, the Azure Container Registry shape: {@code
 * /oauth2/token} with {@code service} and {@code scope} parameters, Basic credentials or none, and
 * Docker's OAuth2 POST (password and refresh_token grants). It issues RS256 JWTs whose {@code x5c}
 * certificate is the registry's root bundle. Grants: the push user gets what it asks for, the pull
 * user only {@code pull}, anonymous only {@code pull} on {@code public/*}.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "imagegate-test-registry";
    public static final String ISSUER = "imagegate-test-token-issuer";

    /** Which fields the answer carries (registries' token servers differ). */
    public enum TokenField {
        TOKEN,
        ACCESS_TOKEN,
        BOTH
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final TestCertificates.Issued signingKey;
    private final Map<String, String> passwords;
    private final TokenField field;
    private final long expiresIn;
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> scopes = Collections.synchronizedList(new ArrayList<>());

    public TokenServer(
            TestCertificates.Issued signingKey,
            Map<String, String> passwords,
            TokenField field,
            long expiresIn) {
        this.signingKey = signingKey;
        this.passwords = Map.copyOf(passwords);
        this.field = field;
        this.expiresIn = expiresIn;
        try {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/oauth2/token", this::handle);
        server.start();
    }

    public URI realm() {
        // A name, not an IP literal: go-containerregistry (Trivy, ORAS) refuses a token realm
        // written as a private or
        // loopback address, as real registries never have one.
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/oauth2/token");
    }

    public int requests() {
        return requests.get();
    }

    /** Every scope asked for, in order. */
    public List<String> scopes() {
        synchronized (scopes) {
            return List.copyOf(scopes);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            Map<String, List<String>> params = parse(exchange.getRequestURI().getRawQuery());
            Optional<String> user = Optional.empty();
            boolean authenticated;
            if (exchange.getRequestMethod().equals("POST")) {
                Map<String, List<String>> form =
                        parse(
                                new String(
                                        exchange.getRequestBody().readAllBytes(),
                                        StandardCharsets.UTF_8));
                form.forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                String grant = first(params, "grant_type");
                if (grant.equals("refresh_token")) {
                    authenticated =
                            RegistryExtension.REFRESH_TOKEN.equals(first(params, "refresh_token"));
                    user = Optional.of(RegistryExtension.PUSH_USER);
                } else if (grant.equals("password")) {
                    user = Optional.of(first(params, "username"));
                    authenticated = first(params, "password").equals(passwords.get(user.get()));
                } else {
                    authenticated = false;
                }
            } else {
                String header = exchange.getRequestHeaders().getFirst("Authorization");
                if (header != null && header.startsWith("Basic ")) {
                    String decoded =
                            new String(
                                    Base64.getDecoder().decode(header.substring(6)),
                                    StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    user = Optional.of(decoded.substring(0, colon));
                    authenticated = decoded.substring(colon + 1).equals(passwords.get(user.get()));
                } else {
                    authenticated = true; // anonymous
                }
            }
            if (!authenticated) {
                byte[] body =
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}"
                                .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            List<String> asked = new ArrayList<>();
            for (String scope : params.getOrDefault("scope", List.of())) {
                for (String one : scope.split(" ")) {
                    if (!one.isBlank()) {
                        asked.add(one);
                    }
                }
            }
            scopes.addAll(asked);
            String token = mint(user.orElse(""), asked);
            ObjectNode answer = JSON.createObjectNode();
            if (field != TokenField.ACCESS_TOKEN) {
                answer.put("token", token);
            }
            if (field != TokenField.TOKEN) {
                answer.put("access_token", token);
            }
            answer.put("expires_in", expiresIn);
            answer.put("issued_at", Instant.now().toString());
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** A signed token for {@code user} with what the grant rules allow of {@code scopes}. */
    public String mint(String user, List<String> scopes) {
        ArrayNode access = JSON.createArrayNode();
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length < 3) {
                continue;
            }
            String type = parts[0];
            String name =
                    String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
            List<String> granted = new ArrayList<>();
            for (String action : parts[parts.length - 1].split(",")) {
                if (allowed(user, name, action)) {
                    granted.add(action);
                }
            }
            ObjectNode entry = access.addObject();
            entry.put("type", type);
            entry.put("name", name);
            ArrayNode actions = entry.putArray("actions");
            granted.forEach(actions::add);
        }
        try {
            ObjectNode header = JSON.createObjectNode();
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.putArray("x5c")
                    .add(Base64.getEncoder().encodeToString(signingKey.certificate().getEncoded()));
            long now = Instant.now().getEpochSecond();
            ObjectNode claims = JSON.createObjectNode();
            claims.put("iss", ISSUER);
            claims.put("sub", user);
            claims.put("aud", SERVICE);
            claims.put("exp", now + expiresIn);
            claims.put("nbf", now - 10);
            claims.put("iat", now);
            claims.put("jti", UUID.randomUUID().toString());
            claims.set("access", access);
            String signingInput =
                    URL.encodeToString(JSON.writeValueAsBytes(header))
                            + "."
                            + URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(signingKey.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(rsa.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allowed(String user, String repository, String action) {
        if (user.equals(RegistryExtension.PUSH_USER)) {
            return true;
        }
        if (user.equals(RegistryExtension.PULL_USER)) {
            return action.equals("pull");
        }
        return user.isEmpty() && action.equals("pull") && repository.startsWith("public/");
    }

    private static Map<String, List<String>> parse(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key =
                    URLDecoder.decode(
                            eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value =
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
