package io.imagegate.jenkins.library;

import com.lesfurets.jenkins.unit.BasePipelineTest;
import com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration;
import groovy.lang.Closure;
import java.io.Serializable;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The Jenkins steps the library calls, as JenkinsPipelineUnit mocks that behave like Jenkins' own:
 * {@code sh} runs what the test says (a fake CLI: an exit code and its JSON document; or the real
 * script), and with {@code returnStdout} fails on a non-zero exit code, {@code withCredentials}
 * puts the credentials' values into the environment of the steps inside it only, {@code error}
 * fails the build and stops it, {@code unstable} marks it. What happened is recorded in {@link
 * #log}. Mocks are static, serializable closures so they also run under CPS.
 */
final class Pipeline {
    /**
     * The library under test: this module's directory (vars/ and src/ at its root, as Jenkins loads
     * a library).
     */
    static final Path LIBRARY = Path.of("").toAbsolutePath();

    /**
     * What the library appends to the CLI's command line to print its exit code after the document
     * (ImagegateCli.EXIT_CODE).
     */
    static final String EXIT_CODE = " || printf '\\nimagegate-exit-code=%s\\n' \"$?\"";

    /**
     * What a script run for real did: its exit code and its stdout (its stderr went to the
     * console).
     */
    record Ran(int status, String stdout) {}

    /** Everything the pipeline did, in order. */
    static final class Log {
        final List<String> console = Collections.synchronizedList(new ArrayList<>());

        /** The CLI command lines run, without what the library appends to them (EXIT_CODE). */
        final List<String> commands = new ArrayList<>();

        /** The scripts sh was given, whole. */
        final List<String> scripts = new ArrayList<>();

        final List<Map<String, String>> commandEnvironments = new ArrayList<>();
        final List<List<Map<String, Object>>> credentialBindings = new ArrayList<>();

        /**
         * Credential id → {user, password} or {secret}: what Jenkins' credential store would hold.
         */
        final Map<String, List<String>> store = new HashMap<>();

        /**
         * Secret files withCredentials has written for the steps running inside it (deleted when it
         * ends).
         */
        final List<Path> secretFiles = new ArrayList<>();

        /** Variables withCredentials has bound for the steps running inside it. */
        final Map<String, String> bound = new LinkedHashMap<>();

        /**
         * Under CPS: bindings left in place for a block's body, which runs after the mock has
         * returned.
         */
        boolean cpsBindingsOpen;

        /**
         * A fake CLI: its exit code for a command line and its environment (and it may print into
         * the console).
         */
        BiFunction<String, Map<String, String>, Integer> sh = (command, env) -> 0;

        /**
         * The fake CLI's stdout for a command line and its exit code: by default the document of
         * that outcome.
         */
        BiFunction<String, Integer, String> stdout = Pipeline::document;

        /** When set, sh runs the whole script for real instead of the fake CLI. */
        BiFunction<String, Map<String, String>, Ran> shell;

        Map<String, Object> currentBuild;

        String text() {
            return String.join("\n", console);
        }
    }

    static Log log = new Log();

    /** Thrown by {@code error}, as Jenkins' error step throws: the pipeline stops there. */
    static final class PipelineError extends RuntimeException {
        PipelineError(String message) {
            super(message);
        }
    }

    private Pipeline() {}

    /**
     * Registers the library and the mocks on a set-up test; {@code env} becomes the pipeline's
     * {@code env}.
     */
    @SuppressWarnings("unchecked")
    static Log install(BasePipelineTest test, Map<String, String> env, boolean implicit) {
        log = new Log();
        URL root;
        try {
            root = LIBRARY.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        test.getHelper()
                .registerSharedLibrary(
                        LibraryConfiguration.library()
                                .name("imagegate")
                                .retriever((name, version, target) -> List.of(root))
                                .targetPath(LIBRARY.resolve("target/jpu").toString())
                                .defaultVersion("main")
                                .allowOverride(true)
                                .implicit(implicit)
                                .build());
        test.getBinding().setVariable("env", new LinkedHashMap<>(env));
        log.currentBuild = (Map<String, Object>) test.getBinding().getVariable("currentBuild");
        test.getHelper().registerAllowedMethod("sh", List.of(Map.class), new Sh());
        test.getHelper()
                .registerAllowedMethod(
                        "withCredentials",
                        List.of(List.class, Closure.class),
                        new WithCredentials());
        test.getHelper().registerAllowedMethod("error", List.of(String.class), new Error());
        test.getHelper().registerAllowedMethod("unstable", List.of(String.class), new Unstable());
        test.getHelper().registerAllowedMethod("echo", List.of(String.class), new Echo());
        return log;
    }

    /**
     * A fresh log for the next run on the same test set-up: the build's result cleared, nothing
     * recorded, no credentials.
     */
    static Log reset() {
        Map<String, Object> currentBuild = log.currentBuild;
        log = new Log();
        currentBuild.put("result", null);
        log.currentBuild = currentBuild;
        return log;
    }

    /** Runs a Jenkinsfile; an {@code error} step ends it, as in Jenkins. */
    static void run(BasePipelineTest test, String jenkinsfile) {
        try {
            test.runScript(jenkinsfile);
        } catch (Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof PipelineError) {
                    return;
                }
            }
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    /** The build's result as the pipeline left it (null: SUCCESS). */
    static String result() {
        Object result = log.currentBuild.get("result");
        return result == null ? "SUCCESS" : result.toString();
    }

    static final class Sh extends Closure<Object> implements Serializable {
        Sh() {
            super(null);
        }

        public Object doCall(Map<String, Object> args) {
            String script = String.valueOf(args.get("script"));
            boolean wrapped = script.endsWith(EXIT_CODE);
            String command =
                    wrapped ? script.substring(0, script.length() - EXIT_CODE.length()) : script;
            log.scripts.add(script);
            log.commands.add(command);
            Map<String, String> env = new LinkedHashMap<>(log.bound);
            log.commandEnvironments.add(env);
            Ran ran;
            if (log.shell != null) {
                ran = log.shell.apply(script, env);
            } else {
                // the fake CLI, then what the appended printf does: the exit code after the
                // document, and the script exits 0
                int status = log.sh.apply(command, env);
                String out = log.stdout.apply(command, status);
                ran =
                        wrapped && status != 0
                                ? new Ran(0, out + "\nimagegate-exit-code=" + status + "\n")
                                : new Ran(status, out);
            }
            if (Boolean.TRUE.equals(args.get("returnStatus"))) {
                return ran.status();
            }
            if (ran.status() != 0) {
                // as Jenkins' sh: a script that fails fails the step
                log.console.add("ERROR: script returned exit code " + ran.status());
                log.currentBuild.put("result", "FAILURE");
                throw new PipelineError("script returned exit code " + ran.status());
            }
            return Boolean.TRUE.equals(args.get("returnStdout")) ? ran.stdout() : null;
        }
    }

    /**
     * The document the CLI prints for an exit code (imagegate --help: 0 passed, 1 failed by policy
     * or, for rewrite and update, changes needed, 2 error); nothing for any other code, as when the
     * CLI never ran.
     */
    static String document(String command, int status) {
        String subcommand = command.replaceFirst("^\\S+ (\\S+).*$", "$1");
        String outcome =
                switch (status) {
                    case 0 -> "PASSED";
                    case 1 ->
                            subcommand.equals("rewrite") || subcommand.equals("update")
                                    ? "CHANGES_NEEDED"
                                    : "POLICY_FAILED";
                    case 2 -> "ERROR";
                    default -> null;
                };
        if (outcome == null) {
            return "";
        }
        return "{\"schemaVersion\":1,\"command\":\""
                + subcommand
                + "\",\"outcome\":\""
                + outcome
                + "\""
                + (status == 2
                        ? ",\"error\":\"the registry did not answer\",\"errorKind\":\"TRANSIENT\",\"retryable\":true"
                        : "")
                + "}\n";
    }

    /** A JSON object as ordered maps and lists. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(json, LinkedHashMap.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final class WithCredentials extends Closure<Object> implements Serializable {
        WithCredentials() {
            super(null);
        }

        @SuppressWarnings("unchecked")
        public Object doCall(List<Object> bindings, Closure<Object> body) {
            if (log.cpsBindingsOpen) {
                // the previous block's, kept for its body under CPS (below): that block has ended
                // by now
                unbind();
            }
            List<Map<String, Object>> recorded = new ArrayList<>();
            for (Object b : bindings) {
                Map<String, Object> binding = (Map<String, Object>) b;
                recorded.add(binding);
                List<String> values = log.store.get(String.valueOf(binding.get("credentialsId")));
                if (values == null) {
                    throw new PipelineError(
                            "Could not find credentials entry with ID '"
                                    + binding.get("credentialsId")
                                    + "'");
                }
                if (binding.get("$class").equals("UsernamePasswordMultiBinding")) {
                    log.bound.put(String.valueOf(binding.get("usernameVariable")), values.get(0));
                    log.bound.put(String.valueOf(binding.get("passwordVariable")), values.get(1));
                } else if (binding.get("$class").equals("FileBinding")) {
                    // as credentials-binding's FileBinding: a copy of the secret file, its path in
                    // the variable, deleted afterwards
                    log.bound.put(
                            String.valueOf(binding.get("variable")),
                            secretFile(values.get(0)).toString());
                } else {
                    log.bound.put(String.valueOf(binding.get("variable")), values.get(0));
                }
            }
            log.credentialBindings.add(recorded);
            Object result;
            try {
                result = body.call();
            } catch (Throwable t) {
                if (t.getClass()
                        .getName()
                        .equals("com.cloudbees.groovy.cps.impl.CpsCallableInvocation")) {
                    // Under CPS the body is not run by this call: the interpreter runs it after
                    // this mock returns, so its
                    // steps must still see the bindings. They stay until the next withCredentials
                    // (or the test's end).
                    log.cpsBindingsOpen = true;
                    throw t;
                }
                unbind();
                throw t;
            }
            unbind();
            return result;
        }

        private static void unbind() {
            log.cpsBindingsOpen = false;
            log.bound.clear();
            for (Path file : log.secretFiles) {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                    java.nio.file.Files.deleteIfExists(file.getParent());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            log.secretFiles.clear();
        }

        private static Path secretFile(String content) {
            try {
                Path dir = io.imagegate.testing.TempDirs.create("imagegate-secret-file-");
                // with a space, as a workspace@tmp of a job whose name has one: the library must
                // quote the variable
                Path file = dir.resolve("secret file");
                java.nio.file.Files.writeString(file, content);
                log.secretFiles.add(file);
                return file;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    static final class Error extends Closure<Object> implements Serializable {
        Error() {
            super(null);
        }

        public Object doCall(String message) {
            log.console.add("ERROR: " + message);
            log.currentBuild.put("result", "FAILURE");
            throw new PipelineError(message);
        }
    }

    static final class Unstable extends Closure<Object> implements Serializable {
        Unstable() {
            super(null);
        }

        public Object doCall(String message) {
            log.console.add("WARNING: " + message);
            if (!"FAILURE".equals(log.currentBuild.get("result"))) {
                log.currentBuild.put("result", "UNSTABLE");
            }
            return null;
        }
    }

    static final class Echo extends Closure<Object> implements Serializable {
        Echo() {
            super(null);
        }

        public Object doCall(Object message) {
            log.console.add(String.valueOf(message));
            return null;
        }
    }
}
