package io.imagegate.cli;

import io.imagegate.api.ImageGate;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code imagegate} command. Each subcommand binds its options onto {@link ImageGate}'s API and
 * maps the outcome.
 */
@Command(
        name = "imagegate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Import, scan, vet and gate container base images against a private registry.")
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0
                && (args[0].equals("import") || args[0].equals("scan") || args[0].equals("vet"))) {
            ImageGate.prepare();
        }
        AtomicBoolean finished = new AtomicBoolean();
        // A signal (Ctrl-C, SIGTERM) runs the shutdown hooks: children are killed and temporary
        // files deleted
        // there; this one says why the run ended. The JVM exits 130 or 143, as shells expect.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    if (!finished.get()) {
                                        System.err.println(
                                                "imagegate: interrupted; nothing half-written was left behind");
                                        System.err.flush();
                                    }
                                },
                                "imagegate-interrupted"));
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            // Even a crash (OutOfMemoryError, StackOverflowError) is one line and exit 2, never 1:
            // for scan and gate
            // 1 means "failed by policy".
            System.err.println(
                    "imagegate: internal error ("
                            + t.getClass().getName()
                            + "); this is a bug in imagegate, please report it");
            if (Output.debug()) {
                t.printStackTrace();
            }
            code = ExitCodes.ERROR;
        }
        finished.set(true);
        System.exit(code);
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The configured command line for these arguments, for callers that redirect its output. When
     * the first argument names a subcommand only that one is built: picocli reflects over every
     * option of every subcommand it is given, which is a good part of a short import's start-up
     * (see docs/performance.md).
     */
    static CommandLine commandLine(String... args) {
        Map<String, Supplier<Object>> subcommands = subcommands();
        CommandLine commandLine = new CommandLine(new Main());
        Supplier<Object> only = args.length > 0 ? subcommands.get(args[0]) : null;
        if (only != null && !args[0].equals("help")) {
            commandLine.addSubcommand(args[0], only.get());
        } else {
            subcommands.forEach((name, command) -> commandLine.addSubcommand(name, command.get()));
        }
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(
                (e, args1) -> {
                    PrintWriter err = e.getCommandLine().getErr();
                    err.println(
                            "imagegate: "
                                    + io.imagegate.message.Message.neutralize(
                                            String.valueOf(e.getMessage())));
                    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
                    err.println(
                            "Try 'imagegate "
                                    + (e.getCommandLine().getCommandName().equals("imagegate")
                                            ? ""
                                            : e.getCommandLine().getCommandName() + " ")
                                    + "--help' for more information.");
                    err.flush();
                    if (Output.jsonRequested(e.getCommandLine(), args1)) {
                        // a mistake on the command line is still one document, for whoever parses
                        // stdout
                        Output.errorDocument(
                                e.getCommandLine(),
                                new io.imagegate.message.ImageGateException(
                                        io.imagegate.message.ErrorKind.USAGE,
                                        io.imagegate.message.Message.of(
                                                "cli.usage",
                                                "{0}",
                                                String.valueOf(e.getMessage()))));
                    }
                    return ExitCodes.ERROR;
                });
        return commandLine;
    }

    static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("help", CommandLine.HelpCommand::new);
        all.put("import", ImportCommand::new);
        all.put("scan", ScanCommand::new);
        all.put("vet", VetCommand::new);
        all.put("sync", SyncCommand::new);
        all.put("sync-report", SyncReportCommand::new);
        all.put("verdict", VerdictCommand::new);
        all.put("refs", RefsCommand::new);
        all.put("rewrite", RewriteCommand::new);
        all.put("gate", GateCommand::new);
        all.put("update", UpdateCommand::new);
        return all;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
