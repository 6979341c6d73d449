package io.imagegate.cli;

import io.imagegate.api.Inputs;
import io.imagegate.message.ImageGateException;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How every true/false option reads a value attached to it: a bare {@code --require-vetted} is
 * true, {@code --require-vetted=true} and {@code =false} say which, and anything else is refused by
 * the library's one parser ({@link Inputs#bool}), as the Maven goals refuse it. Picocli alone reads
 * an empty value ({@code --require-vetted=}, an unset variable behind it) as false, and {@code
 * TRUE} in any case as true.
 */
final class Switch implements CommandLine.IParameterPreprocessor {
    @Override
    public boolean preprocess(
            Stack<String> args,
            CommandSpec commandSpec,
            ArgSpec argSpec,
            Map<String, Object> info) {
        if (!commandSpec.parser().separator().equals(info.get("separator"))) {
            return false; // no value attached: picocli sets the switch, as ever
        }
        String value = args.isEmpty() ? "" : args.pop();
        String name =
                argSpec instanceof OptionSpec option ? option.longestName() : argSpec.paramLabel();
        try {
            argSpec.setValue(Inputs.bool(name, value));
        } catch (ImageGateException e) {
            throw new CommandLine.ParameterException(
                    commandSpec.commandLine(), e.render(CliVocabulary.INSTANCE), argSpec, value);
        }
        return true;
    }
}
