package io.imagegate.maven;

import io.imagegate.api.CredentialRef;
import io.imagegate.api.ImageGate;
import io.imagegate.api.ImageSource;
import io.imagegate.api.ImportPlanSpec;
import io.imagegate.api.Outcome;
import io.imagegate.api.RevetPlan;
import io.imagegate.api.RevetSpec;
import io.imagegate.api.VetSpec;
import io.imagegate.message.Field;
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
 * Vets images: imports each into quarantine, scans every platform with Trivy, and promotes it under
 * the trusted name only when it passes the policy; the verdict is recorded in the registry beside
 * the image, where registry:gate finds it. A refused image fails the build, and nothing is written
 * under its trusted name.
 */
@Mojo(name = "vet", requiresProject = false, threadSafe = true)
public class VetMojo extends AbstractScanningMojo {
    /**
     * The image to vet, e.g. {@code docker.io/library/alpine:3.20}; when given, {@code
     * &amp;lt;images&amp;gt;} and followProject are not used.
     */
    @Parameter(property = "registry.source")
    String source;

    /**
     * Where to promote it, e.g. {@code registry.example.com/base/alpine:3.20}; derived from the
     * mapping rules when not given.
     */
    @Parameter(property = "registry.target")
    String target;

    /**
     * Images to vet: {@code
     * &amp;lt;image&amp;gt;&amp;lt;source&amp;gt;…&amp;lt;/source&amp;gt;&amp;lt;target&amp;gt;…&amp;lt;/target&amp;gt;&amp;lt;/image&amp;gt;},
     * or {@code &amp;lt;image&amp;gt;SOURCE&amp;lt;/image&amp;gt;} (or {@code SOURCE=TARGET}); as a
     * property, comma-separated {@code SOURCE[=TARGET]}.
     */
    @Parameter(property = "registry.images")
    List<Image> images;

    /**
     * Mapping rules {@code SRC_PREFIX=DST_PREFIX}, comma-separated, first match wins, as the CLI's
     * {@code --map}: {@code =registry.example.com/mirror} puts {@code alpine:3.20} at {@code
     * registry.example.com/mirror/docker.io/library/alpine:3.20}.
     */
    @Parameter(property = "registry.map")
    List<String> map;

    /**
     * Sign every verdict with this private key file: the {@code cosign.key} {@code cosign
     * generate-key-pair} writes, or an unencrypted PKCS#8 PEM key (ECDSA P-256). Its password is
     * read from the environment variable {@code IMAGEGATE_SIGNING_KEY_PASSWORD}, else {@code
     * COSIGN_PASSWORD}; never from the POM.
     */
    @Parameter(property = "registry.signingKey")
    File signingKey;

    /**
     * Instead of {@code &amp;lt;signingKey&amp;gt;}: the id of a settings.xml {@code
     * &amp;lt;server&amp;gt;} whose {@code &amp;lt;privateKey&amp;gt;} is the signing key file and
     * whose {@code &amp;lt;passphrase&amp;gt;} (encrypted as Maven encrypts settings.xml passwords,
     * or plain) is its password, so that the password need not be in the environment.
     */
    @Parameter(property = "registry.signingKeyServer")
    String signingKeyServer;

    /** The quarantine repository prefix in the target registry. */
    @Parameter(property = "registry.quarantine", defaultValue = "quarantine")
    String quarantine = "quarantine";

    /**
     * Vet again even when a fresh PASS verdict exists, and overwrite a trusted tag that holds
     * another image.
     */
    @Parameter(property = "registry.force", defaultValue = "false")
    String force = "false";

    /**
     * The settings.xml {@code &amp;lt;server&amp;gt;} holding the credentials for the source
     * registry, when its id is not the registry's host.
     */
    @Parameter(property = "registry.sourceServerId")
    String sourceServerId;

    /**
     * Which of the source's referrers go to quarantine and are promoted with the image: {@code all}
     * (signatures, attestations, SBOMs), {@code signatures} (cosign's only) or {@code none}.
     * imagegate verdicts never travel.
     */
    @Parameter(property = "registry.referrers", defaultValue = "all")
    String referrers = "all";

    /** Skip this goal. */
    @Parameter(property = "registry.vet.skip", defaultValue = "false")
    String skipVet = "false";

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
    }

    @Override
    String commandLineImage() {
        return source;
    }

    /** The images this run takes ({@link #items(String, String, List, List)}). */
    List<Item> items() throws MojoExecutionException, MojoFailureException {
        return items(source, target, images, map);
    }

    /**
     * Followed images that are private already are vetted again when their verdicts do not count
     * under the policy (none, a FAIL, too old, another policy): from the upstream source the
     * verdicts record, else in place, so that the gate then passes.
     */
    @Override
    List<Item> privateToTakeAgain(
            List<String> files, List<ImageSource> configured, List<String> map)
            throws MojoExecutionException, MojoFailureException {
        RevetPlan plan =
                ImageGate.create(settings(Map.of()))
                        .revetPlan(
                                new RevetSpec(
                                        new ImportPlanSpec(
                                                files,
                                                configured,
                                                list(buildArgs),
                                                list(platforms),
                                                split(Field.MAP, map)),
                                        path(policy),
                                        quarantine,
                                        List.of()));
        results.add(plan);
        if (plan.outcome() != Outcome.PASSED) {
            Outcomes.finish(
                    plan.outcome(),
                    "registry:vet cannot tell which private images need vetting again",
                    plan.error().map(List::of).orElse(List.of()));
        }
        List<Item> out = new ArrayList<>();
        for (RevetPlan.Entry e : plan.images()) {
            getLog().info(
                            e.target()
                                    + " ("
                                    + e.file()
                                    + ":"
                                    + e.line()
                                    + ") is private already, but "
                                    + e.reason().render(MavenVocabulary.INSTANCE)
                                    + (e.inPlace()
                                            ? ": vetting it again in place (no upstream source is"
                                                    + " recorded for it)"
                                            : ": vetting it again from " + e.source()));
            out.add(new Item(e.source(), e.target(), e.file() + ":" + e.line()));
        }
        return out;
    }

    /** The vetting of one item, bound, signed with {@code <signingKey>} if given. */
    VetSpec spec(
            Item item,
            ScanParameters scanning,
            CredentialRef sourceCredentials,
            CredentialRef targetCredentials)
            throws MojoExecutionException {
        return spec(item, scanning, sourceCredentials, targetCredentials, null);
    }

    /**
     * The vetting of one item, bound; signed with the key of {@code keyServer} when given, else
     * {@code <signingKey>}.
     */
    VetSpec spec(
            Item item,
            ScanParameters scanning,
            CredentialRef sourceCredentials,
            CredentialRef targetCredentials,
            MavenSettings.SigningKeyServer keyServer)
            throws MojoExecutionException {
        String key = keyServer != null ? keyServer.privateKey().toString() : path(signingKey);
        return VetSpec.builder()
                .source(item.source())
                .target(item.target())
                .map(split(Field.MAP, map))
                .quarantine(quarantine)
                .platforms(list(platforms))
                .policy(path(policy))
                .force(flag(Field.FORCE, force))
                .referrers(referrers)
                .reportDir(path(reportDirectory()))
                .trivy(scanning.settings())
                .sourceCredentials(sourceCredentials)
                .targetCredentials(targetCredentials)
                .signingKey(key)
                .build();
    }

    /**
     * The settings.xml server named by {@code <signingKeyServer>}, or null; with {@code
     * <signingKey>} too, an error.
     */
    MavenSettings.SigningKeyServer signingKeyServer(MavenSettings maven)
            throws MojoExecutionException {
        if (signingKeyServer == null || signingKeyServer.isBlank()) {
            return null;
        }
        if (signingKey != null) {
            throw new MojoExecutionException(
                    "give the signing key once: <signingKey>/-Dregistry.signingKey names a file,"
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
        MavenSettings maven =
                new MavenSettings(session == null ? null : session.getSettings(), decrypter);
        ScanParameters scanning = scanParameters(maven);
        CredentialRef sourceCredentials =
                sourceServerId == null || sourceServerId.isBlank()
                        ? null
                        : maven.serverCredentials(sourceServerId);
        CredentialRef targetCredentials =
                serverId == null || serverId.isBlank() ? null : maven.serverCredentials(serverId);
        MavenSettings.SigningKeyServer keyServer = signingKeyServer(maven);
        // the passphrase goes only into this goal's view of the environment, where the API reads a
        // key's password
        ImageGate api =
                ImageGate.create(
                        settings(Map.of(), keyServer == null ? Map.of() : keyServer.variables()));
        MavenProgress progress = new MavenProgress(getLog());
        List<String> refused = new ArrayList<>();
        List<ImageGateException> errors =
                eachImage(
                        items,
                        item -> {
                            getLog().info(
                                            "Vetting "
                                                    + (item.source() == null ? "" : item.source())
                                                    + (item.usedAt() == null
                                                            ? ""
                                                            : " (used at " + item.usedAt() + ")"));
                            return api.vet(
                                    spec(
                                            item,
                                            scanning,
                                            sourceCredentials,
                                            targetCredentials,
                                            keyServer),
                                    progress);
                        },
                        result -> {
                            logScan(result.lines(), result.reports());
                            if (result.outcome() == Outcome.POLICY_FAILED) {
                                refused.add(refusal(result.source(), result.verdicts()));
                            }
                        });
        Outcome outcome = outcome(writeAggregate(), errors);
        Outcomes.finish(
                outcome,
                "registry:vet refused "
                        + refused.size()
                        + " image(s); nothing was promoted for "
                        + (refused.size() == 1 ? "it" : "them")
                        + ":\n"
                        + String.join("\n", refused),
                errors);
    }
}
