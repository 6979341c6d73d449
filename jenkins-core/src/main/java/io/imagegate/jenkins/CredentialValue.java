package io.imagegate.jenkins;

import io.imagegate.api.CredentialRef;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A Jenkins credential's values, looked up on the controller by id and carried to the agent with the work: a username and
 * password, or a secret text (sent to a registry as a bearer token, or to a Trivy server as its token). Never shown by
 * {@link #toString()}.
 */
public final class CredentialValue implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The two credential types the steps take. */
    public enum Kind { USERNAME_PASSWORD, SECRET_TEXT }

    private final String id;
    private final Kind kind;
    private final String username;
    private final boolean usernameSecret;
    private final String secret;

    private CredentialValue(String id, Kind kind, String username, boolean usernameSecret, String secret) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = kind;
        this.username = username;
        this.usernameSecret = usernameSecret;
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /**
     * A username and password. {@code usernameSecret} says whether the username is masked too (Jenkins'
     * {@code UsernameCredentials.isUsernameSecret()}, true by default).
     */
    public static CredentialValue usernamePassword(String id, String username, String password, boolean usernameSecret) {
        return new CredentialValue(id, Kind.USERNAME_PASSWORD, Objects.requireNonNull(username, "username"), usernameSecret, password);
    }

    /** A secret text. */
    public static CredentialValue secretText(String id, String secret) {
        return new CredentialValue(id, Kind.SECRET_TEXT, null, false, secret);
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    /** The reference the API takes for a registry. */
    CredentialRef registryRef() {
        return kind == Kind.USERNAME_PASSWORD ? CredentialRef.usernamePassword(username, secret) : CredentialRef.token(secret);
    }

    /** The secret itself (for a Trivy server's token). */
    String secret() {
        return secret;
    }

    /** Every form of these values that must never reach a log: the secret, a secret username, and the Basic auth pair. */
    List<String> maskedForms() {
        List<String> out = new ArrayList<>();
        out.add(secret);
        if (kind == Kind.USERNAME_PASSWORD) {
            if (usernameSecret) {
                out.add(username);
            }
            out.add(Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Override
    public String toString() {
        return "CredentialValue[" + id + ", " + kind + "]";
    }
}
