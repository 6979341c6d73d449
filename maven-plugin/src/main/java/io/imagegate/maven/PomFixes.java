package io.imagegate.maven;

import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Vocabulary;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Fixes as the {@code mvn} commands that carry them out in this project: a parameter the POM sets
 * for the fix's goal ({@code mvn registry:GOAL} reads the plugin's {@code <configuration>} and its
 * {@code default-cli} execution's) cannot be overridden by a {@code -D} property, so an input the
 * POM sets to the same value is left out, and one it sets to another value is said as an edit of
 * the POM, never as a {@code -D} that Maven would ignore.
 */
final class PomFixes implements Vocabulary {
    private final MavenProject project;
    private final String pluginKey;
    private final Path basedir;

    PomFixes(MavenProject project, String pluginKey, Path basedir) {
        this.project = project;
        this.pluginKey = pluginKey;
        this.basedir = basedir;
    }

    @Override
    public String field(Field field) {
        return MavenVocabulary.INSTANCE.field(field);
    }

    @Override
    public String fix(Fix fix) {
        String goal = fix.operation().id();
        Xpp3Dom configuration = configuration(goal);
        Map<Field, String> onCommandLine = new EnumMap<>(Field.class);
        List<String> edits = new ArrayList<>();
        fix.inputs()
                .forEach(
                        (field, value) -> {
                            Xpp3Dom set = setting(configuration, field);
                            if (set == null) {
                                onCommandLine.put(field, display(field, value));
                            } else if (!satisfied(field, set, value, configuration)) {
                                edits.add(
                                        "<"
                                                + MavenVocabulary.parameter(field)
                                                + ">"
                                                + display(field, value)
                                                + "</"
                                                + MavenVocabulary.parameter(field)
                                                + ">");
                            }
                        });
        String command = MavenVocabulary.INSTANCE.fix(new Fix(fix.operation(), onCommandLine));
        if (edits.isEmpty()) {
            return command;
        }
        return "set "
                + String.join(" and ", edits)
                + " in the configuration of registry:"
                + goal
                + " in "
                + pom()
                + " (it sets them otherwise, and a -D property does not override the POM), then "
                + command;
    }

    private String pom() {
        return project == null || project.getFile() == null
                ? "pom.xml"
                : project.getFile().toString();
    }

    /**
     * What {@code mvn registry:GOAL} is configured with: the plugin's configuration, merged with
     * that of its {@code default-cli} execution; null when the POM does not configure the plugin.
     */
    private Xpp3Dom configuration(String goal) {
        if (project == null) {
            return null;
        }
        Plugin plugin = project.getPlugin(pluginKey);
        if (plugin == null) {
            return null;
        }
        Xpp3Dom shared =
                plugin.getConfiguration() instanceof Xpp3Dom d ? new Xpp3Dom(d) : new Xpp3Dom("c");
        PluginExecution cli = plugin.getExecutionsAsMap().get("default-cli");
        if (cli != null && cli.getConfiguration() instanceof Xpp3Dom own) {
            return Xpp3Dom.mergeXpp3Dom(new Xpp3Dom(own), shared);
        }
        return shared;
    }

    private static Xpp3Dom setting(Xpp3Dom configuration, Field field) {
        String parameter = MavenVocabulary.parameter(field);
        if (configuration == null || parameter == null) {
            return null;
        }
        Xpp3Dom set = configuration.getChild(parameter);
        if (set == null && field == Field.SIGNING_KEY) {
            // the signing key may come from a settings.xml server instead
            set = configuration.getChild("signingKeyServer");
        }
        return set;
    }

    /** Whether what the POM sets already is what the fix needs. */
    private boolean satisfied(Field field, Xpp3Dom set, String wanted, Xpp3Dom configuration) {
        List<String> values = values(set);
        return switch (field) {
            // the fix names a key the gate cannot know; the POM's own is the one meant
            case SIGNING_KEY -> !values.isEmpty();
            case POLICY -> values.size() == 1 && samePath(values.get(0), wanted);
            case DOCKERFILES -> values.stream().anyMatch(v -> covers(v, wanted));
            case MAP -> values.equals(Arrays.asList(wanted.split(",")));
            default -> values.equals(List.of(wanted));
        };
    }

    /** A parameter's values: its children's ({@code <map><rule>…</rule></map>}) or its text's. */
    private static List<String> values(Xpp3Dom set) {
        List<String> out = new ArrayList<>();
        if (set.getChildCount() > 0) {
            for (Xpp3Dom child : set.getChildren()) {
                if (child.getValue() != null) {
                    out.add(child.getValue().strip());
                }
            }
            return out;
        }
        String text = set.getValue() == null ? "" : set.getValue().strip();
        if (!text.isEmpty()) {
            for (String one : text.split(",")) {
                out.add(one.strip());
            }
        }
        return out;
    }

    private boolean samePath(String configured, String wanted) {
        try {
            return basedir.resolve(configured)
                    .normalize()
                    .equals(basedir.resolve(wanted).normalize());
        } catch (RuntimeException e) {
            return false; // not a path (a glob on Windows): not the same one
        }
    }

    /** Whether a Dockerfile entry of the POM (a file or a glob) takes {@code file}. */
    private boolean covers(String entry, String file) {
        Path wanted = basedir.resolve(file).normalize();
        if (samePath(entry, file)) {
            return true;
        }
        Path relative = basedir.relativize(wanted);
        return FileSystems.getDefault()
                .getPathMatcher("glob:" + entry.replace('\\', '/'))
                .matches(relative);
    }

    /** Files under the module as the module's relative paths, as a POM writes them. */
    private String display(Field field, String value) {
        if (field != Field.POLICY && field != Field.DOCKERFILES) {
            return value;
        }
        try {
            Path path = basedir.resolve(value).normalize();
            return path.startsWith(basedir) ? basedir.relativize(path).toString() : value;
        } catch (RuntimeException e) {
            return value;
        }
    }
}
