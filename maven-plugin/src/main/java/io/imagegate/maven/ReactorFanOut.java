package io.imagegate.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.lifecycle.LifecycleExecutor;
import org.apache.maven.plugin.BuildPluginManager;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/**
 * Maven's reactor, as a goal that works without a project sees it: Maven runs such a goal once per
 * build when it is called from the command line, in the top project only. On a multi-module build
 * whose modules configure their own images, {@code mvn registry:import} must take every module's:
 * so that run runs the goal again for each module, with that module's configuration, as a goal
 * bound to the lifecycle would run. Maven-internal; the goals' own work never sees it beyond {@link
 * #inRun()} and {@link #found(int)}.
 */
final class ReactorFanOut {
    /** The run for every module this thread's goal is part of; null outside such a run. */
    private static final ThreadLocal<Run> CURRENT = new ThreadLocal<>();

    /**
     * A goal's run for every module: the images found so far, and whether the modules run side by
     * side.
     */
    private record Run(AtomicInteger found, boolean sideBySide) {}

    private final String goal;
    private final MavenSession session;
    private final MojoExecution execution;
    private final LifecycleExecutor lifecycleExecutor;
    private final BuildPluginManager buildPluginManager;
    private final Log log;

    ReactorFanOut(
            String goal,
            MavenSession session,
            MojoExecution execution,
            LifecycleExecutor lifecycleExecutor,
            BuildPluginManager buildPluginManager,
            Log log) {
        this.goal = goal;
        this.session = session;
        this.execution = execution;
        this.lifecycleExecutor = lifecycleExecutor;
        this.buildPluginManager = buildPluginManager;
        this.log = log;
    }

    /**
     * Whether this run is a command-line run of a project-less goal in a multi-module build, not
     * itself a module's part of one, and not naming its images on the command line (then one run
     * serves the whole build).
     */
    boolean applies(boolean imagesOnCommandLine) {
        return CURRENT.get() == null
                && execution != null
                && execution.getSource() == MojoExecution.Source.CLI
                && execution.getMojoDescriptor() != null
                && !execution.getMojoDescriptor().isProjectRequired()
                && session != null
                && session.getProjects() != null
                && session.getProjects().size() > 1
                && !imagesOnCommandLine
                && lifecycleExecutor != null
                && buildPluginManager != null;
    }

    /**
     * Runs the goal for every module, {@code modulesAtOnce} at a time; no image in any module is an
     * error.
     */
    void runForEveryModule(int modulesAtOnce) throws MojoExecutionException, MojoFailureException {
        PluginDescriptor plugin = execution.getMojoDescriptor().getPluginDescriptor();
        String task =
                plugin.getGroupId()
                        + ":"
                        + plugin.getArtifactId()
                        + ":"
                        + plugin.getVersion()
                        + ":"
                        + goal
                        + ("default-cli".equals(execution.getExecutionId())
                                ? ""
                                : "@" + execution.getExecutionId());
        List<MavenProject> modules = session.getProjects();
        int atOnce = Math.max(1, Math.min(modulesAtOnce, modules.size()));
        Run run = new Run(new AtomicInteger(), atOnce > 1);
        if (atOnce == 1) {
            MavenProject top = session.getCurrentProject();
            try {
                for (MavenProject module : modules) {
                    runInModule(session, module, task, run);
                }
            } finally {
                session.setCurrentProject(top);
            }
        } else {
            runSideBySide(modules, task, run, atOnce);
        }
        if (run.found().get() == 0) {
            throw new MojoExecutionException(
                    "registry:"
                            + goal
                            + " found no image in any module of the build: name one on the command"
                            + " line (-D"
                            + (goal.equals("scan") ? "registry.image" : "registry.source")
                            + "=…), or configure the modules'"
                            + " images (<images>, or <followProject>true</followProject>)");
        }
    }

    /**
     * Runs the modules' runs {@code atOnce} at a time, each in its own copy of the session (as
     * Maven's parallel builder does); every module runs even when one fails, and the first failure
     * in module order is the build's.
     */
    private void runSideBySide(List<MavenProject> modules, String task, Run run, int atOnce)
            throws MojoExecutionException, MojoFailureException {
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        atOnce,
                        r -> {
                            // Not inheriting thread locals: Maven's LegacySupport keeps the session
                            // in an inheritable one, which a
                            // module's run would otherwise clear for this thread too.
                            Thread t =
                                    new Thread(null, r, "registry-" + goal + "-module", 0, false);
                            t.setDaemon(true);
                            return t;
                        });
        List<Future<?>> runs = new ArrayList<>();
        try {
            for (MavenProject module : modules) {
                MavenSession forModule = session.clone();
                runs.add(
                        pool.submit(
                                () -> {
                                    runInModule(forModule, module, task, run);
                                    return null;
                                }));
            }
            Exception first = null;
            String failedIn = null;
            for (int i = 0; i < runs.size(); i++) {
                try {
                    runs.get(i).get();
                } catch (ExecutionException e) {
                    Exception cause =
                            e.getCause() instanceof Exception ex
                                    ? ex
                                    : new MojoExecutionException(
                                            String.valueOf(e.getCause()), e.getCause());
                    String module = modules.get(i).getArtifactId();
                    if (first == null) {
                        first = cause;
                        failedIn = module;
                    } else {
                        log.error(
                                "registry:"
                                        + goal
                                        + " failed in "
                                        + module
                                        + ": "
                                        + cause.getMessage());
                    }
                }
            }
            if (first instanceof MojoFailureException f) {
                throw new MojoFailureException("in " + failedIn + ": " + f.getMessage(), f);
            }
            if (first != null) {
                throw new MojoExecutionException(
                        "in " + failedIn + ": " + first.getMessage(), first);
            }
        } catch (InterruptedException e) {
            runs.forEach(r -> r.cancel(true));
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("registry:" + goal + " was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs the goal with {@code module}'s configuration, in the calling thread, as a goal bound to
     * its lifecycle would run.
     */
    private void runInModule(MavenSession forModule, MavenProject module, String task, Run run)
            throws MojoExecutionException, MojoFailureException {
        try {
            forModule.setCurrentProject(
                    module); // per thread: the session keeps the current project in a ThreadLocal
            for (MojoExecution moduleExecution :
                    lifecycleExecutor.calculateExecutionPlan(forModule, task).getMojoExecutions()) {
                log.info(
                        "registry:"
                                + goal
                                + " in "
                                + module.getArtifactId()
                                + " ("
                                + module.getBasedir()
                                + ")");
                CURRENT.set(run);
                try {
                    buildPluginManager.executeMojo(forModule, moduleExecution);
                } finally {
                    CURRENT.remove();
                }
            }
        } catch (MojoExecutionException | MojoFailureException e) {
            throw e;
        } catch (Exception e) {
            throw new MojoExecutionException(
                    "registry:"
                            + goal
                            + " could not run for "
                            + module.getArtifactId()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Whether this thread's goal is one module's part of a run for every module (then no image
     * there is nothing to do).
     */
    static boolean inRun() {
        return CURRENT.get() != null;
    }

    /**
     * Whether this thread's goal is one module's part of a run whose modules go side by side (then
     * its log names the module).
     */
    static boolean sideBySide() {
        Run run = CURRENT.get();
        return run != null && run.sideBySide();
    }

    /** Counts a module's images in a run for every module; outside one, nothing. */
    static void found(int images) {
        Run run = CURRENT.get();
        if (run != null) {
            run.found().addAndGet(images);
        }
    }
}
