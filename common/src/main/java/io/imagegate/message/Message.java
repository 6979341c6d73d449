package io.imagegate.message;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A message for a person, kept structured until a front end shows it: a stable {@code code}, an
 * English template with {@code {0}}, {@code {1}}… placeholders, and arguments. Arguments that are
 * {@link Field}s or {@link Fix}es are rendered through the front end's {@link Vocabulary}; every
 * other argument is data (an image name, a registry's answer) and is rendered with its control
 * characters neutralised, so nothing a registry or a file says can move the cursor, erase a line or
 * forge one.
 */
public final class Message implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String template;
    private final List<Serializable> args;

    private Message(String code, String template, List<Serializable> args) {
        this.code = Objects.requireNonNull(code, "code");
        this.template = Objects.requireNonNull(template, "template");
        this.args = List.copyOf(args);
    }

    /**
     * A message; arguments other than fields, fixes, messages, numbers and booleans are kept as
     * their text.
     */
    public static Message of(String code, String template, Object... args) {
        List<Serializable> kept = new ArrayList<>(args.length);
        for (Object arg : args) {
            kept.add(
                    arg instanceof Field
                                    || arg instanceof Fix
                                    || arg instanceof Message
                                    || arg instanceof Number
                                    || arg instanceof Boolean
                            ? (Serializable) arg
                            : String.valueOf(arg));
        }
        return new Message(code, template, kept);
    }

    /** A stable identifier for the kind of message, e.g. {@code import.target-holds-other}. */
    public String code() {
        return code;
    }

    public String template() {
        return template;
    }

    public List<Serializable> args() {
        return args;
    }

    /** The text in a front end's words. */
    public String render(Vocabulary vocabulary) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            // templates are written as MessageFormat's: a quote doubled is one quote
            if (c == '\'' && i + 1 < template.length() && template.charAt(i + 1) == '\'') {
                out.append('\'');
                i += 2;
                continue;
            }
            if (c == '{') {
                int close = template.indexOf('}', i);
                if (close > i + 1
                        && template.substring(i + 1, close).chars().allMatch(Character::isDigit)) {
                    int index = Integer.parseInt(template.substring(i + 1, close));
                    out.append(
                            index < args.size()
                                    ? renderArg(args.get(index), vocabulary)
                                    : "{" + index + "}");
                    i = close + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String renderArg(Serializable arg, Vocabulary vocabulary) {
        if (arg instanceof Field field) {
            return vocabulary.field(field);
        }
        if (arg instanceof Fix fix) {
            return vocabulary.fix(fix);
        }
        if (arg instanceof Message message) {
            return message.render(vocabulary);
        }
        return neutralize(String.valueOf(arg));
    }

    /**
     * The text with control characters (C0, DEL, C1) and Unicode direction overrides written as
     * visible escapes ({@code \x1b}, {@code \u202e}): safe to print on a terminal, in a log line or
     * in an XML report.
     */
    public static String neutralize(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control =
                    (c < 0x20 && c != 0x09)
                            || (c >= 0x7f && c < 0xa0)
                            || (c >= 0x202a && c <= 0x202e)
                            || (c >= 0x2066 && c <= 0x2069)
                            || c == 0x2028
                            || c == 0x2029
                            || c == 0xfeff
                            || (Character.isSurrogate(c) && !validSurrogate(text, i));
            if (control) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(
                        c < 0x100
                                ? String.format("\\x%02x", (int) c)
                                : String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean validSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /** The text in neutral words (field ids), for logs outside any front end. */
    @Override
    public String toString() {
        return render(Vocabulary.NEUTRAL);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m
                && code.equals(m.code)
                && template.equals(m.template)
                && args.equals(m.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, template, args);
    }
}
