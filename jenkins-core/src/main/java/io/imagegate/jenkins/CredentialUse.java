package io.imagegate.jenkins;

import java.util.Objects;

/**
 * A credential a step names by id, which the controller must look up before the work goes to the
 * agent: the id, the parameter that named it, which credential types fit, and the URI it is for (a
 * registry, the Trivy server), which the lookup passes as its domain requirement so that
 * credentials in a domain restricted to other hosts do not match.
 */
public final class CredentialUse {
    /** Which credential types fit a use. */
    public enum Accepts {
        /** A registry's: a username with password, or a secret text (a bearer token). */
        USERNAME_PASSWORD_OR_SECRET_TEXT(
                "a \"Username with password\" or \"Secret text\" credential",
                "a username with password or a secret text"),
        /** A token or password: a secret text. */
        SECRET_TEXT("a \"Secret text\" credential", "a secret text"),
        /** A key: a secret file. */
        SECRET_FILE("a \"Secret file\" credential", "a secret file");

        private final String toAdd;
        private final String expected;

        Accepts(String toAdd, String expected) {
            this.toAdd = toAdd;
            this.expected = expected;
        }
    }

    /** The largest secret file a step reads (a private key is a few hundred bytes). */
    public static final int MAX_FILE_BYTES = 64 * 1024;

    private final String id;
    private final String parameter;
    private final Accepts accepts;
    private final String uri;

    CredentialUse(String id, String parameter, Accepts accepts, String uri) {
        this.id = Objects.requireNonNull(id, "id");
        this.parameter = parameter;
        this.accepts = Objects.requireNonNull(accepts, "accepts");
        this.uri = uri;
    }

    /**
     * A registry's credential: for {@code https://host[:port]}, Docker Hub's as docker-commons
     * names it.
     */
    static CredentialUse registry(String id, String parameter, String registry) {
        String uri = registry.equals("docker.io") ? DOCKER_HUB_URI : "https://" + registry;
        return new CredentialUse(id, parameter, Accepts.USERNAME_PASSWORD_OR_SECRET_TEXT, uri);
    }

    /**
     * Docker Hub's URL as docker-commons' {@code DockerRegistryEndpoint} (and so {@code
     * withRegistry}) names it.
     */
    static final String DOCKER_HUB_URI = "https://index.docker.io/v1/";

    /** The credential id. */
    public String id() {
        return id;
    }

    /** The step parameter that named it, e.g. {@code targetCredentialsId}. */
    public String parameter() {
        return parameter;
    }

    /** Which credential types fit. */
    public Accepts accepts() {
        return accepts;
    }

    /** Whether a username with password fits (registries). */
    public boolean acceptsUsernamePassword() {
        return accepts == Accepts.USERNAME_PASSWORD_OR_SECRET_TEXT;
    }

    /**
     * Whether a secret text fits (registries, tokens, passwords; never where a file is expected).
     */
    public boolean acceptsSecretText() {
        return accepts != Accepts.SECRET_FILE;
    }

    /** Whether a secret file fits (a signing key), and only then. */
    public boolean acceptsSecretFile() {
        return accepts == Accepts.SECRET_FILE;
    }

    /**
     * The URI the credential is for ({@code https://registry.example.com}, the Trivy server's URL),
     * for the lookup's domain requirement ({@code URIRequirementBuilder.fromUri}); null when the
     * step names none.
     */
    public String uri() {
        return uri;
    }

    /** The message when no usable credential has this id. */
    public String notFound() {
        return "no credential with id '"
                + id
                + "' ("
                + parameter
                + ") that this build may use"
                + (uri == null ? "" : " for " + uri)
                + ": add "
                + accepts.toAdd
                + " with that id, or check the id, the folder it is defined in"
                + (uri == null ? "" : ", and that its domain (if any) includes " + uri);
    }

    /**
     * The message when the credential with this id is of another type, e.g. {@code SSH Username
     * with private key}.
     */
    public String wrongType(String actualType) {
        return "credential '"
                + id
                + "' ("
                + parameter
                + ") is a "
                + actualType
                + ", "
                + accepts.expected
                + " was expected";
    }

    /** The message when a secret file is larger than {@link #MAX_FILE_BYTES}; it is not read. */
    public String tooLarge() {
        return "the secret file of credential '"
                + id
                + "' ("
                + parameter
                + ") is larger than "
                + MAX_FILE_BYTES
                + " bytes; it is not"
                + " a key: upload the private key file (cosign.key)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialUse u
                && id.equals(u.id)
                && Objects.equals(parameter, u.parameter)
                && accepts == u.accepts
                && Objects.equals(uri, u.uri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, parameter, accepts, uri);
    }

    @Override
    public String toString() {
        return parameter + "=" + id + (uri == null ? "" : " for " + uri);
    }
}
