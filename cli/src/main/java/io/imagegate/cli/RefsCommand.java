package io.imagegate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.ImageGate;
import io.imagegate.dockerfile.ImageRef;
import io.imagegate.oci.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "refs", mixinStandardHelpOptions = true,
        description = {"List every image the Dockerfiles use: FROM, COPY --from, RUN --mount from=, and # syntax.",
                "Exit codes: 0 all resolved, 1 a reference is unresolved or invalid, 2 error."})
final class RefsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Dockerfiles.")
    List<Path> files;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Option(names = "--build-arg", paramLabel = "K=V", description = "A build arg; only declared ARGs take it.")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Target platform(s) for the automatic platform args.")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--verify", description = "Ask the registries whether each tag written beside a digest still holds that digest.")
    boolean verify;

    @picocli.CommandLine.Mixin
    RegistryOptions registry;

    @Override
    public Integer call() throws Exception {
        Map<String, String> args = BuildArgs.parse(buildArgs);
        List<ImageRef> refs = ImageGate.references(files, args, platforms.stream().map(Platform::parse).toList());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ArrayNode array = mapper.createArrayNode();
            for (ImageRef r : refs) {
                ObjectNode n = array.addObject();
                n.put("file", r.file().toString());
                n.put("line", r.line());
                n.put("column", r.column());
                n.put("endLine", r.endLine());
                n.put("endColumn", r.endColumn());
                n.put("kind", r.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                n.put("written", r.written());
                r.reference().ifPresent(ref -> n.put("reference", ref.toString()));
                n.put("pinned", r.pinned());
                r.error().ifPresent(e -> n.put("error", e));
            }
            out.println(mapper.writeValueAsString(array));
        } else {
            for (ImageRef r : refs) {
                out.println(r.file() + ":" + r.line() + ":" + r.column() + " " + r.kind().name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + " " + r.reference().map(Object::toString).orElse("UNRESOLVED " + r.written() + ": " + r.error().orElse(""))
                        + (r.pinned() ? " (pinned)" : ""));
            }
        }
        out.flush();
        List<String> stale = verify ? new ImageGate(registry.transport(), RegistryOptions.dockerConfig(System.getenv())).staleTags(refs) : List.of();
        PrintWriter err = spec.commandLine().getErr();
        stale.forEach(err::println);
        err.flush();
        return refs.stream().allMatch(ImageRef::resolved) && stale.isEmpty() ? Main.OK : Main.FAILED;
    }
}
