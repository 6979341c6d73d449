package io.imagegate.cli;

import io.imagegate.api.OperationResult;
import io.imagegate.api.ProgressListener;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import picocli.CommandLine;

import java.io.PrintWriter;

/** How every subcommand prints: progress to stderr, results to stdout, one line per error, and the exit code. */
final class Output {
    private Output() {
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

    /** Prints the error of a failed result (one line; the cause only with IMAGEGATE_DEBUG=1) and returns the exit code. */
    static int finish(CommandLine commandLine, OperationResult result) {
        commandLine.getOut().flush();
        result.error().ifPresent(e -> error(commandLine.getErr(), e));
        return ExitCodes.of(result.outcome());
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
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }
}
