package io.imagegate.maven;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Shows the plugin's goals and, with {@code -Ddetail}, their parameters: {@code mvn registry:help
 * -Ddetail -Dgoal=gate}. Read from the plugin's descriptor, each description as text: tags dropped
 * and entities read, as {@code mvn help:describe} shows them (the generated help goal printed
 * {@code &lt;image&gt;} literally).
 */
@Mojo(name = "help", requiresProject = false, threadSafe = true)
public class HelpMojo extends AbstractMojo {
    private static final String DESCRIPTOR = "/META-INF/maven/plugin.xml";

    /** With {@code true}, every parameter of each goal is shown too. */
    @Parameter(property = "detail", defaultValue = "false")
    boolean detail;

    /** The goal to show help for; every goal when unset. */
    @Parameter(property = "goal")
    String goal;

    /** The maximum length of a line, positive. */
    @Parameter(property = "lineLength", defaultValue = "80")
    int lineLength = 80;

    /** The spaces per level of indentation, positive. */
    @Parameter(property = "indentSize", defaultValue = "2")
    int indentSize = 2;

    @Override
    public void execute() throws MojoExecutionException {
        try (InputStream in = HelpMojo.class.getResourceAsStream(DESCRIPTOR)) {
            if (in == null) {
                throw new MojoExecutionException("the plugin has no descriptor " + DESCRIPTOR);
            }
            getLog().info(render(in, goal, detail, lineLength, indentSize));
        } catch (IOException | ParserConfigurationException | SAXException e) {
            throw new MojoExecutionException(
                    "cannot read the plugin's descriptor " + DESCRIPTOR + ": " + e.getMessage(), e);
        }
    }

    /** The help text of the descriptor {@code in}. */
    static String render(
            InputStream in, String goal, boolean detail, int lineLength, int indentSize)
            throws IOException, ParserConfigurationException, SAXException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(in);
        Element plugin = doc.getDocumentElement();
        Text out = new Text(Math.max(lineLength, 20), Math.max(indentSize, 0));
        out.add(text(plugin, "name") + " " + text(plugin, "version"), 0);
        out.add(asText(text(plugin, "description")), 1);
        out.add("", 0);
        String prefix = text(plugin, "goalPrefix");
        List<Element> mojos = children(child(plugin, "mojos"), "mojo");
        if (goal == null || goal.isBlank()) {
            out.add("This plugin has " + mojos.size() + " goals:", 0);
            out.add("", 0);
        }
        boolean found = false;
        for (Element mojo : mojos) {
            String name = text(mojo, "goal");
            if (goal != null && !goal.isBlank() && !goal.strip().equals(name)) {
                continue;
            }
            found = true;
            out.add(prefix + ":" + name, 0);
            out.add(asText(text(mojo, "description")), 1);
            out.add("", 0);
            if (detail) {
                parameters(out, mojo);
            }
        }
        if (!found) {
            out.add("No goal " + goal + "; run mvn " + prefix + ":help to list them.", 0);
        }
        return out.toString();
    }

    private static void parameters(Text out, Element mojo) {
        Element configuration = child(mojo, "configuration");
        out.add("Available parameters:", 1);
        out.add("", 0);
        for (Element parameter : children(child(mojo, "parameters"), "parameter")) {
            if (!"true".equals(text(parameter, "editable"))) {
                continue; // set by Maven (the project, the session), not by the user
            }
            String name = text(parameter, "name");
            Element configured = configuration == null ? null : child(configuration, name);
            String defaultValue =
                    configured != null && configured.hasAttribute("default-value")
                            ? " (Default: " + configured.getAttribute("default-value") + ")"
                            : "";
            out.add(name + defaultValue, 2);
            out.add(asText(text(parameter, "description")), 3);
            if ("true".equals(text(parameter, "required"))) {
                out.add("Required: Yes", 3);
            }
            String expression = configured == null ? "" : configured.getTextContent().strip();
            if (expression.startsWith("${") && expression.endsWith("}")) {
                out.add("User property: " + expression.substring(2, expression.length() - 1), 3);
            }
            out.add("", 0);
        }
    }

    /**
     * A description as text: the descriptor holds it as HTML, so tags are dropped and entities read
     * ({@code &lt;image&gt;} is {@code <image>}); {@code &amp;} last, so {@code &amp;lt;} stays the
     * text {@code &lt;}.
     */
    static String asText(String html) {
        return html.replaceAll("<[^>]*>", "")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&#39;", "'")
                .replace("&nbsp;", " ")
                .replace("&amp;", "&")
                .replaceAll("\\s+", " ")
                .strip();
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().strip();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Lines wrapped at a width, indented by level. */
    private static final class Text {
        private final int width;
        private final int indentSize;
        private final StringBuilder out = new StringBuilder();

        Text(int width, int indentSize) {
            this.width = width;
            this.indentSize = indentSize;
        }

        void add(String text, int level) {
            String indent = " ".repeat(level * indentSize);
            if (text.isEmpty()) {
                out.append('\n');
                return;
            }
            StringBuilder line = new StringBuilder(indent);
            for (String word : text.split(" ")) {
                if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                    out.append(line).append('\n');
                    line = new StringBuilder(indent);
                }
                if (line.length() > indent.length()) {
                    line.append(' ');
                }
                line.append(word);
            }
            out.append(line).append('\n');
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
