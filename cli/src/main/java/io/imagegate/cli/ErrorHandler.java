package io.imagegate.cli;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import picocli.CommandLine;

/**
 * Failures outside an operation's result (binding options): a typed error is one line and exit 2;
 * anything else is a bug, also one line and exit 2 (its stack trace only with IMAGEGATE_DEBUG=1).
 * With {@code --json} the error is also the document on stdout.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
            Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        ImageGateException error =
                e instanceof ImageGateException typed
                        ? typed
                        : new ImageGateException(
                                ErrorKind.INTERNAL,
                                Message.of(
                                        "internal",
                                        "internal error ({0}); this is a bug in imagegate,"
                                                + " please report it with the command that caused it",
                                        e.getClass().getName()),
                                null,
                                e);
        Output.error(commandLine.getErr(), error);
        if (Output.jsonGiven(commandLine)) {
            Output.errorDocument(commandLine, error);
        }
        return ExitCodes.ERROR;
    }
}
