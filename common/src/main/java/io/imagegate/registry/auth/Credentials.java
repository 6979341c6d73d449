package io.imagegate.registry.auth;

import java.util.Objects;

/**
 * Credentials for one registry. {@code toString()} never shows the secret.
 *
 * <p>{@link Kind#BASIC} is a username and password (or a token used as a password, as ACR accepts);
 * {@link Kind#IDENTITY_TOKEN} is an OAuth2 refresh token from Docker's config ({@code
 * identitytoken}), sent to the token endpoint as {@code grant_type=refresh_token}; {@link
 * Kind#REGISTRY_TOKEN} is a bearer token sent to the registry as it is.
 */
public final class Credentials {
    public enum Kind {
        BASIC,
        IDENTITY_TOKEN,
        REGISTRY_TOKEN
    }

    private final Kind kind;
    private final String username;
    private final String secret;
    private final String source;

    private Credentials(Kind kind, String username, String secret, String source) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.username = username == null ? "" : username;
        this.secret = Objects.requireNonNull(secret, "secret");
        this.source = source == null ? "" : source;
    }

    private Credentials(Kind kind, String username, String secret) {
        this(kind, username, secret, "");
    }

    /**
     * These credentials, labelled with where they came from ({@code settings.xml server "id"}, a
     * Docker config entry, an environment variable), so a refusal names the source to fix. The
     * label never holds the secret.
     */
    public Credentials from(String label) {
        return new Credentials(kind, username, secret, label);
    }

    /** Where these credentials came from, in words, or empty when not known. */
    public String source() {
        return source;
    }

    public static Credentials basic(String username, String password) {
        return new Credentials(Kind.BASIC, Objects.requireNonNull(username, "username"), password);
    }

    public static Credentials identityToken(String username, String refreshToken) {
        return new Credentials(Kind.IDENTITY_TOKEN, username, refreshToken);
    }

    public static Credentials registryToken(String token) {
        return new Credentials(Kind.REGISTRY_TOKEN, "", token);
    }

    public Kind kind() {
        return kind;
    }

    public String username() {
        return username;
    }

    /** The password or token. Handle with care: never log it or put it in a message. */
    public String secret() {
        return secret;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c
                && kind == c.kind
                && username.equals(c.username)
                && secret.equals(c.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, username, secret);
    }

    @Override
    public String toString() {
        return "Credentials["
                + kind
                + (username.isEmpty() ? "" : ", user=" + username)
                + (source.isEmpty() ? "" : ", from " + source)
                + ", secret=****]";
    }
}
