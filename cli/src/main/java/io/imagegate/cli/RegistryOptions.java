package io.imagegate.cli;

import io.imagegate.api.Environment;
import io.imagegate.api.Inputs;
import io.imagegate.api.RegistrySettings;
import io.imagegate.api.Settings;
import io.imagegate.message.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options every registry-facing command shares: plain-HTTP registries, CA files and credentials per
 * registry.
 */
final class RegistryOptions {
    @Option(
            names = "--insecure-registry",
            paramLabel = "HOST[:PORT]",
            description =
                    "Allow plain HTTP for this registry (repeatable). Loopback registries always may.")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(
            names = "--anonymous",
            paramLabel = "HOST[:PORT]",
            description =
                    "Read this registry without stored credentials (repeatable): neither --creds-env nor Docker's config.json,"
                            + " for a registry that allows anonymous pulls but refuses a stale login.")
    List<String> anonymous = new ArrayList<>();

    @Option(
            names = "--ca-file",
            paramLabel = "[HOST[:PORT]=]FILE",
            description =
                    "PEM file of CA certificates to trust besides the JVM's, for every registry or for one (repeatable).")
    List<String> caFiles = new ArrayList<>();

    @Option(
            names = "--creds-env",
            paramLabel = "REGISTRY=VAR|REGISTRY=USER_VAR:PASS_VAR",
            description =
                    "Credentials for a registry from environment variables: VAR holds user:password (repeatable)."
                            + " Otherwise Docker's config.json and its credential helpers.")
    List<String> credentials = new ArrayList<>();

    /**
     * The settings of this run: this process's environment and the registries these options name.
     */
    Settings settings() {
        Settings settings = Settings.of(environment());
        for (String host : insecureRegistries) {
            settings = settings.withRegistry(RegistrySettings.of(host).withPlainHttp(true));
        }
        for (String ca : caFiles) {
            settings = settings.withRegistry(Inputs.caFile(ca));
        }
        for (String host : anonymous) {
            settings = settings.withRegistry(Inputs.anonymousRegistry(Field.ANONYMOUS, host));
        }
        for (String entry : credentials) {
            settings =
                    settings.withRegistry(
                            Inputs.environmentCredentials(Field.REGISTRY_CREDENTIALS, entry));
        }
        return settings;
    }

    /** The registries {@code --creds-env} gives credentials for, keyed as references key them. */
    java.util.Set<String> credentialRegistries() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String entry : credentials) {
            out.add(Inputs.environmentCredentials(Field.REGISTRY_CREDENTIALS, entry).registry());
        }
        return out;
    }

    /** This process: its variables, the user's home, the current directory. */
    static Environment environment() {
        return Environment.of(
                System.getenv(),
                System.getProperty("user.home"),
                Path.of("").toAbsolutePath().toString(),
                System.getProperty("java.io.tmpdir"));
    }
}
