package io.imagegate.jenkins;

import io.imagegate.api.Environment;
import io.imagegate.api.RegistrySettings;
import io.imagegate.api.Settings;
import io.imagegate.api.Spec;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A step's parameters: the model the plugin's step classes delegate every {@code @DataBoundSetter} to and the library's
 * steps take as named arguments. Required parameters are the constructor's, optional ones have setters; a test checks the
 * plugin's step classes against this model so the two cannot drift apart. Plain, mutable and serializable (it travels to
 * the agent), never a record.
 *
 * <p>Every step shares how registries are reached: plain HTTP for named registries, an extra CA file, and credentials per
 * registry.
 */
public abstract class StepParameters implements Serializable {
    private static final long serialVersionUID = 1L;

    private ArrayList<String> insecureRegistries = new ArrayList<>();
    private String caFile;
    private ArrayList<String> registryCredentials = new ArrayList<>();

    /** Which step these parameters are for. */
    public abstract StepKind kind();

    /** The API's spec, with the credentials looked up so far (none while validating on the controller). */
    abstract Spec spec(CredentialValues credentials);

    /** Ids of the credentials the step names besides {@link #getRegistryCredentials()}, with the parameter naming each. */
    abstract void credentialIds(Map<String, String> parameterToId);

    public List<String> getInsecureRegistries() {
        return List.copyOf(insecureRegistries);
    }

    /** Registries ({@code host[:port]}) reached over plain HTTP; loopback registries always may. */
    public void setInsecureRegistries(List<String> insecureRegistries) {
        this.insecureRegistries = Values.list(insecureRegistries);
    }

    public String getCaFile() {
        return caFile;
    }

    /** A PEM file of CA certificates trusted for every registry besides the JVM's, relative to the workspace. */
    public void setCaFile(String caFile) {
        this.caFile = Values.text(caFile);
    }

    public List<String> getRegistryCredentials() {
        return List.copyOf(registryCredentials);
    }

    /** {@code REGISTRY=CREDENTIALS_ID} entries: the credentials to use for a registry ({@code host[:port]}). */
    public void setRegistryCredentials(List<String> registryCredentials) {
        this.registryCredentials = Values.list(registryCredentials);
    }

    /** The first problem with these parameters, in the step's words; empty when the step may run. */
    public Optional<String> problem() {
        try {
            credentialUses();
            spec(CredentialValues.none()).validate();
            return Optional.empty();
        } catch (ImageGateException e) {
            return Optional.of(e.render(JenkinsVocabulary.INSTANCE));
        }
    }

    /** The credentials to look up on the controller, in the order the parameters name them. */
    public List<CredentialUse> credentialUses() {
        List<CredentialUse> uses = new ArrayList<>();
        Map<String, String> named = new LinkedHashMap<>();
        credentialIds(named);
        named.forEach((parameter, id) -> {
            if (id != null) {
                uses.add(new CredentialUse(id, parameter, !parameter.equals("trivyServerCredentialsId")));
            }
        });
        for (String[] entry : registryCredentialEntries()) {
            uses.add(new CredentialUse(entry[1], "registryCredentials", true));
        }
        return uses.stream().distinct().toList();
    }

    /** The settings the work runs with on the agent: its environment, and these parameters' registries. */
    Settings settings(Environment environment, CredentialValues credentials) {
        Settings settings = Settings.of(environment);
        for (String host : insecureRegistries) {
            settings = settings.withRegistry(RegistrySettings.of(host).withPlainHttp(true));
        }
        if (caFile != null) {
            settings = settings.withRegistry(RegistrySettings.defaults().withCaFile(caFile));
        }
        for (String[] entry : registryCredentialEntries()) {
            settings = settings.withRegistry(RegistrySettings.of(entry[0]).withCredentials(credentials.registryRef(entry[1])));
        }
        return settings;
    }

    private List<String[]> registryCredentialEntries() {
        List<String[]> out = new ArrayList<>();
        for (String entry : registryCredentials) {
            int eq = entry.indexOf('=');
            String registry = eq < 0 ? "" : entry.substring(0, eq).strip();
            String id = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (registry.isEmpty() || id.isEmpty() || registry.contains("/")) {
                throw ImageGateException.usage(Field.REGISTRY_CREDENTIALS, "jenkins.registry-credentials", "\"{0}\" ({1}) must be"
                        + " REGISTRY=CREDENTIALS_ID, e.g. registry.example.com=registry-push", entry, Field.REGISTRY_CREDENTIALS);
            }
            out.add(new String[] {registry, id});
        }
        return out;
    }
}
