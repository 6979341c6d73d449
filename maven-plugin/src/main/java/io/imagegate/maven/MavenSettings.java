package io.imagegate.maven;

import io.imagegate.api.CredentialRef;
import io.imagegate.api.Environment;
import io.imagegate.api.Inputs;
import io.imagegate.api.ProxySettings;
import io.imagegate.api.RegistrySettings;
import io.imagegate.api.Secret;
import io.imagegate.api.Settings;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * The API's {@link Settings} from what Maven knows: the environment (the module's directory as the
 * working directory), {@code settings.xml} servers as credentials per registry (matched by the
 * registry's {@code host:port}, then its host, or named with a server id) decrypted only when a
 * registry first needs them, the active proxies, and the plugin's registry parameters. Registries
 * without a server fall through to the shared chain: Docker's config and its credential helpers.
 */
final class MavenSettings {
    private final org.apache.maven.settings.Settings settings;
    private final SettingsDecrypter decrypter;

    MavenSettings(org.apache.maven.settings.Settings settings, SettingsDecrypter decrypter) {
        this.settings = settings == null ? new org.apache.maven.settings.Settings() : settings;
        this.decrypter = decrypter;
    }

    /** The machine as this build sees it, working in {@code directory}. */
    static Environment environment(Path directory) {
        return environment(directory, Map.of());
    }

    /**
     * The machine as this build sees it, working in {@code directory}, with {@code variables} over
     * its environment: in this goal's view only (the API reads a signing key's password from
     * there), never the process's or a child's.
     */
    static Environment environment(Path directory, Map<String, String> variables) {
        Map<String, String> all = new java.util.HashMap<>(System.getenv());
        all.putAll(variables);
        return Environment.of(
                all,
                System.getProperty("user.home"),
                directory.toAbsolutePath().toString(),
                System.getProperty("java.io.tmpdir"));
    }

    /**
     * A signing key named by a settings.xml server: its {@code <privateKey>} file, and its {@code
     * <passphrase>} decrypted as Maven decrypts every settings.xml secret (null when the server has
     * none). Never shows the passphrase.
     */
    record SigningKeyServer(String id, Path privateKey, Secret passphrase) {
        /**
         * The variables that give the API the passphrase: the one it reads first; none without a
         * passphrase.
         */
        Map<String, String> variables() {
            return passphrase == null ? Map.of() : Map.of(PASSWORD_VARIABLE, passphrase.reveal());
        }
    }

    /** The variable the API reads a signing key's password from first. */
    static final String PASSWORD_VARIABLE = "IMAGEGATE_SIGNING_KEY_PASSWORD";

    /**
     * The signing key of the server with this id: only its {@code <privateKey>} and {@code
     * <passphrase>} are read and decrypted (its password, if any, is not this key's); a missing
     * server or key file entry fails the goal at once.
     */
    SigningKeyServer signingKey(String serverId) throws MojoExecutionException {
        Server server = settings.getServer(serverId);
        if (server == null) {
            throw new MojoExecutionException(
                    "there is no <server> with the id \""
                            + serverId
                            + "\" in settings.xml (named by"
                            + " -Dregistry.signingKeyServer)");
        }
        if (server.getPrivateKey() == null || server.getPrivateKey().isBlank()) {
            throw new MojoExecutionException(
                    "the settings.xml server \""
                            + serverId
                            + "\" (named by -Dregistry.signingKeyServer) has no"
                            + " <privateKey>: give the path of the signing key there (the cosign.key cosign generate-key-pair writes)");
        }
        Server keyOnly = new Server();
        keyOnly.setId(server.getId());
        keyOnly.setPrivateKey(server.getPrivateKey());
        keyOnly.setPassphrase(server.getPassphrase());
        Server decrypted = keyOnly;
        if (keyOnly.getPassphrase() != null && !keyOnly.getPassphrase().isEmpty()) {
            SettingsDecryptionResult result =
                    decrypter.decrypt(new DefaultSettingsDecryptionRequest(keyOnly));
            try {
                failOnProblems(result.getProblems(), "server", serverId);
            } catch (ImageGateException e) {
                throw Outcomes.error(List.of(e));
            }
            decrypted = result.getServer() == null ? keyOnly : result.getServer();
        }
        String passphrase = decrypted.getPassphrase();
        return new SigningKeyServer(
                serverId,
                Path.of(decrypted.getPrivateKey().strip()),
                passphrase == null || passphrase.isEmpty() ? null : Secret.of(passphrase));
    }

    /**
     * The settings for one goal: every server (a registry that uses it looks it up when it first
     * needs it), the registry parameters, and the active proxies. Explicit choices win over matches
     * by server id.
     */
    Settings build(Path directory, RegistryParameters parameters) throws MojoExecutionException {
        return build(directory, parameters, Map.of());
    }

    /**
     * As {@link #build(Path, RegistryParameters)}, with {@code variables} over the environment (a
     * signing key's passphrase).
     */
    Settings build(Path directory, RegistryParameters parameters, Map<String, String> variables)
            throws MojoExecutionException {
        Settings out = Settings.of(environment(directory, variables));
        for (Server server : settings.getServers()) {
            if (server.getId() != null && !server.getId().isBlank()) {
                out =
                        out.withRegistry(
                                RegistrySettings.of(server.getId())
                                        .withCredentials(credentials(server.getId())));
            }
        }
        for (String entry : parameters.credentialsEnv()) {
            try {
                out =
                        out.withRegistry(
                                Inputs.environmentCredentials(Field.REGISTRY_CREDENTIALS, entry));
            } catch (ImageGateException e) {
                throw Outcomes.error(List.of(e));
            }
        }
        for (Map.Entry<String, String> explicit : parameters.servers().entrySet()) {
            out =
                    out.withRegistry(
                            RegistrySettings.of(explicit.getKey())
                                    .withCredentials(serverCredentials(explicit.getValue())));
        }
        for (String host : parameters.insecureRegistries()) {
            out = out.withRegistry(RegistrySettings.of(host).withPlainHttp(true));
        }
        for (String ca : parameters.caFiles()) {
            out = out.withRegistry(Inputs.caFile(ca));
        }
        for (String host : parameters.anonymousRegistries()) {
            out = out.withRegistry(Inputs.anonymousRegistry(Field.ANONYMOUS, host));
        }
        for (ProxySettings proxy : proxies()) {
            out = out.withProxy(proxy);
        }
        return out;
    }

    /**
     * The credentials of the server with this id, looked up when first needed; an unknown id is an
     * error at once.
     */
    CredentialRef serverCredentials(String serverId) throws MojoExecutionException {
        if (settings.getServer(serverId) == null) {
            throw new MojoExecutionException(
                    "there is no <server> with the id \""
                            + serverId
                            + "\" in settings.xml (named by"
                            + " -Dregistry.serverId or -Dregistry.sourceServerId)");
        }
        return credentials(serverId);
    }

    /** The decrypted password of the server with this id (a Trivy server's token). */
    Secret password(String serverId) throws MojoExecutionException {
        Server server = settings.getServer(serverId);
        if (server == null) {
            throw new MojoExecutionException(
                    "there is no <server> with the id \""
                            + serverId
                            + "\" in settings.xml (named by"
                            + " -Dregistry.trivyServerId)");
        }
        SettingsDecryptionResult result =
                decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        try {
            failOnProblems(result.getProblems(), "server", serverId);
        } catch (ImageGateException e) {
            throw Outcomes.error(List.of(e));
        }
        Server decrypted = result.getServer() == null ? server : result.getServer();
        return Secret.of(decrypted.getPassword() == null ? "" : decrypted.getPassword());
    }

    private CredentialRef credentials(String serverId) {
        SettingsDecrypter decrypt = decrypter;
        org.apache.maven.settings.Settings all = settings;
        return CredentialRef.lookup(
                () -> {
                    Server server = all.getServer(serverId);
                    SettingsDecryptionResult result =
                            decrypt.decrypt(new DefaultSettingsDecryptionRequest(server));
                    failOnProblems(result.getProblems(), "server", serverId);
                    Server decrypted = result.getServer() == null ? server : result.getServer();
                    if (decrypted.getUsername() == null || decrypted.getUsername().isBlank()) {
                        throw new ImageGateException(
                                ErrorKind.CONFIGURATION,
                                Message.of(
                                        "maven.server-no-username",
                                        "the settings.xml server"
                                                + " \"{0}\" has no <username>; a registry needs a user name and a password (or token) there",
                                        serverId));
                    }
                    return CredentialRef.labelled(
                            CredentialRef.usernamePassword(
                                    decrypted.getUsername(),
                                    decrypted.getPassword() == null ? "" : decrypted.getPassword()),
                            "settings.xml server \"" + serverId + "\"");
                });
    }

    /**
     * The active proxies, passwords decrypted; a proxy that cannot be decrypted fails the goal
     * naming it.
     */
    List<ProxySettings> proxies() throws MojoExecutionException {
        List<ProxySettings> out = new java.util.ArrayList<>();
        for (Proxy proxy : settings.getProxies()) {
            if (!proxy.isActive()) {
                continue;
            }
            Proxy decrypted = proxy;
            if (proxy.getPassword() != null && !proxy.getPassword().isEmpty()) {
                SettingsDecryptionResult result =
                        decrypter.decrypt(new DefaultSettingsDecryptionRequest(proxy));
                try {
                    failOnProblems(result.getProblems(), "proxy", proxy.getId());
                } catch (ImageGateException e) {
                    throw Outcomes.error(List.of(e));
                }
                decrypted = result.getProxy() == null ? proxy : result.getProxy();
            }
            List<String> nonProxy =
                    decrypted.getNonProxyHosts() == null
                            ? List.of()
                            : Arrays.stream(decrypted.getNonProxyHosts().split("[|,]"))
                                    .map(String::strip)
                                    .filter(s -> !s.isEmpty())
                                    .toList();
            try {
                ProxySettings settingsProxy =
                        ProxySettings.of(
                                decrypted.getProtocol(),
                                decrypted.getHost(),
                                decrypted.getPort(),
                                nonProxy);
                out.add(
                        decrypted.getUsername() == null || decrypted.getUsername().isBlank()
                                ? settingsProxy
                                : settingsProxy.withCredentials(
                                        decrypted.getUsername(),
                                        Secret.of(
                                                decrypted.getPassword() == null
                                                        ? ""
                                                        : decrypted.getPassword())));
            } catch (ImageGateException e) {
                throw Outcomes.error(List.of(e));
            }
        }
        return out;
    }

    /** Problems of ERROR or FATAL severity fail, naming the entry (never its secret). */
    private static void failOnProblems(List<SettingsProblem> problems, String kind, String id) {
        List<SettingsProblem> errors =
                problems == null
                        ? List.of()
                        : problems.stream()
                                .filter(
                                        p ->
                                                p.getSeverity() == SettingsProblem.Severity.ERROR
                                                        || p.getSeverity()
                                                                == SettingsProblem.Severity.FATAL)
                                .toList();
        if (!errors.isEmpty()) {
            throw new ImageGateException(
                    ErrorKind.CONFIGURATION,
                    Message.of(
                            "maven.decrypt",
                            "the password of the settings.xml {0} \"{1}\""
                                    + " cannot be decrypted: {2} (check settings-security.xml and the encrypted password)",
                            kind,
                            id,
                            errors.stream()
                                    .map(SettingsProblem::getMessage)
                                    .collect(Collectors.joining("; "))));
        }
    }
}
