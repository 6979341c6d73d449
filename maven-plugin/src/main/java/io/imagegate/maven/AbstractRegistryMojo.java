package io.imagegate.maven;

import io.imagegate.api.Inputs;
import io.imagegate.api.OperationResult;
import io.imagegate.api.Outcome;
import io.imagegate.api.Settings;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.lifecycle.LifecycleExecutor;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.BuildPluginManager;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * What every goal shares: skipping, the registry parameters, credentials from {@code settings.xml},
 * the offline check, and the result of the operations it ran (for in-process callers: the contract
 * tests). A goal binds its parameters into the API's specs, calls the facade and maps the outcome
 * through {@link Outcomes}; it has no logic of its own.
 *
 * <p>Parameter and goal Javadoc spells markup in its examples as {@code &amp;lt;image&amp;gt;}: the
 * plugin descriptor keeps descriptions as plain text, and {@code mvn help:describe} reads them as
 * HTML, where a bare {@code <image>} is a tag it drops (DescriptorTest).
 */
abstract class AbstractRegistryMojo extends AbstractMojo {
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true)
    MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    MojoExecution mojoExecution;

    /** For the reactor run ({@link ReactorFanOut}); absent where a test builds the goal by hand. */
    @Inject LifecycleExecutor lifecycleExecutor;

    @Inject BuildPluginManager buildPluginManager;

    private org.apache.maven.plugin.logging.Log prefixed;

    /**
     * Skip every registry goal. Like every true/false switch of the plugin, a String: Maven's own
     * conversion ({@code Boolean.valueOf}) reads anything but {@code true} as false, so {@code
     * -Dregistry.requireVetted=yes} would switch the check off; the goal reads each one with {@link
     * #flag} and refuses anything but true or false.
     */
    @Parameter(property = "registry.skip", defaultValue = "false")
    String skip = "false";

    /**
     * Registries allowed over plain HTTP ({@code host[:port]}, comma-separated); loopback
     * registries always are.
     */
    @Parameter(property = "registry.insecureRegistries")
    List<String> insecureRegistries;

    /**
     * Registries read without stored credentials ({@code host[:port]}, comma-separated): for one
     * that allows anonymous pulls but refuses a stale login.
     */
    @Parameter(property = "registry.anonymousRegistries")
    List<String> anonymousRegistries;

    /**
     * PEM files of CA certificates to trust besides the JVM's: {@code FILE} for every registry, or
     * {@code HOST[:PORT]=FILE}.
     */
    @Parameter(property = "registry.caFiles")
    List<String> caFiles;

    /**
     * The settings.xml {@code &amp;lt;server&amp;gt;} holding the credentials for the target
     * (private) registry, when its id is not the registry's host. Servers whose id is a registry's
     * {@code host:port} or host are used for it without this.
     */
    @Parameter(property = "registry.serverId")
    String serverId;

    /**
     * Credentials from environment variables: {@code REGISTRY=VAR} (VAR holds user:password) or
     * {@code REGISTRY=USER_VAR:PASS_VAR}.
     */
    @Parameter(property = "registry.credentialsEnv")
    List<String> credentialsEnv;

    /** The settings decrypter of the Maven that runs the goal. */
    final SettingsDecrypter decrypter;

    /** The results of the operations this goal ran, in order. */
    final List<OperationResult> results = new ArrayList<>();

    AbstractRegistryMojo(SettingsDecrypter decrypter) {
        this.decrypter = decrypter;
    }

    /** The goal's name, e.g. {@code import}. */
    abstract String goal();

    /** Whether this goal's own skip parameter is set. */
    abstract boolean goalSkipped() throws MojoExecutionException;

    /**
     * Reads every true/false switch of the goal, so that one given anything but true or false fails
     * the goal before it does anything (or decides to skip): a goal with switches of its own adds
     * them.
     */
    void checkSwitches() throws MojoExecutionException {
        skip();
        goalSkipped();
    }

    /** {@link #skip}, read. */
    boolean skip() throws MojoExecutionException {
        return flag("skip", skip);
    }

    /**
     * How many modules' runs of this goal may go side by side when it runs itself for every module:
     * 1, one after another as Maven runs modules, unless a goal's runs are independent and light on
     * the CPU.
     */
    int modulesAtOnce() {
        return 1;
    }

    /**
     * Whether this run talks to registries (or Trivy's DB): then Maven's offline mode refuses it.
     */
    abstract boolean needsNetwork() throws MojoExecutionException;

    /**
     * What works offline instead, as the end of the offline error ({@code ", or …"}); nothing by
     * default.
     */
    String offlineAlternative() {
        return "";
    }

    /**
     * Whether the POM sets {@code parameter} for this execution itself (not through its user
     * property): then a {@code -D} on the command line does not change it.
     */
    boolean setInPom(String parameter) {
        if (mojoExecution == null || mojoExecution.getConfiguration() == null) {
            return false;
        }
        org.codehaus.plexus.util.xml.Xpp3Dom child =
                mojoExecution.getConfiguration().getChild(parameter);
        return child != null
                && child.getValue() != null
                && !child.getValue().strip().startsWith("${");
    }

    /** Binds, runs and maps the operation. */
    abstract void run() throws MojoExecutionException, MojoFailureException;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        results.clear();
        checkSwitches();
        if (skip() || goalSkipped()) {
            getLog().info(
                            "Skipping registry:"
                                    + goal()
                                    + " ("
                                    + (skip() ? "registry.skip" : "registry." + goal() + ".skip")
                                    + ")");
            return;
        }
        if (session != null && session.isOffline() && needsNetwork()) {
            throw new MojoExecutionException(
                    "registry:"
                            + goal()
                            + " needs the network to reach the registries, and Maven runs offline"
                            + " (-o): run it without -o"
                            + offlineAlternative());
        }
        ReactorFanOut fanOut =
                new ReactorFanOut(
                        goal(),
                        session,
                        mojoExecution,
                        lifecycleExecutor,
                        buildPluginManager,
                        getLog());
        if (fanOut.applies(imagesOnCommandLine())) {
            fanOut.runForEveryModule(modulesAtOnce());
            return;
        }
        run();
    }

    /**
     * Whether this run names its images on the command line: then one run serves the whole build.
     */
    boolean imagesOnCommandLine() {
        return session != null && session.getUserProperties().containsKey("registry.images");
    }

    /**
     * Whether this run is one module's part of a reactor run (then a module that names no image has
     * nothing to do).
     */
    static boolean inReactorRun() {
        return ReactorFanOut.inRun();
    }

    /** Counts a module's images in a reactor run. */
    static void foundInModule(int images) {
        ReactorFanOut.found(images);
    }

    /** One image's operation, bound and run. */
    @FunctionalInterface
    interface ImageOperation<T, R extends OperationResult> {
        R run(T item) throws MojoExecutionException;
    }

    /**
     * The goals' one per-image loop: runs the operation for each item in order, records and reports
     * each result, and stops at a usage error (the same mistake would fail every other image).
     * Returns the failed operations' errors.
     */
    <T, R extends OperationResult> List<ImageGateException> eachImage(
            List<T> items, ImageOperation<T, R> operation, java.util.function.Consumer<R> report)
            throws MojoExecutionException {
        List<ImageGateException> errors = new ArrayList<>();
        for (T item : items) {
            R result = operation.run(item);
            results.add(result);
            report.accept(result);
            result.error().ifPresent(errors::add);
            if (result.error().map(e -> e.kind() == ErrorKind.USAGE).orElse(false)) {
                break;
            }
        }
        return errors;
    }

    /** The worst outcome of the operations this goal ran. */
    Outcome worstOutcome() {
        return Outcome.worst(results.stream().map(OperationResult::outcome).toList());
    }

    /**
     * The goal's log; while modules run side by side (Maven's {@code -T}, or this plugin's own run
     * for every module), each line names this run's module, as the lines interleave.
     */
    @Override
    public org.apache.maven.plugin.logging.Log getLog() {
        boolean sideBySide =
                ReactorFanOut.sideBySide() || (session != null && session.isParallel());
        if (!sideBySide || project == null) {
            return super.getLog();
        }
        if (prefixed == null) {
            prefixed = new PrefixedLog(super.getLog(), project.getArtifactId());
        }
        return prefixed;
    }

    /** The module's directory (the current directory without a project). */
    Path basedir() {
        if (project != null && project.getBasedir() != null) {
            return project.getBasedir().toPath();
        }
        return Path.of(
                        session != null && session.getExecutionRootDirectory() != null
                                ? session.getExecutionRootDirectory()
                                : "")
                .toAbsolutePath();
    }

    /**
     * The module's build directory ({@code target}; without a project, {@code target} of the
     * current directory).
     */
    Path buildDirectory() {
        String directory =
                project == null || project.getBuild() == null
                        ? null
                        : project.getBuild().getDirectory();
        // Without a project, Maven's stand-in leaves ${project.basedir} in it uninterpolated.
        return directory == null || directory.contains("${")
                ? basedir().resolve("target")
                : Path.of(directory);
    }

    /**
     * The API's settings for this goal; {@code servers} maps registries to the settings.xml servers
     * named for them.
     */
    Settings settings(Map<String, String> servers) throws MojoExecutionException {
        return settings(servers, Map.of());
    }

    /**
     * As {@link #settings(Map)}, with {@code variables} over the environment the API sees (a
     * signing key's passphrase).
     */
    Settings settings(Map<String, String> servers, Map<String, String> variables)
            throws MojoExecutionException {
        return new MavenSettings(session == null ? null : session.getSettings(), decrypter)
                .build(
                        basedir(),
                        new RegistryParameters(
                                credentialsEnv,
                                servers,
                                insecureRegistries,
                                caFiles,
                                anonymousRegistries),
                        variables);
    }

    /** {@link #serverId} for each of these registries ({@code host[:port]}). */
    Map<String, String> serverFor(Collection<String> registries) {
        Map<String, String> out = new LinkedHashMap<>();
        if (serverId != null && !serverId.isBlank()) {
            registries.forEach(r -> out.put(r, serverId.strip()));
        }
        return out;
    }

    /**
     * The registry ({@code host[:port]}) of a registry prefix such as {@code
     * registry.example.com/base}.
     */
    static String registryOfPrefix(String prefix) {
        String p = prefix.strip();
        int eq = p.indexOf('=');
        if (eq >= 0) {
            p = p.substring(eq + 1); // a mapping rule: its target
        }
        int slash = p.indexOf('/');
        return slash < 0 ? p : p.substring(0, slash);
    }

    /**
     * A true/false switch the library knows as {@code field}: {@code true} or {@code false}, else
     * the goal fails naming it.
     */
    static boolean flag(Field field, String value) throws MojoExecutionException {
        try {
            return Inputs.bool(field, value);
        } catch (ImageGateException e) {
            throw Outcomes.error(List.of(e));
        }
    }

    /**
     * A switch of the plugin's own ({@link MavenVocabulary#OWN_SWITCHES}: skip, followProject,
     * jib), read the same way.
     */
    static boolean flag(String parameter, String value) throws MojoExecutionException {
        try {
            return Inputs.bool(MavenVocabulary.ownSwitch(parameter), value);
        } catch (ImageGateException e) {
            throw Outcomes.error(List.of(e));
        }
    }

    /**
     * A list parameter as the library takes it: {@code a,b} items split, blanks refused (naming the
     * field).
     */
    static List<String> split(Field field, List<String> values) throws MojoExecutionException {
        try {
            return Inputs.list(field, list(values));
        } catch (ImageGateException e) {
            throw Outcomes.error(List.of(e));
        }
    }

    static List<String> list(List<String> values) {
        return values == null
                ? List.of()
                : values.stream().filter(v -> v != null && !v.isBlank()).toList();
    }

    /** A path parameter as the library takes it (relative to the module's directory), or null. */
    static String path(File file) {
        return file == null ? null : file.getPath();
    }
}
