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
    private final String origin;

    private Credentials(Kind kind, String username, String secret, String origin) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.username = username == null ? "" : username;
        this.secret = Objects.requireNonNull(secret, "secret");
        this.origin = origin == null ? "" : origin;
    }

    private Credentials(Kind kind, String username, String secret) {
        this(kind, username, secret, "");
    }

    /**
     * Where these came from, for messages ({@code credsStore desktop in
     * /home/u/.docker/config.json}, {@code the environment variables HUB_USER:HUB_TOKEN}); empty
     * when not known. Never a secret.
     */
    public String origin() {
        return origin;
    }

    /** These credentials, noted as coming from {@code where}. */
    public Credentials from(String where) {
        return new Credentials(kind, username, secret, where);
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
                + ", secret=****]";
    }
}
