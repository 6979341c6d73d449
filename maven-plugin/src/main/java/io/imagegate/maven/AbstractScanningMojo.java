package io.imagegate.maven;

import io.imagegate.api.ModuleReports;
import io.imagegate.api.Outcome;
import io.imagegate.api.ScanResult;
import io.imagegate.api.VerdictSummary;
import io.imagegate.api.VetResult;
import io.imagegate.message.ImageGateException;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Goals that run Trivy and judge its findings (scan, vet): the policy, the reports and how Trivy
 * runs, declared once here, as Maven reads a goal's parameters from its class and its superclasses.
 */
abstract class AbstractScanningMojo extends AbstractImagesMojo {
    /** The policy file (YAML or JSON); default: fail on HIGH and CRITICAL findings. */
    @Parameter(property = "registry.policy")
    File policy;

    /**
     * Where the JSON, SARIF, JUnit XML and HTML reports go; default {@code target/imagegate}. Each
     * image's files are named after the last segment of its repository, its tag and a hash ({@code
     * alpine_3.20-1f0c…}): the same for the vet that promoted an image and a scan of its trusted
     * name.
     */
    @Parameter(property = "registry.reportDirectory")
    File reportDirectory;

    /**
     * The formats of the module's aggregate report ({@code imagegate-ARTIFACTID.json}, without a
     * POM {@code imagegate-images.json}, {@code .sarif}, {@code -junit.xml}, {@code .html} in the
     * report directory, merging every image's): a comma-separated list of {@code json}, {@code
     * sarif}, {@code junit}, {@code html}; default all. Each image's own reports are always written
     * in every format.
     */
    @Parameter(property = "registry.formats")
    String formats;

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

    /**
     * The longest Trivy's scan of one image may take ({@code 600} seconds, {@code 10m}); default 10
     * minutes.
     */
    @Parameter(property = "registry.scanTimeout")
    String scanTimeout;

    /**
     * Before {@code scanTimeout} and {@code importTimeout}: read as {@code scanTimeout} when that
     * is not given.
     */
    @Parameter(property = "registry.timeout")
    String timeout;

    /** Severities Trivy reports, comma-separated; default all. */
    @Parameter(property = "registry.severity")
    List<String> severity;

    /** A Trivy server to scan through ({@code http://trivy.example.com:4954}). */
    @Parameter(property = "registry.trivyServer")
    String trivyServer;

    /**
     * The settings.xml {@code &amp;lt;server&amp;gt;} whose password is the Trivy server's token;
     * default {@code $IMAGEGATE_TRIVY_TOKEN}.
     */
    @Parameter(property = "registry.trivyServerId")
    String trivyServerId;

    AbstractScanningMojo(SettingsDecrypter decrypter) {
        super(decrypter);
    }

    @Override
    void checkSwitches() throws MojoExecutionException {
        super.checkSwitches();
        ScanParameters.switches(skipDbUpdate, skipJavaDbUpdate, offlineScan);
        formats();
    }

    /** The formats of the module's aggregate report, read. */
    Set<ModuleReports.Format> formats() throws MojoExecutionException {
        try {
            return ModuleReports.formats(FORMATS, formats);
        } catch (ImageGateException e) {
            throw Outcomes.error(List.of(e));
        }
    }

    static final String FORMATS = "<formats>/-Dregistry.formats";

    /**
     * Writes the module's aggregate report of the images this goal scanned or vetted (none without
     * one); its error, if it could not. The error is the goal's: a report asked for and not written
     * is not a pass.
     */
    Optional<ImageGateException> writeAggregate() throws MojoExecutionException {
        List<ModuleReports.Entry> entries = new ArrayList<>();
        results.forEach(
                r -> {
                    if (r instanceof ScanResult scan) {
                        entries.add(ModuleReports.Entry.of(scan));
                    } else if (r instanceof VetResult vet) {
                        entries.add(ModuleReports.Entry.of(vet));
                    }
                });
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        try {
            ModuleReports.write(
                            path(reportDirectory()),
                            // without a POM Maven's stand-in project is "standalone-pom": no
                            // module's name
                            project == null || project.getFile() == null
                                    ? null
                                    : project.getArtifactId(),
                            formats(),
                            entries)
                    .forEach(file -> getLog().info("module report: " + file));
            return Optional.empty();
        } catch (ImageGateException e) {
            return Optional.of(e);
        }
    }

    /** The goal's outcome once the aggregate was written, or failed with {@code error}. */
    Outcome outcome(Optional<ImageGateException> error, List<ImageGateException> errors) {
        error.ifPresent(errors::add);
        return error.isPresent() ? Outcome.ERROR : worstOutcome();
    }

    /** Scanning and vetting reach registries and Trivy's DB. */
    @Override
    boolean needsNetwork() {
        return true;
    }

    /** {@code <reportDirectory>}, else {@code imagegate} in the module's build directory. */
    File reportDirectory() {
        return reportDirectory != null
                ? reportDirectory
                : buildDirectory().resolve("imagegate").toFile();
    }

    /** How Trivy runs, bound; the server's token from the named settings.xml server. */
    ScanParameters scanParameters(MavenSettings maven) throws MojoExecutionException {
        return new ScanParameters(
                trivy,
                cacheDir,
                ScanParameters.switches(skipDbUpdate, skipJavaDbUpdate, offlineScan),
                dbRepository,
                Timeouts.pick("scanTimeout", scanTimeout, timeout),
                severity,
                trivyServer,
                trivyServerId == null || trivyServerId.isBlank()
                        ? null
                        : maven.password(trivyServerId));
    }

    /** Logs one image's verdict lines and reports. */
    void logScan(List<String> lines, List<String> reports) {
        lines.forEach(line -> getLog().info(line));
        reports.forEach(report -> getLog().info("report: " + report));
    }

    /** One line of a refusal's summary: the image and why its verdicts failed. */
    static String refusal(String image, List<VerdictSummary> verdicts) {
        return "  "
                + image
                + ": "
                + String.join(
                        "; ",
                        verdicts.stream().flatMap(v -> v.reasons().stream()).distinct().toList());
    }
}
