package io.imagegate.jenkins;

import io.imagegate.api.CredentialRef;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A Jenkins credential's values, looked up on the controller by id and carried to the agent with
 * the work: a username and password, a secret text (sent to a registry as a bearer token, to a
 * Trivy server as its token, or a signing key's password), or a secret file's content (a signing
 * key, kept in memory: never written to a file). Never shown by {@link #toString()}.
 */
public final class CredentialValue implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The credential types the steps take. */
    public enum Kind {
        USERNAME_PASSWORD,
        SECRET_TEXT,
        SECRET_FILE
    }

    /**
     * Lines of a secret file shorter than this are not masked on their own (the whole file and its
     * body still are).
     */
    static final int MIN_MASKED_LINE = 16;

    private final String id;
    private final Kind kind;
    private final String username;
    private final boolean usernameSecret;
    private final String secret;

    private CredentialValue(
            String id, Kind kind, String username, boolean usernameSecret, String secret) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = kind;
        this.username = username;
        this.usernameSecret = usernameSecret;
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /**
     * A username and password. {@code usernameSecret} says whether the username is masked too
     * (Jenkins' {@code UsernameCredentials.isUsernameSecret()}, true by default).
     */
    public static CredentialValue usernamePassword(
            String id, String username, String password, boolean usernameSecret) {
        return new CredentialValue(
                id,
                Kind.USERNAME_PASSWORD,
                Objects.requireNonNull(username, "username"),
                usernameSecret,
                password);
    }

    /** A secret text. */
    public static CredentialValue secretText(String id, String secret) {
        return new CredentialValue(id, Kind.SECRET_TEXT, null, false, secret);
    }

    /**
     * A secret file's content, at most {@link CredentialUse#MAX_FILE_BYTES} bytes (the lookup reads
     * no more). Bytes that are not ASCII are kept as ISO-8859-1 characters: a key file is PEM, and
     * anything else is refused as not a key.
     */
    public static CredentialValue secretFile(String id, byte[] content) {
        if (content.length > CredentialUse.MAX_FILE_BYTES) {
            throw new IllegalArgumentException(
                    "a secret file of more than " + CredentialUse.MAX_FILE_BYTES + " bytes");
        }
        return new CredentialValue(
                id,
                Kind.SECRET_FILE,
                null,
                false,
                new String(content, StandardCharsets.ISO_8859_1));
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    /** The reference the API takes for a registry. */
    CredentialRef registryRef() {
        return CredentialRef.labelled(
                kind == Kind.USERNAME_PASSWORD
                        ? CredentialRef.usernamePassword(username, secret)
                        : CredentialRef.token(secret),
                "Jenkins credentials \"" + id + "\"");
    }

    /**
     * The secret itself (a Trivy server's token, a signing key's password, a secret file's
     * content).
     */
    String secret() {
        return secret;
    }

    /**
     * Every form of these values that must never reach a log: the secret, a secret username, and
     * the Basic auth pair; of a file, also each of its lines (a log line never holds a whole file)
     * but PEM's armour, and its base64 body in one piece.
     */
    List<String> maskedForms() {
        List<String> out = new ArrayList<>();
        out.add(secret);
        if (kind == Kind.SECRET_FILE) {
            StringBuilder body = new StringBuilder();
            for (String line : secret.split("\\R")) {
                String content = line.strip();
                // armour and PEM headers ("Proc-Type: 4,ENCRYPTED"; base64 has no colon) are no
                // secret
                if (content.startsWith("-----") || content.isEmpty() || content.indexOf(':') >= 0) {
                    continue;
                }
                // a short last line would mask ordinary words, and holds little of the key
                if (content.length() >= MIN_MASKED_LINE) {
                    out.add(content);
                }
                body.append(content);
            }
            if (body.length() > 0) {
                out.add(body.toString());
            }
        }
        if (kind == Kind.USERNAME_PASSWORD) {
            if (usernameSecret) {
                out.add(username);
            }
            out.add(
                    Base64.getEncoder()
                            .encodeToString(
                                    (username + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Override
    public String toString() {
        return "CredentialValue[" + id + ", " + kind + "]";
    }
}
