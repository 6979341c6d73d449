package io.imagegate.update;

import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.reference.ImageReference;
import io.imagegate.reference.InvalidReferenceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base images a {@code pom.xml} configures for Jib, where they are written: {@code
 * <from><image>} of the jib-maven-plugin (in its configuration or an execution's, in build,
 * pluginManagement or a profile), the {@code jib.from.image} property, and the POM property either
 * names as {@code ${name}} (the property is what is changed then).
 */
final class PomImages {
    static final String JIB_ARTIFACT = "jib-maven-plugin";
    static final String JIB_PROPERTY = "jib.from.image";

    private static final Pattern WHOLE_PROPERTY = Pattern.compile("^\\$\\{([^${}]+)}$");

    /** How many properties naming properties are followed before giving up. */
    private static final int MAX_INDIRECTION = 8;

    /**
     * One place a POM writes an image.
     *
     * @param start offset of the image text (blanks around it left out)
     * @param end offset just past it
     * @param written the image text, without Jib's {@code registry://} or {@code docker://}
     * @param scheme Jib's scheme as written before it, kept when the image is changed
     * @param reference the image, when it is one
     * @param what what configures it, for people
     * @param problem why it cannot be followed or changed, when it cannot
     */
    record Site(
            Path file,
            int line,
            int start,
            int end,
            String written,
            String scheme,
            Optional<ImageReference> reference,
            String what,
            Optional<Message> problem) {}

    private final Path file;
    private final String text;
    private final Map<String, XmlElements.Element> properties = new LinkedHashMap<>();
    private final Map<Integer, Site> sites = new LinkedHashMap<>();

    private PomImages(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /**
     * The sites of a POM's text, in the order found; an error naming the file when it is not one.
     */
    static List<Site> read(Path file, String text) {
        PomImages pom = new PomImages(file, text);
        pom.run(XmlElements.parse(file, text));
        return List.copyOf(pom.sites.values());
    }

    private void run(XmlElements.Element project) {
        if (!project.name().equals("project")) {
            throw ImageGateException.configuration(
                    "update.not-a-pom",
                    "{0} is not a Maven POM: its root element is <{1}>, not <project>; give the"
                            + " project''s pom.xml",
                    file,
                    project.name());
        }
        // Maven reads properties into a map: a name written twice means its last value.
        project.at("properties")
                .ifPresent(p -> p.children().forEach(e -> properties.put(e.name(), e)));
        List<XmlElements.Element> plugins = new ArrayList<>();
        collectPlugins(project, plugins);
        for (XmlElements.Element plugin : plugins) {
            List<XmlElements.Element> configurations = new ArrayList<>();
            plugin.child("configuration").ifPresent(configurations::add);
            plugin.child("executions")
                    .ifPresent(
                            es ->
                                    es.all("execution")
                                            .forEach(
                                                    e ->
                                                            e.child("configuration")
                                                                    .ifPresent(
                                                                            configurations::add)));
            for (XmlElements.Element configuration : configurations) {
                configuration
                        .at("from", "image")
                        .ifPresent(image -> site(image, "jib-maven-plugin <from><image>", 0));
            }
        }
        List<XmlElements.Element> holders = new ArrayList<>();
        project.at("properties").ifPresent(holders::add);
        project.at("profiles")
                .ifPresent(
                        ps ->
                                ps.all("profile")
                                        .forEach(
                                                p ->
                                                        p.child("properties")
                                                                .ifPresent(holders::add)));
        for (XmlElements.Element holder : holders) {
            holder.all(JIB_PROPERTY)
                    .forEach(e -> site(e, "the <" + JIB_PROPERTY + "> property", 0));
        }
    }

    /** Every {@code <plugin>} whose artifactId is Jib's, anywhere in the POM. */
    private void collectPlugins(XmlElements.Element e, List<XmlElements.Element> out) {
        for (XmlElements.Element child : e.children()) {
            if (child.name().equals("plugin")
                    && child.child("artifactId")
                            .map(a -> a.content(text).strip().equals(JIB_ARTIFACT))
                            .orElse(false)) {
                out.add(child);
            } else {
                collectPlugins(child, out);
            }
        }
    }

    private void site(XmlElements.Element element, String what, int depth) {
        String raw = element.content(text);
        int line = Lines.lineOf(text, element.contentStart());
        if (raw.contains("<") || raw.contains("&")) {
            problem(
                    element,
                    line,
                    raw,
                    what,
                    Message.of(
                            "update.pom-markup",
                            "{0} is written with markup, CDATA or an entity; write the image as"
                                    + " plain text to have it updated",
                            what));
            return;
        }
        String value = raw.strip();
        if (value.isEmpty()) {
            return; // Jib's default base image: nothing is written to update
        }
        int start = element.contentStart() + raw.indexOf(value);
        int end = start + value.length();
        line = Lines.lineOf(text, start);
        Matcher whole = WHOLE_PROPERTY.matcher(value);
        if (whole.matches()) {
            String name = whole.group(1);
            XmlElements.Element property = properties.get(name);
            if (property == null || depth >= MAX_INDIRECTION) {
                problem(
                        element,
                        line,
                        value,
                        what,
                        Message.of(
                                "update.pom-property-elsewhere",
                                "{0} is {1}, which this POM''s <properties> do not set (a parent"
                                        + " POM, a profile or the command line does); update it there",
                                what,
                                value));
                return;
            }
            site(property, "the <" + name + "> property (used by " + what + ")", depth + 1);
            return;
        }
        if (value.contains("${")) {
            problem(
                    element,
                    line,
                    value,
                    what,
                    Message.of(
                            "update.pom-partial-property",
                            "{0} ({1}) is built from a property; write the image whole, or as"
                                    + " one property, to have it updated",
                            what,
                            value));
            return;
        }
        String scheme = "";
        for (String prefix : List.of("registry://", "docker://")) {
            if (value.startsWith(prefix)) {
                scheme = prefix;
            }
        }
        if (value.contains("://") && scheme.isEmpty()) {
            return; // tar:// and the like name no registry image
        }
        String written = value.substring(scheme.length());
        Optional<ImageReference> reference;
        try {
            reference = Optional.of(ImageReference.parse(written));
        } catch (InvalidReferenceException e) {
            problem(element, line, value, what, e.message());
            return;
        }
        sites.putIfAbsent(
                start,
                new Site(
                        file,
                        line,
                        start + scheme.length(),
                        end,
                        written,
                        scheme,
                        reference,
                        what,
                        Optional.empty()));
    }

    private void problem(
            XmlElements.Element element, int line, String written, String what, Message problem) {
        sites.putIfAbsent(
                element.contentStart(),
                new Site(
                        file,
                        line,
                        element.contentStart(),
                        element.contentEnd(),
                        written,
                        "",
                        Optional.empty(),
                        what,
                        Optional.of(problem)));
    }
}
