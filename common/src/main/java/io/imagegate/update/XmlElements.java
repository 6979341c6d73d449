package io.imagegate.update;

import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The elements of an XML document with where their content is written, to change one element's text
 * in place and nothing else. The JDK's parser, with DTDs refused (no entity can expand or reach
 * out), first decides whether the document is well-formed; then a scanner of the few constructs a
 * well-formed document has records each element's span.
 */
final class XmlElements {
    /**
     * An element: its name, its children, and its content as written: {@code text[contentStart,
     * contentEnd)} (empty for {@code <a/>}).
     */
    record Element(
            String name, int tagStart, int contentStart, int contentEnd, List<Element> children) {
        /** The first child named {@code name}. */
        Optional<Element> child(String name) {
            return children.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        /** Every child named {@code name}. */
        List<Element> all(String name) {
            return children.stream().filter(c -> c.name().equals(name)).toList();
        }

        /** The element at the end of a path of child names. */
        Optional<Element> at(String... path) {
            Optional<Element> at = Optional.of(this);
            for (String step : path) {
                at = at.flatMap(e -> e.child(step));
            }
            return at;
        }

        String content(String text) {
            return text.substring(contentStart, contentEnd);
        }
    }

    private XmlElements() {}

    /** The root element of {@code text}, or an error naming the file and line. */
    static Element parse(Path file, String text) {
        wellFormed(file, text);
        return new Scanner(file, text).root();
    }

    private static void wellFormed(Path file, String text) {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setValidating(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.newSAXParser()
                    .parse(
                            new InputSource(
                                    new StringReader(
                                            text.startsWith("\uFEFF") ? text.substring(1) : text)),
                            new DefaultHandler());
        } catch (SAXParseException e) {
            throw invalid(file, Math.max(1, e.getLineNumber()), String.valueOf(e.getMessage()));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw invalid(file, 1, String.valueOf(e.getMessage()));
        }
    }

    static ImageGateException invalid(Path file, int line, String problem) {
        return ImageGateException.configuration(
                "update.xml-invalid",
                "{0}:{1}: not well-formed XML ({2}); fix the file, nothing was written",
                file,
                line,
                problem);
    }

    /** A scanner over text the JDK's parser accepted: its only errors are internal. */
    private static final class Scanner {
        private final Path file;
        private final String text;
        private int at;

        Scanner(Path file, String text) {
            this.file = file;
            this.text = text;
            this.at = text.startsWith("\uFEFF") ? 1 : 0;
        }

        private record Open(String name, int tagStart, int contentStart, List<Element> children) {}

        Element root() {
            Deque<Open> open = new ArrayDeque<>();
            List<Element> top = new ArrayList<>();
            while (at < text.length()) {
                int lt = text.indexOf('<', at);
                if (lt < 0) {
                    break;
                }
                at = lt;
                if (text.startsWith("<!--", at)) {
                    at = after("-->", at + 4);
                } else if (text.startsWith("<![CDATA[", at)) {
                    at = after("]]>", at + 9);
                } else if (text.startsWith("<?", at)) {
                    at = after("?>", at + 2);
                } else if (text.startsWith("<!", at)) {
                    throw invalid(file, line(at), "a declaration is not allowed here");
                } else if (text.startsWith("</", at)) {
                    int end = text.indexOf('>', at);
                    String name = text.substring(at + 2, end).strip();
                    Open o = open.pop();
                    if (!o.name().equals(name)) {
                        throw invalid(file, line(at), "</" + name + "> closes <" + o.name() + ">");
                    }
                    Element e =
                            new Element(o.name(), o.tagStart(), o.contentStart(), at, o.children());
                    (open.isEmpty() ? top : open.peek().children()).add(e);
                    at = end + 1;
                } else {
                    int start = at;
                    int nameEnd = at + 1;
                    while (nameEnd < text.length() && !isNameEnd(text.charAt(nameEnd))) {
                        nameEnd++;
                    }
                    String name = text.substring(at + 1, nameEnd);
                    int end = tagEnd(nameEnd);
                    boolean empty = text.charAt(end - 1) == '/';
                    at = end + 1;
                    if (empty) {
                        Element e = new Element(name, start, at, at, List.of());
                        (open.isEmpty() ? top : open.peek().children()).add(e);
                    } else {
                        open.push(new Open(name, start, at, new ArrayList<>()));
                    }
                }
            }
            if (!open.isEmpty() || top.size() != 1) {
                throw invalid(file, line(text.length()), "the document does not end its elements");
            }
            return top.get(0);
        }

        private static boolean isNameEnd(char c) {
            return c == '>' || c == '/' || Character.isWhitespace(c);
        }

        /** The offset of the {@code >} ending a start tag: quoted attribute values may hold one. */
        private int tagEnd(int from) {
            char quote = 0;
            for (int i = from; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '>') {
                    return i;
                }
            }
            throw invalid(file, line(from), "a start tag does not end");
        }

        private int after(String end, int from) {
            int i = text.indexOf(end, from);
            if (i < 0) {
                throw invalid(file, line(from), "\"" + end + "\" is missing");
            }
            return i + end.length();
        }

        private int line(int offset) {
            return Lines.lineOf(text, offset);
        }
    }
}
