package io.imagegate.cli;

import io.imagegate.ImageGateException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --build-arg K=V} options, as docker build takes them. */
final class BuildArgs {
    private BuildArgs() {
    }

    static Map<String, String> parse(List<String> pairs) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ImageGateException("--build-arg \"" + pair + "\" must be KEY=VALUE");
            }
            args.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return args;
    }
}
