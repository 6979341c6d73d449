package io.imagegate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code imagegate} command. Each subcommand maps its options onto {@link io.imagegate.ImageGate}. */
@Command(name = "imagegate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Import, scan, vet and gate container base images against a private registry.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ImportCommand.class,
                ScanCommand.class,
                RefsCommand.class,
                RewriteCommand.class,
                GateCommand.class,
        })
public final class Main implements Runnable {
    /** Exit codes shared by every subcommand. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line, for callers that redirect its output. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
