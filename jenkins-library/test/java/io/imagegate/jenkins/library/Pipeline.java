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
 * The Jenkins steps the library calls, as JenkinsPipelineUnit mocks that behave like Jenkins' own: {@code sh} runs what
 * the test says (a fixed exit code, or the real command), {@code withCredentials} puts the credentials' values into the
 * environment of the steps inside it only, {@code error} fails the build and stops it, {@code unstable} marks it. What
 * happened is recorded in {@link #log}. Mocks are static, serializable closures so they also run under CPS.
 */
final class Pipeline {
    /** The library under test: this module's directory (vars/ and src/ at its root, as Jenkins loads a library). */
    static final Path LIBRARY = Path.of("").toAbsolutePath();

    /** Everything the pipeline did, in order. */
    static final class Log {
        final List<String> console = Collections.synchronizedList(new ArrayList<>());
        final List<String> commands = new ArrayList<>();
        final List<Map<String, String>> commandEnvironments = new ArrayList<>();
        final List<List<Map<String, Object>>> credentialBindings = new ArrayList<>();
        /** Credential id → {user, password} or {secret}: what Jenkins' credential store would hold. */
        final Map<String, List<String>> store = new HashMap<>();
        /** Secret files withCredentials has written for the steps running inside it (deleted when it ends). */
        final List<Path> secretFiles = new ArrayList<>();
        /** Variables withCredentials has bound for the steps running inside it. */
        final Map<String, String> bound = new LinkedHashMap<>();
        /** What sh does with a command and its environment: its exit code (and it may print into the console). */
        BiFunction<String, Map<String, String>, Integer> sh = (command, env) -> 0;
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

    private Pipeline() {
    }

    /** Registers the library and the mocks on a set-up test; {@code env} becomes the pipeline's {@code env}. */
    @SuppressWarnings("unchecked")
    static Log install(BasePipelineTest test, Map<String, String> env, boolean implicit) {
        log = new Log();
        URL root;
        try {
            root = LIBRARY.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        test.getHelper().registerSharedLibrary(LibraryConfiguration.library().name("imagegate").retriever((name, version, target) -> List.of(root))
                .targetPath(LIBRARY.resolve("target/jpu").toString()).defaultVersion("main").allowOverride(true).implicit(implicit).build());
        test.getBinding().setVariable("env", new LinkedHashMap<>(env));
        log.currentBuild = (Map<String, Object>) test.getBinding().getVariable("currentBuild");
        test.getHelper().registerAllowedMethod("sh", List.of(Map.class), new Sh());
        test.getHelper().registerAllowedMethod("withCredentials", List.of(List.class, Closure.class), new WithCredentials());
        test.getHelper().registerAllowedMethod("error", List.of(String.class), new Error());
        test.getHelper().registerAllowedMethod("unstable", List.of(String.class), new Unstable());
        test.getHelper().registerAllowedMethod("echo", List.of(String.class), new Echo());
        return log;
    }

    /** A fresh log for the next run on the same test set-up: the build's result cleared, nothing recorded, no credentials. */
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
            String command = String.valueOf(args.get("script"));
            log.commands.add(command);
            Map<String, String> env = new LinkedHashMap<>(log.bound);
            log.commandEnvironments.add(env);
            int status = log.sh.apply(command, env);
            return Boolean.TRUE.equals(args.get("returnStatus")) ? status : null;
        }
    }

    static final class WithCredentials extends Closure<Object> implements Serializable {
        WithCredentials() {
            super(null);
        }

        @SuppressWarnings("unchecked")
        public Object doCall(List<Object> bindings, Closure<Object> body) {
            List<Map<String, Object>> recorded = new ArrayList<>();
            for (Object b : bindings) {
                Map<String, Object> binding = (Map<String, Object>) b;
                recorded.add(binding);
                List<String> values = log.store.get(String.valueOf(binding.get("credentialsId")));
                if (values == null) {
                    throw new PipelineError("Could not find credentials entry with ID '" + binding.get("credentialsId") + "'");
                }
                if (binding.get("$class").equals("UsernamePasswordMultiBinding")) {
                    log.bound.put(String.valueOf(binding.get("usernameVariable")), values.get(0));
                    log.bound.put(String.valueOf(binding.get("passwordVariable")), values.get(1));
                } else if (binding.get("$class").equals("FileBinding")) {
                    // as credentials-binding's FileBinding: a copy of the secret file, its path in the variable, deleted afterwards
                    log.bound.put(String.valueOf(binding.get("variable")), secretFile(values.get(0)).toString());
                } else {
                    log.bound.put(String.valueOf(binding.get("variable")), values.get(0));
                }
            }
            log.credentialBindings.add(recorded);
            try {
                return body.call();
            } finally {
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
        }

        private static Path secretFile(String content) {
            try {
                Path dir = io.imagegate.testing.TempDirs.create("imagegate-secret-file-");
                Path file = dir.resolve("secretFile");
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
