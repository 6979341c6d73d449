package io.imagegate.maven;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import io.imagegate.message.ImageGateException;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Keeps the images a sync file lists vetted, as the CLI's {@code imagegate sync} does: each image
 * whose upstream moved, or whose trusted tag holds what has no PASS that stands under the policy
 * (none, a FAIL, too old, made under another policy), is vetted again; the others are left alone.
 * The one command that re-vets what a project uses after its policy changed.
 */
@Mojo(name = "sync", requiresProject = false, threadSafe = true)
public class SyncMojo extends AbstractScanningMojo {
    /** The sync file (YAML), as the CLI's {@code imagegate sync FILE}. Required. */
    @Parameter(property = "registry.syncFile")
    File syncFile;

    /** The quarantine prefix for images without one of their own. */
    @Parameter(property = "registry.quarantine")
    String quarantine;

    /** Images processed at once (1 to 64). */
    @Parameter(property = "registry.parallel", defaultValue = "4")
    int parallel = SyncSpec.DEFAULT_PARALLELISM;

    /**
     * Sign every verdict with this private key file, as registry:vet's {@code
     * &amp;lt;signingKey&amp;gt;}; its password from {@code IMAGEGATE_SIGNING_KEY_PASSWORD}, else
     * {@code COSIGN_PASSWORD}.
     */
    @Parameter(property = "registry.signingKey")
    File signingKey;

    /**
     * Instead of {@code &amp;lt;signingKey&amp;gt;}: the id of a settings.xml {@code
     * &amp;lt;server&amp;gt;} whose {@code &amp;lt;privateKey&amp;gt;} is the signing key file and
     * whose {@code &amp;lt;passphrase&amp;gt;} is its password.
     */
    @Parameter(property = "registry.signingKeyServer")
    String signingKeyServer;

    /** Skip this goal. */
    @Parameter(property = "registry.sync.skip", defaultValue = "false")
    String skipSync = "false";

    @Inject
    public SyncMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    String goal() {
        return "sync";
    }

    @Override
    boolean goalSkipped() throws MojoExecutionException {
        return flag("skipSync", skipSync);
    }

    /** The sync file names the images: one run serves the whole build. */
    @Override
    String commandLineImage() {
        return syncFile == null ? null : syncFile.toString();
    }

    @Override
    boolean imagesOnCommandLine() {
        return true;
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        MavenSettings maven =
                new MavenSettings(session == null ? null : session.getSettings(), decrypter);
        ScanParameters scanning = scanParameters(maven);
        MavenSettings.SigningKeyServer keyServer = null;
        if (signingKeyServer != null && !signingKeyServer.isBlank()) {
            if (signingKey != null) {
                throw new MojoExecutionException(
                        "give the signing key once: <signingKey>/-Dregistry.signingKey names a file,"
                                + " <signingKeyServer>/-Dregistry.signingKeyServer a settings.xml server; not both");
            }
            keyServer = maven.signingKey(signingKeyServer.strip());
        }
        String key = keyServer != null ? keyServer.privateKey().toString() : path(signingKey);
        ImageGate api =
                ImageGate.create(
                        settings(Map.of(), keyServer == null ? Map.of() : keyServer.variables()));
        SyncResult result =
                api.sync(
                        new SyncSpec(
                                path(syncFile),
                                path(policy),
                                quarantine,
                                parallel,
                                reportDirectory().toString(),
                                scanning.settings(),
                                key),
                        new MavenProgress(getLog()));
        results.add(result);
        List<String> failed = new ArrayList<>();
        for (SyncResult.Entry e : result.entries()) {
            String line =
                    e.source()
                            + " -> "
                            + e.target()
                            + ": "
                            + (e.outcome() == Outcome.PASSED
                                    ? (e.vetted() ? "vetted " : "unchanged, vetted already ")
                                            + e.digest()
                                    : e.outcome() == Outcome.POLICY_FAILED
                                            ? "refused by the policy"
                                            : "error")
                            + e.error()
                                    .map(x -> ": " + x.render(MavenVocabulary.INSTANCE))
                                    .orElse("");
            getLog().info(line);
            if (e.outcome() != Outcome.PASSED) {
                failed.add("  " + line);
            }
        }
        List<ImageGateException> errors = new ArrayList<>();
        result.error().ifPresent(errors::add);
        Outcomes.finish(
                result.outcome(),
                "registry:sync: "
                        + failed.size()
                        + " of "
                        + result.entries().size()
                        + " image(s) not vetted:\n"
                        + String.join("\n", failed),
                errors);
    }
}
