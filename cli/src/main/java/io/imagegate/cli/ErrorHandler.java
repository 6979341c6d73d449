package io.imagegate.cli;

import io.imagegate.ImageGateException;
import picocli.CommandLine;

/** A user mistake or an expected failure is one line on stderr and exit 2; anything else keeps its stack trace. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (e instanceof ImageGateException) {
            commandLine.getErr().println("imagegate: " + e.getMessage());
        } else {
            commandLine.getErr().println("imagegate: internal error: " + e);
            e.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return Main.ERROR;
    }
}
