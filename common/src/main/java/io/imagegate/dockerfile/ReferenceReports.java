package io.imagegate.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.message.Message;
import io.imagegate.message.Vocabulary;
import java.util.List;
import java.util.Locale;

/** Found references as text lines or as the JSON array every front end prints. */
public final class ReferenceReports {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReferenceReports() {}

    /** {@code base}, {@code copy-from}, {@code mount-from}, {@code syntax}. */
    public static String kind(ImageRef ref) {
        return ref.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * One line per reference: {@code file:line:column kind reference [(pinned)]} or the reason it
     * is unresolved.
     */
    public static List<String> text(List<ImageRef> refs, Vocabulary vocabulary) {
        return refs.stream()
                .map(
                        r ->
                                Message.neutralize(
                                        r.file()
                                                + ":"
                                                + r.line()
                                                + ":"
                                                + r.column()
                                                + " "
                                                + kind(r)
                                                + " "
                                                + r.reference()
                                                        .map(Object::toString)
                                                        .orElse(
                                                                "UNRESOLVED "
                                                                        + r.written()
                                                                        + ": "
                                                                        + r.error()
                                                                                .map(
                                                                                        e ->
                                                                                                e
                                                                                                        .render(
                                                                                                                vocabulary))
                                                                                .orElse(""))
                                                + (r.pinned() ? " (pinned)" : "")))
                .toList();
    }

    /**
     * An array of objects with file, line, column, endLine, endColumn, kind, written, reference,
     * pinned and error.
     */
    public static String json(List<ImageRef> refs, Vocabulary vocabulary) {
        ArrayNode array = JSON.createArrayNode();
        for (ImageRef r : refs) {
            ObjectNode n = array.addObject();
            n.put("file", r.file().toString());
            n.put("line", r.line());
            n.put("column", r.column());
            n.put("endLine", r.endLine());
            n.put("endColumn", r.endColumn());
            n.put("kind", kind(r));
            n.put("written", r.written());
            r.reference().ifPresent(ref -> n.put("reference", ref.toString()));
            n.put("pinned", r.pinned());
            r.error()
                    .ifPresent(
                            e -> {
                                n.put("error", e.render(vocabulary));
                                n.put("errorCode", e.code());
                            });
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
