package io.imagegate.jenkins;

import io.imagegate.api.CredentialRef;
import io.imagegate.api.Environment;
import io.imagegate.api.Inputs;
import io.imagegate.api.RegistryBinding;
import io.imagegate.api.RegistrySettings;
import io.imagegate.api.Settings;
import io.imagegate.api.Spec;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A step's parameters: the model the plugin's step classes delegate every {@code @DataBoundSetter}
 * to and the library's steps take as named arguments. Required parameters are the constructor's,
 * optional ones have setters; a test checks the plugin's step classes against this model so the two
 * cannot drift apart. Plain, mutable and serializable (it travels to the agent), never a record.
 *
 * <p>Every step shares how registries are reached: plain HTTP for named registries, an extra CA
 * file, and credentials per registry. Credentials are always bound to a registry ({@code
 * REGISTRY=ID}) and sent only there: an image that comes from a build parameter cannot take them to
 * another host.
 */
public abstract class StepParameters implements Serializable {
    private static final long serialVersionUID = 1L;

    private ArrayList<String> insecureRegistries = new ArrayList<>();
    private ArrayList<String> anonymousRegistries = new ArrayList<>();
    private String caFile;
    private ArrayList<String> registryCredentials = new ArrayList<>();
    private boolean failOnError = true;

    /** Which step these parameters are for. */
    public abstract StepKind kind();

    /**
     * The API's spec, with the credentials looked up so far (none while validating on the
     * controller) where they apply.
     */
    abstract Spec spec(CredentialValues credentials, Bindings bindings);

    /**
     * The images the step is given and the credential parameters bound to each one's registry
     * (none: no binding).
     */
    abstract void roles(List<Role> roles);

    /**
     * Credentials the step names that are not a registry's (a Trivy server's token, a signing key).
     */
    void otherCredentials(List<CredentialUse> uses) {}

    /**
     * The environment variables the work runs with: the build's, and what the step's credentials
     * put there.
     */
    Map<String, String> variables(Map<String, String> build, CredentialValues credentials) {
        return build;
    }

    /**
     * An image the step is given, and the parameter binding credentials to the registry it should
     * be on.
     *
     * @param imageField the parameter naming the image
     * @param image the image as given (or derived, for a target from mapping rules)
     * @param parameter the credential parameter bound to its registry ({@code
     *     sourceCredentialsId}); null for none
     * @param binding that parameter's {@code REGISTRY=ID}; null for none
     */
    record Role(Field imageField, String image, Field parameter, RegistryBinding binding) {}

    /**
     * Which bound credentials apply: a role's credentials only when its image is on the registry
     * they are bound to, the {@code registryCredentials} to their registries; and the lines saying
     * which do not apply and why.
     */
    record Bindings(
            Map<Field, RegistryBinding> roles,
            List<RegistryBinding> registries,
            List<Message> notes) {
        static final Bindings NONE = new Bindings(Map.of(), List.of(), List.of());

        /** The credentials of a role parameter when they apply, else null. */
        CredentialRef ref(Field parameter, CredentialValues credentials) {
            RegistryBinding b = roles.get(parameter);
            return b == null ? null : credentials.registryRef(b.credentials());
        }
    }

    public List<String> getInsecureRegistries() {
        return List.copyOf(insecureRegistries);
    }

    /** Registries ({@code host[:port]}) reached over plain HTTP; loopback registries always may. */
    public void setInsecureRegistries(List<String> insecureRegistries) {
        this.insecureRegistries = Values.list(insecureRegistries);
    }

    public List<String> getAnonymousRegistries() {
        return List.copyOf(anonymousRegistries);
    }

    /**
     * Registries ({@code host[:port]}) read without stored credentials: for one that allows
     * anonymous pulls but refuses a stale login on the agent.
     */
    public void setAnonymousRegistries(List<String> anonymousRegistries) {
        this.anonymousRegistries = Values.list(anonymousRegistries);
    }

    public String getCaFile() {
        return caFile;
    }

    /**
     * A PEM file of CA certificates trusted for every registry besides the JVM's, relative to the
     * workspace.
     */
    public void setCaFile(String caFile) {
        this.caFile = Values.text(caFile);
    }

    public List<String> getRegistryCredentials() {
        return List.copyOf(registryCredentials);
    }

    /**
     * {@code REGISTRY=CREDENTIALS_ID} entries: the credentials to use for a registry ({@code
     * host[:port]}), and only for it.
     */
    public void setRegistryCredentials(List<String> registryCredentials) {
        this.registryCredentials = Values.list(registryCredentials);
    }

    public boolean isFailOnError() {
        return failOnError;
    }

    /**
     * {@code false}: a registry or scanner error (credentials refused, image not found, registry
     * unreachable, Trivy failing) marks the build UNSTABLE instead of failing it ({@link
     * BuildResult#of(io.imagegate.api.Outcome, io.imagegate.message.ErrorKind, boolean, boolean)}).
     * Bad arguments and settings always fail.
     */
    public void setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
    }

    /**
     * The first problem with these parameters, in the step's words; empty when the step may run.
     */
    public Optional<String> problem() {
        try {
            spec(CredentialValues.none(), bindings()).validate();
            return Optional.empty();
        } catch (ImageGateException e) {
            return Optional.of(e.render(JenkinsVocabulary.INSTANCE));
        }
    }

    /**
     * The credentials to look up on the controller, in the order the parameters name them: only
     * those that apply (a role credential whose image is on another registry is not looked up, so
     * its secret never leaves the controller).
     */
    public List<CredentialUse> credentialUses() {
        Bindings bindings = bindings();
        List<CredentialUse> uses = new ArrayList<>();
        bindings.roles()
                .forEach(
                        (parameter, b) ->
                                uses.add(
                                        CredentialUse.registry(
                                                b.credentials(),
                                                JenkinsVocabulary.INSTANCE.field(parameter),
                                                b.registry())));
        otherCredentials(uses);
        for (RegistryBinding b : bindings.registries()) {
            uses.add(CredentialUse.registry(b.credentials(), "registryCredentials", b.registry()));
        }
        return uses.stream().distinct().toList();
    }

    /**
     * The settings the work runs with on the agent: its environment, and these parameters'
     * registries.
     */
    Settings settings(Environment environment, CredentialValues credentials) {
        Settings settings = Settings.of(environment);
        for (String host : insecureRegistries) {
            settings = settings.withRegistry(RegistrySettings.of(host).withPlainHttp(true));
        }
        if (caFile != null) {
            settings = settings.withRegistry(RegistrySettings.defaults().withCaFile(caFile));
        }
        for (String host : anonymousRegistries) {
            settings = settings.withRegistry(Inputs.anonymousRegistry(Field.ANONYMOUS, host));
        }
        for (RegistryBinding b : registryBindings()) {
            settings =
                    settings.withRegistry(
                            RegistrySettings.of(b.registry())
                                    .withCredentials(credentials.registryRef(b.credentials())));
        }
        return settings;
    }

    /**
     * Decides which bound credentials apply (a usage error when a binding is malformed, or when an
     * image is on another port of a host that has credentials, which the chain would send there).
     */
    Bindings bindings() {
        List<Role> roles = new ArrayList<>();
        roles(roles);
        List<RegistryBinding> registries = registryBindings();
        Map<Field, RegistryBinding> applied = new LinkedHashMap<>();
        List<Message> notes = new ArrayList<>();
        Map<Role, String> registryOf = new LinkedHashMap<>();
        for (Role role : roles) {
            if (role.image() == null && role.imageField() == Field.TARGET) {
                continue;
            }
            String registry = Inputs.registry(role.imageField(), role.image());
            registryOf.put(role, registry);
            if (role.binding() == null) {
                continue;
            }
            if (role.binding().binds(registry)) {
                applied.put(role.parameter(), role.binding());
            } else {
                notes.add(
                        role.binding()
                                .notOn(
                                        role.imageField(),
                                        role.image(),
                                        registry,
                                        role.parameter()));
            }
        }
        Set<String> bound = new HashSet<>();
        applied.values().forEach(b -> bound.add(b.registry()));
        registries.forEach(b -> bound.add(b.registry()));
        registryOf.forEach(
                (role, registry) ->
                        RegistryBinding.checkPort(
                                role.imageField(), role.image(), registry, bound));
        return new Bindings(applied, registries, notes);
    }

    /**
     * The target as the operation will name it, or null when it cannot be derived (the spec's
     * validation says why).
     */
    static String derivedTarget(java.util.function.Supplier<String> target) {
        try {
            return target.get();
        } catch (ImageGateException e) {
            return null;
        }
    }

    /** A role parameter's {@code REGISTRY=ID}, or null when it is not set. */
    static RegistryBinding binding(Field parameter, String value) {
        return value == null
                ? null
                : RegistryBinding.parse(parameter, value, "docker.io=dockerhub");
    }

    private List<RegistryBinding> registryBindings() {
        List<RegistryBinding> out = new ArrayList<>();
        for (String entry : registryCredentials) {
            int eq = entry.indexOf('=');
            String registry = eq < 0 ? "" : entry.substring(0, eq).strip();
            String id = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (registry.isEmpty() || id.isEmpty() || registry.contains("/")) {
                throw ImageGateException.usage(
                        Field.REGISTRY_CREDENTIALS,
                        "jenkins.registry-credentials",
                        "\"{0}\" ({1}) must be"
                                + " REGISTRY=CREDENTIALS_ID, e.g. registry.example.com=registry-push",
                        entry,
                        Field.REGISTRY_CREDENTIALS);
            }
            out.add(
                    RegistryBinding.parse(
                            Field.REGISTRY_CREDENTIALS,
                            entry,
                            "registry.example.com=registry-push"));
        }
        return out;
    }
}
