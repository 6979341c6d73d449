package io.imagegate.maven;

import io.imagegate.api.Inputs;
import io.imagegate.api.OperationResult;
import io.imagegate.api.Settings;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
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

import javax.inject.Inject;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every goal shares: skipping, the registry parameters, credentials from {@code settings.xml}, the offline
 * check, and the result of the operations it ran (for in-process callers: the contract tests). A goal binds its
 * parameters into the API's specs, calls the facade and maps the outcome through {@link Outcomes}; it has no logic of
 * its own.
 */
abstract class AbstractRegistryMojo extends AbstractMojo {
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true)
    MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    MojoExecution mojoExecution;

    /** For the reactor run (see {@link #execute()}); absent where a test builds the goal by hand. */
    @Inject
    LifecycleExecutor lifecycleExecutor;

    @Inject
    BuildPluginManager buildPluginManager;

    /** Images found so far while a goal runs itself for every module of a reactor; null outside such a run. */
    private static final ThreadLocal<ReactorRun> REACTOR_RUN = new ThreadLocal<>();

    /** A goal's run for every module: the images found so far, and whether the modules run side by side. */
    private record ReactorRun(java.util.concurrent.atomic.AtomicInteger found, boolean sideBySide) {
    }

    private org.apache.maven.plugin.logging.Log prefixed;

    /**
     * Skip every registry goal. Like every true/false switch of the plugin, a String: Maven's own conversion
     * ({@code Boolean.valueOf}) reads anything but {@code true} as false, so {@code -Dregistry.requireVetted=yes} would
     * switch the check off; the goal reads each one with {@link #flag} and refuses anything but true or false.
     */
    @Parameter(property = "registry.skip", defaultValue = "false")
    String skip = "false";

    /** Registries allowed over plain HTTP ({@code host[:port]}, comma-separated); loopback registries always are. */
    @Parameter(property = "registry.insecureRegistries")
    List<String> insecureRegistries;

    /** PEM files of CA certificates to trust besides the JVM's: {@code FILE} for every registry, or {@code HOST[:PORT]=FILE}. */
    @Parameter(property = "registry.caFiles")
    List<String> caFiles;

    /**
     * The settings.xml {@code <server>} holding the credentials for the target (private) registry, when its id is not
     * the registry's host. Servers whose id is a registry's {@code host:port} or host are used for it without this.
     */
    @Parameter(property = "registry.serverId")
    String serverId;

    /** Credentials from environment variables: {@code REGISTRY=VAR} (VAR holds user:password) or {@code REGISTRY=USER_VAR:PASS_VAR}. */
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
     * Reads every true/false switch of the goal, so that one given anything but true or false fails the goal before it
     * does anything (or decides to skip): a goal with switches of its own adds them.
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
     * How many modules' runs of this goal may go side by side when it runs itself for every module: 1, one after
     * another as Maven runs modules, unless a goal's runs are independent and light on the CPU.
     */
    int modulesAtOnce() {
        return 1;
    }

    /** Whether this run talks to registries (or Trivy's DB): then Maven's offline mode refuses it. */
    abstract boolean needsNetwork() throws MojoExecutionException;

    /** Binds, runs and maps the operation. */
    abstract void run() throws MojoExecutionException, MojoFailureException;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        results.clear();
        checkSwitches();
        if (skip() || goalSkipped()) {
            getLog().info("Skipping registry:" + goal() + " (" + (skip() ? "registry.skip" : "registry." + goal() + ".skip") + ")");
            return;
        }
        if (session != null && session.isOffline() && needsNetwork()) {
            throw new MojoExecutionException("registry:" + goal() + " needs the network to reach the registries, and Maven runs offline"
                    + " (-o): run it without -o");
        }
        if (runsForEveryModule()) {
            runForEveryModule();
            return;
        }
        run();
    }

    /** Whether this run names its images on the command line: then one run serves the whole build. */
    boolean imagesOnCommandLine() {
        return session != null && session.getUserProperties().containsKey("registry.images");
    }

    /**
     * Maven runs a goal that works without a project ({@code requiresProject = false}) once per build when it is
     * called from the command line, in the top project only. On a multi-module build whose modules configure their own
     * images, {@code mvn registry:import} must take every module's: so that run runs the goal again for each module,
     * with that module's configuration, as a goal bound to the lifecycle would run.
     */
    private boolean runsForEveryModule() {
        return REACTOR_RUN.get() == null && mojoExecution != null && mojoExecution.getSource() == MojoExecution.Source.CLI
                && mojoExecution.getMojoDescriptor() != null && !mojoExecution.getMojoDescriptor().isProjectRequired()
                && session != null && session.getProjects() != null && session.getProjects().size() > 1 && !imagesOnCommandLine()
                && lifecycleExecutor != null && buildPluginManager != null;
    }

    private void runForEveryModule() throws MojoExecutionException, MojoFailureException {
        org.apache.maven.plugin.descriptor.PluginDescriptor plugin = mojoExecution.getMojoDescriptor().getPluginDescriptor();
        String task = plugin.getGroupId() + ":" + plugin.getArtifactId() + ":" + plugin.getVersion() + ":" + goal()
                + ("default-cli".equals(mojoExecution.getExecutionId()) ? "" : "@" + mojoExecution.getExecutionId());
        List<MavenProject> modules = session.getProjects();
        int atOnce = Math.max(1, Math.min(modulesAtOnce(), modules.size()));
        ReactorRun found = new ReactorRun(new java.util.concurrent.atomic.AtomicInteger(), atOnce > 1);
        if (atOnce == 1) {
            MavenProject top = session.getCurrentProject();
            try {
                for (MavenProject module : modules) {
                    runInModule(session, module, task, found);
                }
            } finally {
                session.setCurrentProject(top);
            }
        } else {
            runSideBySide(modules, task, found, atOnce);
        }
        if (found.found().get() == 0) {
            throw new MojoExecutionException("registry:" + goal() + " found no image in any module of the build: name one on the command"
                    + " line (-D" + (goal().equals("scan") ? "registry.image" : "registry.source") + "=…), or configure the modules'"
                    + " images (<images>, or <followProject>true</followProject>)");
        }
    }

    /**
     * Runs the modules' runs {@code atOnce} at a time, each in its own copy of the session (as Maven's parallel builder
     * does); every module runs even when one fails, and the first failure in module order is the build's.
     */
    private void runSideBySide(List<MavenProject> modules, String task, ReactorRun found, int atOnce)
            throws MojoExecutionException, MojoFailureException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(atOnce, r -> {
            // Not inheriting thread locals: Maven's LegacySupport keeps the session in an inheritable one, which a
            // module's run would otherwise clear for this thread too.
            Thread t = new Thread(null, r, "registry-" + goal() + "-module", 0, false);
            t.setDaemon(true);
            return t;
        });
        List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
        try {
            for (MavenProject module : modules) {
                MavenSession forModule = session.clone();
                runs.add(pool.submit(() -> {
                    runInModule(forModule, module, task, found);
                    return null;
                }));
            }
            Exception first = null;
            String failedIn = null;
            for (int i = 0; i < runs.size(); i++) {
                try {
                    runs.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Exception cause = e.getCause() instanceof Exception ex ? ex : new MojoExecutionException(String.valueOf(e.getCause()), e.getCause());
                    String module = modules.get(i).getArtifactId();
                    if (first == null) {
                        first = cause;
                        failedIn = module;
                    } else {
                        getLog().error("registry:" + goal() + " failed in " + module + ": " + cause.getMessage());
                    }
                }
            }
            if (first instanceof MojoFailureException f) {
                throw new MojoFailureException("in " + failedIn + ": " + f.getMessage(), f);
            }
            if (first != null) {
                throw new MojoExecutionException("in " + failedIn + ": " + first.getMessage(), first);
            }
        } catch (InterruptedException e) {
            runs.forEach(run -> run.cancel(true));
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("registry:" + goal() + " was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs the goal with {@code module}'s configuration, in the calling thread, as a goal bound to its lifecycle would run. */
    private void runInModule(MavenSession forModule, MavenProject module, String task, ReactorRun found)
            throws MojoExecutionException, MojoFailureException {
        try {
            forModule.setCurrentProject(module); // per thread: the session keeps the current project in a ThreadLocal
            for (MojoExecution execution : lifecycleExecutor.calculateExecutionPlan(forModule, task).getMojoExecutions()) {
                getLog().info("registry:" + goal() + " in " + module.getArtifactId() + " (" + module.getBasedir() + ")");
                REACTOR_RUN.set(found);
                try {
                    buildPluginManager.executeMojo(forModule, execution);
                } finally {
                    REACTOR_RUN.remove();
                }
            }
        } catch (MojoExecutionException | MojoFailureException e) {
            throw e;
        } catch (Exception e) {
            throw new MojoExecutionException("registry:" + goal() + " could not run for " + module.getArtifactId() + ": " + e.getMessage(), e);
        }
    }

    /** Whether this run is one module's part of a reactor run (then a module that names no image has nothing to do). */
    static boolean inReactorRun() {
        return REACTOR_RUN.get() != null;
    }

    /** Counts a module's images in a reactor run. */
    static void foundInModule(int images) {
        ReactorRun run = REACTOR_RUN.get();
        if (run != null) {
            run.found().addAndGet(images);
        }
    }

    /** The goal's log; while modules run side by side, each line names this run's module. */
    @Override
    public org.apache.maven.plugin.logging.Log getLog() {
        ReactorRun run = REACTOR_RUN.get();
        if (run == null || !run.sideBySide() || project == null) {
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
        return Path.of(session != null && session.getExecutionRootDirectory() != null ? session.getExecutionRootDirectory() : "")
                .toAbsolutePath();
    }

    /** The module's build directory ({@code target}; without a project, {@code target} of the current directory). */
    Path buildDirectory() {
        String directory = project == null || project.getBuild() == null ? null : project.getBuild().getDirectory();
        // Without a project, Maven's stand-in leaves ${project.basedir} in it uninterpolated.
        return directory == null || directory.contains("${") ? basedir().resolve("target") : Path.of(directory);
    }

    /** The API's settings for this goal; {@code servers} maps registries to the settings.xml servers named for them. */
    Settings settings(Map<String, String> servers) throws MojoExecutionException {
        return settings(servers, Map.of());
    }

    /** As {@link #settings(Map)}, with {@code variables} over the environment the API sees (a signing key's passphrase). */
    Settings settings(Map<String, String> servers, Map<String, String> variables) throws MojoExecutionException {
        return new MavenSettings(session == null ? null : session.getSettings(), decrypter).build(basedir(),
                new RegistryParameters(credentialsEnv, servers, insecureRegistries, caFiles), variables);
    }

    /** {@link #serverId} for each of these registries ({@code host[:port]}). */
    Map<String, String> serverFor(Collection<String> registries) {
        Map<String, String> out = new LinkedHashMap<>();
        if (serverId != null && !serverId.isBlank()) {
            registries.forEach(r -> out.put(r, serverId.strip()));
        }
        return out;
    }

    /** The registry ({@code host[:port]}) of a registry prefix such as {@code registry.example.com/base}. */
    static String registryOfPrefix(String prefix) {
        String p = prefix.strip();
        int eq = p.indexOf('=');
        if (eq >= 0) {
            p = p.substring(eq + 1); // a mapping rule: its target
        }
        int slash = p.indexOf('/');
        return slash < 0 ? p : p.substring(0, slash);
    }

    /** A true/false switch the library knows as {@code field}: {@code true} or {@code false}, else the goal fails naming it. */
    static boolean flag(Field field, String value) throws MojoExecutionException {
        try {
            return Inputs.bool(field, value);
        } catch (ImageGateException e) {
            throw Outcomes.error(List.of(e));
        }
    }

    /** A switch of the plugin's own ({@link MavenVocabulary#OWN_SWITCHES}: skip, followProject, jib), read the same way. */
    static boolean flag(String parameter, String value) throws MojoExecutionException {
        try {
            return Inputs.bool(MavenVocabulary.ownSwitch(parameter), value);
        } catch (ImageGateException e) {
            throw Outcomes.error(List.of(e));
        }
    }

    /** A list parameter as the library takes it: {@code a,b} items split, blanks refused (naming the field). */
    static List<String> split(Field field, List<String> values) throws MojoExecutionException {
        try {
            return Inputs.list(field, list(values));
        } catch (ImageGateException e) {
            throw Outcomes.error(List.of(e));
        }
    }

    static List<String> list(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).toList();
    }

    /** A path parameter as the library takes it (relative to the module's directory), or null. */
    static String path(File file) {
        return file == null ? null : file.getPath();
    }
}
