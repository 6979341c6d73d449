package io.imagegate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.message.ImageGateException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * One report of each format for several images (a module's), merged from the per-image reports
 * {@link ScanReports} already wrote: SARIF, one log with every image's runs; JUnit XML, one {@code
 * <testsuites>} with every image's suites; JSON, {@code {"images": [...]}} of the per-image
 * documents; HTML, an index linking each image's page with its outcome. Named {@code
 * imagegate-<name>} (a per-image stem always ends in a hash, so the two never meet). The per-image
 * files are read back as hostile: bounded in size, regular files only, XML without DTDs.
 */
public final class ReportAggregate {
    /** The formats an aggregate can be written in. */
    public enum Format {
        JSON(ScanReports.JSON_SUFFIX),
        SARIF(ScanReports.SARIF_SUFFIX),
        JUNIT(ScanReports.JUNIT_SUFFIX),
        HTML(ScanReports.HTML_SUFFIX);

        final String suffix;

        Format(String suffix) {
            this.suffix = suffix;
        }
    }

    /**
     * One image of the aggregate.
     *
     * @param image the image as the user named it (shown in the HTML index)
     * @param outcome its outcome (shown in the HTML index)
     * @param reports its report files as {@link ScanReports#writeAll} returned them
     */
    public record Image(String image, String outcome, List<Path> reports) {
        public Image {
            reports = List.copyOf(reports);
        }

        /** Its report of {@code format}, if it has one. */
        Optional<Path> report(Format format) {
            return reports.stream()
                    .filter(p -> p.getFileName() != null)
                    .filter(
                            p -> {
                                String name = p.getFileName().toString();
                                return name.endsWith(format.suffix)
                                        && !name.endsWith(ScanReports.TRIVY_SUFFIX);
                            })
                    .findFirst();
        }
    }

    /** A per-image report larger than this is refused: the reports are ours, and far smaller. */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    /** The aggregate's file name stem for {@code name} (a module's artifactId). */
    static final String PREFIX = "imagegate-";

    private static final int NAME_MAX = 64;

    private ReportAggregate() {}

    /**
     * The stem of the aggregate for {@code name}: {@code imagegate-<name>}, made file-safe; {@code
     * imagegate-images} without a name (a goal run without a POM).
     */
    public static String stem(String name) {
        return PREFIX + ReportName.safe(name == null || name.isBlank() ? "images" : name, NAME_MAX);
    }

    /**
     * Writes the aggregate of {@code images} in each of {@code formats} into {@code dir}; returns
     * the files written. An image without a report of a format is left out of that format's
     * aggregate (an image whose scan failed wrote none).
     */
    public static List<Path> write(Path dir, String name, Set<Format> formats, List<Image> images) {
        String stem = stem(name);
        List<Path> written = new ArrayList<>();
        for (Format format : Format.values()) {
            if (!formats.contains(format)) {
                continue;
            }
            Path file = dir.resolve(stem + format.suffix);
            byte[] content =
                    switch (format) {
                        case JSON -> json(images);
                        case SARIF -> sarif(images);
                        case JUNIT -> junit(images);
                        case HTML -> html(name, images);
                    };
            written.add(ScanReports.write(file, content));
        }
        if (formats.contains(Format.HTML)) {
            written.add(
                    ScanReports.write(
                            dir.resolve(ScanReports.STYLESHEET), ReportStylesheet.bytes()));
        }
        return List.copyOf(written);
    }

    private static byte[] json(List<Image> images) {
        ObjectNode root = Findings.JSON.createObjectNode();
        ArrayNode array = root.putArray("images");
        for (Image image : images) {
            Optional<Path> report = image.report(Format.JSON);
            if (report.isPresent()) {
                array.add(tree(report.get()));
            }
        }
        return serialize(root);
    }

    private static byte[] sarif(List<Image> images) {
        ObjectNode root = Findings.JSON.createObjectNode();
        ArrayNode runs = Findings.JSON.createArrayNode();
        String schema = null;
        String version = "2.1.0";
        for (Image image : images) {
            Optional<Path> report = image.report(Format.SARIF);
            if (report.isEmpty()) {
                continue;
            }
            JsonNode log = tree(report.get());
            if (!log.path("runs").isArray() || !version.equals(log.path("version").asText())) {
                throw unreadable(report.get(), "not a SARIF 2.1.0 log");
            }
            if (schema == null && log.path("$schema").isTextual()) {
                schema = log.path("$schema").asText();
            }
            log.path("runs").forEach(runs::add);
        }
        if (schema != null) {
            root.put("$schema", schema);
        }
        root.put("version", version);
        root.set("runs", runs);
        return serialize(root);
    }

    private static byte[] junit(List<Image> images) {
        try {
            DocumentBuilder builder = safeFactory().newDocumentBuilder();
            Document out = builder.newDocument();
            Element suites = out.createElement("testsuites");
            out.appendChild(suites);
            for (Image image : images) {
                Optional<Path> report = image.report(Format.JUNIT);
                if (report.isEmpty()) {
                    continue;
                }
                Document in;
                try {
                    in = builder.parse(new ByteArrayInputStream(read(report.get())));
                } catch (SAXException e) {
                    throw unreadable(report.get(), "not well-formed XML (" + e.getMessage() + ")");
                }
                Element root = in.getDocumentElement();
                NodeList each =
                        "testsuites".equals(root.getTagName())
                                ? root.getElementsByTagName("testsuite")
                                : null;
                if (each == null && !"testsuite".equals(root.getTagName())) {
                    throw unreadable(report.get(), "not a JUnit report");
                }
                if (each == null) {
                    suites.appendChild(out.importNode(root, true));
                } else {
                    for (int i = 0; i < each.getLength(); i++) {
                        Node suite = each.item(i);
                        if (suite.getParentNode() == root) {
                            suites.appendChild(out.importNode(suite, true));
                        }
                    }
                }
            }
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            t.transform(new DOMSource(out), new StreamResult(bytes));
            return bytes.toByteArray();
        } catch (ParserConfigurationException | TransformerException | IOException e) {
            throw new IllegalStateException("JUnit aggregate", e);
        }
    }

    /** No DTD at all (so no external entity, no entity expansion), secure processing on. */
    static DocumentBuilderFactory safeFactory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        return factory;
    }

    private static byte[] html(String name, List<Image> images) {
        StringBuilder h =
                new StringBuilder(
                                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                        .append("<title>imagegate: ")
                        .append(HtmlReport.esc(String.valueOf(name)))
                        .append("</title>\n<link rel=\"stylesheet\" href=\"")
                        .append(ScanReports.STYLESHEET)
                        .append("\"/>\n</head><body>\n<h1>imagegate: ")
                        .append(HtmlReport.esc(String.valueOf(name)))
                        .append(
                                "</h1>\n<table><thead><tr><th>Image</th><th>Outcome</th></tr></thead><tbody>\n");
        for (Image image : images) {
            h.append("<tr><td>");
            Optional<Path> page = image.report(Format.HTML);
            String label = HtmlReport.esc(String.valueOf(image.image()));
            if (page.isPresent()) {
                // A per-image page is named by ReportName: a plain relative link, nothing to escape
                // beyond what esc does.
                h.append("<a href=\"")
                        .append(HtmlReport.esc(page.get().getFileName().toString()))
                        .append("\">")
                        .append(label)
                        .append("</a>");
            } else {
                h.append(label);
            }
            h.append("</td><td>")
                    .append(
                            HtmlReport.esc(
                                    String.valueOf(image.outcome()).toLowerCase(Locale.ROOT)))
                    .append("</td></tr>\n");
        }
        return h.append("</tbody></table>\n</body></html>\n")
                .toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode tree(Path file) {
        try {
            return Findings.JSON.readTree(read(file));
        } catch (JsonProcessingException e) {
            throw unreadable(file, "not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw unreadable(file, String.valueOf(e.getMessage()));
        }
    }

    /** A regular file (not a link) of at most {@link #MAX_BYTES}, read whole. */
    static byte[] read(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw unreadable(file, "not a regular file");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw unreadable(file, "larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
            }
            return bytes;
        } catch (IOException e) {
            throw unreadable(file, String.valueOf(e.getMessage()));
        }
    }

    private static byte[] serialize(JsonNode node) {
        try {
            return Findings.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("aggregate JSON", e);
        }
    }

    private static ImageGateException unreadable(Path file, String why) {
        return ImageGateException.configuration(
                "report.aggregate",
                "cannot merge the report {0} into the aggregate: {1}",
                file,
                why);
    }
}
