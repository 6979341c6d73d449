package io.imagegate.cli;

import io.imagegate.api.Inputs;
import io.imagegate.api.OperationResult;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.ResultValues;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * How every subcommand prints: progress to stderr, results to stdout, one line per error, and the
 * exit code. With {@code --json} stdout holds one JSON document only, the result or the error, and
 * the text goes to stderr.
 */
final class Output {
    private Output() {}

    /**
     * Where a command prints its result as text: stdout, or with {@code --json} stderr (stdout is
     * the document's).
     */
    static PrintWriter text(CommandLine commandLine, JsonOption json) {
        return json.enabled() ? commandLine.getErr() : commandLine.getOut();
    }

    static ProgressListener progress(CommandLine commandLine) {
        PrintWriter err = commandLine.getErr();
        return line -> {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        };
    }

    /**
     * Prints the error of a failed result (one line; the cause only with IMAGEGATE_DEBUG=1), with
     * {@code --json} the document, and returns the exit code.
     */
    static int finish(CommandLine commandLine, OperationResult result, JsonOption json) {
        commandLine.getOut().flush();
        result.error().ifPresent(e -> error(commandLine.getErr(), e));
        if (json.enabled()) {
            document(commandLine, values().of(result));
        }
        return ExitCodes.of(result.outcome());
    }

    /**
     * As {@link #finish}, for a report-only run ({@code --warn-only}): the document keeps the true
     * outcome and adds {@code "warnOnly": true}; a policy's no exits 0, an error 2 as ever.
     */
    static int finishWarnOnly(CommandLine commandLine, OperationResult result, JsonOption json) {
        commandLine.getOut().flush();
        result.error().ifPresent(e -> error(commandLine.getErr(), e));
        if (json.enabled()) {
            Map<String, Object> values = new LinkedHashMap<>(values().of(result));
            values.put("warnOnly", true);
            document(commandLine, values);
        }
        return result.outcome() == io.imagegate.api.Outcome.ERROR ? ExitCodes.ERROR : ExitCodes.OK;
    }

    /**
     * The error document of a failure outside an operation's result (binding options, parsing the
     * command line).
     */
    static void errorDocument(CommandLine commandLine, ImageGateException e) {
        document(commandLine, values().error(e));
    }

    /**
     * Files inside the current directory relative to it, as the plugin names files inside its
     * workspace.
     */
    private static ResultValues values() {
        return ResultValues.in(
                CliVocabulary.INSTANCE,
                ResultValues.relativeTo(RegistryOptions.environment().workingDirectory()));
    }

    /** {@code schemaVersion}, {@code command}, then the result's values: one document on stdout. */
    private static void document(CommandLine commandLine, Map<String, Object> values) {
        PrintWriter out = commandLine.getOut();
        out.println(ResultValues.json(document(commandLine.getCommandName(), values)));
        out.flush();
    }

    private static Map<String, Object> document(String command, Map<String, Object> values) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("schemaVersion", ResultValues.SCHEMA_VERSION);
        document.put("command", command);
        document.putAll(values);
        return document;
    }

    /** The document {@code --json} prints for {@code result} of {@code command}, as text. */
    static String json(String command, OperationResult result) {
        return ResultValues.json(document(command, values().of(result)));
    }

    /**
     * Whether the command line asked for {@code --json}, read from the words themselves: for a line
     * picocli refused.
     */
    static boolean jsonRequested(CommandLine commandLine, String... args) {
        if (commandLine.getCommandSpec().findOption(JsonOption.NAME) == null) {
            return false;
        }
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(JsonOption.NAME)) {
                return true;
            }
            if (arg.startsWith(JsonOption.NAME + "=")) {
                try {
                    return Inputs.bool(
                            JsonOption.NAME, arg.substring(JsonOption.NAME.length() + 1));
                } catch (ImageGateException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Whether a command that ran (its options bound) was given {@code --json}. */
    static boolean jsonGiven(CommandLine commandLine) {
        CommandLine.Model.OptionSpec option =
                commandLine.getCommandSpec().findOption(JsonOption.NAME);
        return option != null && Boolean.TRUE.equals(option.getValue());
    }

    static void error(PrintWriter err, ImageGateException e) {
        err.println("imagegate: " + e.render(CliVocabulary.INSTANCE));
        if (e.kind() == ErrorKind.INTERNAL || debug()) {
            if (debug() && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            } else if (e.kind() == ErrorKind.INTERNAL) {
                err.println("imagegate: run again with IMAGEGATE_DEBUG=1 for the details");
            }
        }
        err.flush();
    }

    static boolean debug() {
        String value = System.getenv("IMAGEGATE_DEBUG");
        return value != null
                && !value.isBlank()
                && !value.equals("0")
                && !value.equalsIgnoreCase("false");
    }
}
