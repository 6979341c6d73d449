package io.imagegate.cli;

import io.imagegate.registry.CredentialProvider;
import io.imagegate.registry.DockerConfigCredentials;
import io.imagegate.registry.TransportOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Options every registry-facing command shares: TLS, plain-HTTP registries, and Docker config credentials. */
final class RegistryOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Allow plain HTTP for this registry (repeatable). Loopback registries always may.")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM file of CA certificates to trust besides the JVM's.")
    Path caFile;

    TransportOptions transport() {
        return TransportOptions.defaults().withInsecureRegistries(new HashSet<>(insecureRegistries)).withCaFile(caFile);
    }

    /** Docker's config.json ($DOCKER_CONFIG or ~/.docker): auths, credsStore, credHelpers. */
    static CredentialProvider dockerConfig(Map<String, String> env) {
        return DockerConfigCredentials.fromEnvironment(env);
    }
}
