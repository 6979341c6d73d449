package io.imagegate.cli;

import io.imagegate.api.OperationResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the CLI in-process and captures its exit code, stdout, stderr, and the operation's result.
 */
record CliRun(int exitCode, String out, String err, OperationResult result) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        OperationResult result = null;
        CommandLine.ParseResult parsed = commandLine.getParseResult();
        if (parsed != null
                && parsed.subcommand() != null
                && parsed.subcommand().commandSpec().userObject() instanceof Reporting reporting) {
            result = reporting.result();
        }
        return new CliRun(code, out.toString(), err.toString(), result);
    }
}
