package io.imagegate.maven;

import io.imagegate.api.ImageGate;
import io.imagegate.api.ImageSource;
import io.imagegate.api.ImportPlan;
import io.imagegate.api.ImportPlanSpec;
import io.imagegate.api.Outcome;
import io.imagegate.api.ScanSpec;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Scans images with Trivy (every platform of a multi-arch image, by digest), judges the findings
 * against the policy and writes JSON, SARIF 2.1.0, JUnit XML and HTML reports under {@code
 * target/imagegate}. A FAIL verdict fails the build. Bound to {@code verify} when listed under
 * {@code &amp;lt;executions&amp;gt;} without a phase, as dependency-check's {@code check} is.
 */
@Mojo(
        name = "scan",
        defaultPhase = LifecyclePhase.VERIFY,
        requiresProject = false,
        threadSafe = true)
public class ScanMojo extends AbstractScanningMojo {
    /** The image to scan, by tag or digest. */
    @Parameter(property = "registry.image")
    String image;

    /** Images to scan, comma-separated (when no image is given with {@code registry.image}). */
    @Parameter(property = "registry.images")
    List<String> images;

    /**
     * Report only: with {@code false}, an image that fails the policy is logged as a warning (its
     * reports are written as always) and the build goes on.
     */
    @Parameter(property = "registry.failOnViolation", defaultValue = "true")
    String failOnViolation = "true";

    /**
     * With {@code false}, a registry's or Trivy's error (unreachable, credentials refused, image
     * missing, Trivy failing) is logged as a warning and the build goes on, though that image was
     * not judged. A bad parameter or setting still fails.
     */
    @Parameter(property = "registry.failOnError", defaultValue = "true")
    String failOnError = "true";

    /** Skip this goal. */
    @Parameter(property = "registry.scan.skip", defaultValue = "false")
    String skipScan = "false";

    @Inject
    public ScanMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    String goal() {
        return "scan";
    }

    @Override
    boolean goalSkipped() throws MojoExecutionException {
        return flag("skipScan", skipScan);
    }

    @Override
    void checkSwitches() throws MojoExecutionException {
        super.checkSwitches();
        tolerance();
    }

    /** {@link #failOnViolation} and {@link #failOnError}, read. */
    Tolerance tolerance() throws MojoExecutionException {
        return new Tolerance(
                flag("failOnViolation", failOnViolation), flag("failOnError", failOnError));
    }

    @Override
    String commandLineImage() {
        return image;
    }

    /**
     * The images to scan, each once; with none given, one null image, so the library says what is
     * missing.
     */
    List<String> imagesToScan() throws MojoExecutionException, MojoFailureException {
        if (image != null && !image.isBlank()) {
            foundInModule(1);
            return List.of(image.strip());
        }
        Set<String> out = new LinkedHashSet<>(list(images));
        if (followProject()) {
            List<ImageSource> configured =
                    jib()
                            ? ProjectImages.jibBaseImage(project, session).stream().toList()
                            : List.of();
            List<String> files =
                    ProjectImages.dockerfiles(split(Field.DOCKERFILES, dockerfiles), basedir());
            if (!files.isEmpty() || !configured.isEmpty()) {
                ImportPlan plan =
                        ImageGate.create(settings(java.util.Map.of()))
                                .importPlan(
                                        new ImportPlanSpec(
                                                files,
                                                configured,
                                                list(buildArgs),
                                                list(platforms),
                                                List.of()));
                results.add(plan);
                Outcomes.finish(
                        plan.outcome(),
                        "registry:scan cannot follow every image the build uses:\n"
                                + plan.problems().stream()
                                        .map(m -> "  " + m.render(MavenVocabulary.INSTANCE))
                                        .collect(Collectors.joining("\n")),
                        plan.error().map(List::of).orElse(List.of()));
                plan.images().forEach(e -> out.add(e.source()));
            } else {
                getLog().info(
                                "No Dockerfile and no Jib base image in "
                                        + basedir()
                                        + ": no image to follow");
            }
        }
        foundInModule(out.size());
        if (out.isEmpty() && inReactorRun()) {
            getLog().info("No image configured in " + basedir() + ": nothing to scan");
            return List.of();
        }
        if (out.isEmpty()) {
            List<String> none = new ArrayList<>();
            none.add(null);
            return none;
        }
        return List.copyOf(out);
    }

    /**
     * The registries of the images (for {@code serverId}); an invalid reference is left to the scan
     * to report.
     */
    private static List<String> registries(List<String> scanned) {
        List<String> out = new ArrayList<>();
        for (String one : scanned) {
            try {
                out.add(io.imagegate.api.Inputs.registry(Field.IMAGE, one));
            } catch (ImageGateException e) {
                // the scan of this image says so
            }
        }
        return out.stream().distinct().toList();
    }

    /** The scan of one image, bound. */
    ScanSpec spec(String scanned, ScanParameters scanning) {
        return ScanSpec.of(scanned, path(policy), path(reportDirectory()), scanning.settings());
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        List<String> scanned = imagesToScan();
        if (scanned.isEmpty()) {
            return;
        }
        MavenSettings maven =
                new MavenSettings(session == null ? null : session.getSettings(), decrypter);
        ScanParameters scanning = scanParameters(maven);
        // serverId names the scanned image's registry: with images in several registries (docker.io
        // among them, when
        // following the build) it names none of them, rather than hand one registry's credentials
        // to all.
        List<String> registries = registries(scanned);
        if (registries.size() > 1 && serverId != null && !serverId.isBlank()) {
            getLog().warn(
                            "serverId "
                                    + serverId.strip()
                                    + " is not used: the images to scan are in "
                                    + registries.size()
                                    + " registries ("
                                    + String.join(", ", registries)
                                    + "); give each registry's server the registry's host as its id");
        }
        ImageGate api =
                ImageGate.create(
                        settings(registries.size() == 1 ? serverFor(registries) : Map.of()));
        MavenProgress progress = new MavenProgress(getLog());
        List<String> failed = new ArrayList<>();
        List<ImageGateException> errors =
                eachImage(
                        scanned,
                        one -> api.scan(spec(one, scanning), progress),
                        result -> {
                            logScan(result.lines(), result.reports());
                            if (result.outcome() == Outcome.POLICY_FAILED) {
                                failed.add(refusal(result.image(), result.verdicts()));
                            }
                        });
        Outcome outcome = outcome(writeAggregate(), errors);
        Outcomes.finish(
                outcome,
                !failed.isEmpty(),
                "registry:scan: "
                        + failed.size()
                        + " image(s) failed the policy:\n"
                        + String.join("\n", failed),
                errors,
                tolerance(),
                getLog());
    }
}
