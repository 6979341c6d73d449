package io.imagegate.cli;

import io.imagegate.api.ImageGate;
import io.imagegate.api.OperationResult;
import io.imagegate.api.ProgressListener;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every subcommand has at its top: the registry options and {@code --json}, the API they
 * configure, progress on stderr, the text channel (stderr when {@code --json} owns stdout), and the
 * one way a command ends: its result kept for in-process callers and its exit code from the
 * outcome.
 */
abstract class OperationCommand implements Callable<Integer>, Reporting {
    @Spec CommandSpec spec;

    @Mixin JsonOption json;

    @Mixin RegistryOptions registry;

    private OperationResult result;

    @Override
    public OperationResult result() {
        return result;
    }

    /** The API, configured by the registry options. */
    ImageGate api() {
        return ImageGate.create(registry.settings());
    }

    ProgressListener progress() {
        return Output.progress(spec.commandLine());
    }

    /** Where the command's text goes: stdout, or stderr when {@code --json} owns stdout. */
    PrintWriter text() {
        return Output.text(spec.commandLine(), json);
    }

    /**
     * Keeps {@code outcome} for in-process callers and prints the JSON document when asked; the
     * exit code.
     */
    int finish(OperationResult outcome) {
        this.result = outcome;
        return Output.finish(spec.commandLine(), outcome, json);
    }

    /**
     * As {@link #finish}, for a report-only run: a policy's no exits 0, and the document keeps the
     * outcome and says {@code warnOnly}; an error is one as ever.
     */
    int finishWarnOnly(OperationResult outcome) {
        this.result = outcome;
        return Output.finishWarnOnly(spec.commandLine(), outcome, json);
    }
}
