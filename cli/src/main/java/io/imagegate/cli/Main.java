package io.imagegate.cli;

import io.imagegate.ImageGate;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The {@code imagegate} command. Each subcommand maps its options onto {@link io.imagegate.ImageGate}. */
@Command(name = "imagegate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Import, scan, vet and gate container base images against a private registry.")
public final class Main implements Runnable {
    /** Exit codes shared by every subcommand. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("import") || args[0].equals("scan"))) {
            ImageGate.prepare();
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The configured command line for these arguments, for callers that redirect its output. When the first
     * argument names a subcommand only that one is built: picocli reflects over every option of every
     * subcommand it is given, which is a good part of a short import's start-up (see docs/performance.md).
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
        return commandLine;
    }

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("help", CommandLine.HelpCommand::new);
        all.put("import", ImportCommand::new);
        all.put("scan", ScanCommand::new);
        all.put("refs", RefsCommand::new);
        all.put("rewrite", RewriteCommand::new);
        all.put("gate", GateCommand::new);
        return all;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
