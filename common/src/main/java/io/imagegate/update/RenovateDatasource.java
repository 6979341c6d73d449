package io.imagegate.update;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The vetted releases as a Renovate custom datasource answers ({@code customDatasources}, format
 * json: {@code {"releases": [{"version", "digest", "releaseTimestamp", "changelogContent"}]}}): the
 * version is the tag, the digest the newest vetted one, the release time when it was vetted (the
 * time a digest has none of upstream), the changelog the findings it fixed and introduced.
 */
public final class RenovateDatasource {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RenovateDatasource() {}

    /** The document for these images (one repository's tags). */
    public static String json(List<Plan.ImageChange> images) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode releases = root.putArray("releases");
        for (Plan.ImageChange image : images) {
            ObjectNode r = releases.addObject();
            r.put("version", image.tag().tag().orElse(""));
            r.put("digest", image.to().toString());
            r.put("releaseTimestamp", image.vettedAt().toString());
            if (!image.fixed().isEmpty() || !image.introduced().isEmpty()) {
                r.put("changelogContent", Summary.changelog(image));
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
