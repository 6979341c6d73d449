package io.imagegate.maven;

import io.imagegate.api.CredentialRef;
import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import javax.inject.Inject;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Vets images: imports each into quarantine, scans every platform with Trivy, and promotes it under the trusted name
 * only when it passes the policy; the verdict is recorded in the registry beside the image, where registry:gate
 * finds it. A refused image fails the build, and nothing is written under its trusted name.
 */
@Mojo(name = "vet", requiresProject = false, threadSafe = true)
public class VetMojo extends AbstractImagesMojo {
    /**
     * Sign every verdict with this private key file: the {@code cosign.key} {@code cosign generate-key-pair} writes, or an
     * unencrypted PKCS#8 PEM key (ECDSA P-256). Its password is read from the environment variable
     * {@code IMAGEGATE_SIGNING_KEY_PASSWORD}, else {@code COSIGN_PASSWORD}; never from the POM.
     */
    @Parameter(property = "registry.signingKey")
    File signingKey;

    /**
     * Instead of {@code <signingKey>}: the id of a settings.xml {@code <server>} whose {@code <privateKey>} is the signing
     * key file and whose {@code <passphrase>} (encrypted as Maven encrypts settings.xml passwords, or plain) is its
     * password, so that the password need not be in the environment.
     */
    @Parameter(property = "registry.signingKeyServer")
    String signingKeyServer;

    /** The quarantine repository prefix in the target registry. */
    @Parameter(property = "registry.quarantine", defaultValue = "quarantine")
    String quarantine = "quarantine";

    /** The policy file (YAML or JSON); default: fail on HIGH and CRITICAL findings. */
    @Parameter(property = "registry.policy")
    File policy;

    /** Vet again even when a fresh PASS verdict exists, and overwrite a trusted tag that holds another image. */
    @Parameter(property = "registry.force", defaultValue = "false")
    String force = "false";

    /** Where the JSON, SARIF, JUnit XML and HTML reports go, one directory per image; default {@code target/imagegate}. */
    @Parameter(property = "registry.reportDirectory")
    File reportDirectory;

    /** The settings.xml {@code <server>} holding the credentials for the source registry, when its id is not the registry's host. */
    @Parameter(property = "registry.sourceServerId")
    String sourceServerId;

    /** The Trivy binary; default: {@code $TRIVY_PATH}, then the PATH. */
    @Parameter(property = "registry.trivy")
    File trivy;

    /** Trivy's cache directory; default {@code ~/.cache/trivy}. */
    @Parameter(property = "registry.cacheDir")
    File cacheDir;

    /** Use the vulnerability DB in Trivy's cache as it is. */
    @Parameter(property = "registry.skipDbUpdate", defaultValue = "false")
    String skipDbUpdate = "false";

    /** Use the Java DB in Trivy's cache as it is. */
    @Parameter(property = "registry.skipJavaDbUpdate", defaultValue = "false")
    String skipJavaDbUpdate = "false";

    /** No network use by Trivy besides the registry. */
    @Parameter(property = "registry.offlineScan", defaultValue = "false")
    String offlineScan = "false";

    /** Where Trivy downloads its vulnerability DB from. */
    @Parameter(property = "registry.dbRepository")
    String dbRepository;

    /** The longest one scan may take ({@code 600} seconds, {@code 10m}). */
    @Parameter(property = "registry.timeout")
    String timeout;

    /** Severities Trivy reports, comma-separated; default all. */
    @Parameter(property = "registry.severity")
    List<String> severity;

    /** A Trivy server to scan through ({@code http://trivy.example.com:4954}). */
    @Parameter(property = "registry.trivyServer")
    String trivyServer;

    /** The settings.xml {@code <server>} whose password is the Trivy server's token; default {@code $IMAGEGATE_TRIVY_TOKEN}. */
    @Parameter(property = "registry.trivyServerId")
    String trivyServerId;

    /**
     * Which of the source's referrers go to quarantine and are promoted with the image: {@code all} (signatures,
     * attestations, SBOMs), {@code signatures} (cosign's only) or {@code none}. imagegate verdicts never travel.
     */
    @Parameter(property = "registry.referrers", defaultValue = "all")
    String referrers = "all";

    /** Skip this goal. */
    @Parameter(property = "registry.vet.skip", defaultValue = "false")
    String skipVet = "false";

    /** {@code <reportDirectory>}, else {@code imagegate} in the module's build directory. */
    File reportDirectory() {
        return reportDirectory != null ? reportDirectory : buildDirectory().resolve("imagegate").toFile();
    }

    @Inject
    public VetMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    String goal() {
        return "vet";
    }

    @Override
    boolean goalSkipped() throws MojoExecutionException {
        return flag("skipVet", skipVet);
    }

    @Override
    void checkSwitches() throws MojoExecutionException {
        super.checkSwitches();
        flag(Field.FORCE, force);
        ScanParameters.switches(skipDbUpdate, skipJavaDbUpdate, offlineScan);
    }

    @Override
    boolean needsNetwork() {
        return true;
    }

    /** The vetting of one item, bound, signed with {@code <signingKey>} if given. */
    VetSpec spec(Item item, ScanParameters scanning, CredentialRef sourceCredentials, CredentialRef targetCredentials)
            throws MojoExecutionException {
        return spec(item, scanning, sourceCredentials, targetCredentials, null);
    }

    /** The vetting of one item, bound; signed with the key of {@code keyServer} when given, else {@code <signingKey>}. */
    VetSpec spec(Item item, ScanParameters scanning, CredentialRef sourceCredentials, CredentialRef targetCredentials,
                 MavenSettings.SigningKeyServer keyServer) throws MojoExecutionException {
        String key = keyServer != null ? keyServer.privateKey().toString() : path(signingKey);
        return VetSpec.builder().source(item.source()).target(item.target()).map(split(Field.MAP, map)).quarantine(quarantine)
                .platforms(list(platforms)).policy(path(policy)).force(flag(Field.FORCE, force)).referrers(referrers)
                .reportDir(ScanParameters.reportDirectory(reportDirectory(), item.source())).trivy(scanning.settings())
                .sourceCredentials(sourceCredentials).targetCredentials(targetCredentials).signingKey(key).build();
    }

    ScanParameters scanParameters(MavenSettings maven) throws MojoExecutionException {
        return new ScanParameters(trivy, cacheDir, ScanParameters.switches(skipDbUpdate, skipJavaDbUpdate, offlineScan), dbRepository,
                timeout, severity, trivyServer, trivyServerId == null || trivyServerId.isBlank() ? null : maven.password(trivyServerId));
    }

    /** The settings.xml server named by {@code <signingKeyServer>}, or null; with {@code <signingKey>} too, an error. */
    MavenSettings.SigningKeyServer signingKeyServer(MavenSettings maven) throws MojoExecutionException {
        if (signingKeyServer == null || signingKeyServer.isBlank()) {
            return null;
        }
        if (signingKey != null) {
            throw new MojoExecutionException("give the signing key once: <signingKey>/-Dregistry.signingKey names a file,"
                    + " <signingKeyServer>/-Dregistry.signingKeyServer a settings.xml server; not both");
        }
        return maven.signingKey(signingKeyServer.strip());
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        List<Item> items = items();
        if (items.isEmpty()) {
            return;
        }
        MavenSettings maven = new MavenSettings(session == null ? null : session.getSettings(), decrypter);
        ScanParameters scanning = scanParameters(maven);
        CredentialRef sourceCredentials = sourceServerId == null || sourceServerId.isBlank() ? null : maven.serverCredentials(sourceServerId);
        CredentialRef targetCredentials = serverId == null || serverId.isBlank() ? null : maven.serverCredentials(serverId);
        MavenSettings.SigningKeyServer keyServer = signingKeyServer(maven);
        // the passphrase goes only into this goal's view of the environment, where the API reads a key's password
        ImageGate api = ImageGate.create(settings(Map.of(), keyServer == null ? Map.of() : keyServer.variables()));
        MavenProgress progress = new MavenProgress(getLog());
        List<ImageGateException> errors = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Item item : items) {
            getLog().info("Vetting " + (item.source() == null ? "" : item.source()) + (item.usedAt() == null ? "" : " (used at "
                    + item.usedAt() + ")"));
            VetResult result = api.vet(spec(item, scanning, sourceCredentials, targetCredentials, keyServer), progress);
            results.add(result);
            result.lines().forEach(line -> getLog().info(line));
            result.reports().forEach(report -> getLog().info("report: " + report));
            if (result.outcome() == Outcome.POLICY_FAILED) {
                refused.add("  " + result.source() + ": " + String.join("; ", result.verdicts().stream()
                        .flatMap(v -> v.reasons().stream()).distinct().toList()));
            }
            result.error().ifPresent(errors::add);
            if (result.error().map(e -> e.kind() == ErrorKind.USAGE).orElse(false)) {
                break; // the same mistake would fail every other image
            }
        }
        Outcome outcome = Outcome.worst(results.stream().map(r -> r.outcome()).toList());
        Outcomes.finish(outcome, "registry:vet refused " + refused.size() + " image(s); nothing was promoted for "
                + (refused.size() == 1 ? "it" : "them") + ":\n" + String.join("\n", refused), errors);
    }
}
