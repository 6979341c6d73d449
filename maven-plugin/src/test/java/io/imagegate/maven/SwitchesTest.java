package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Every true/false switch of every goal takes {@code true} or {@code false} and nothing else:
 * Maven's own conversion of a {@code boolean} parameter ({@code Boolean.valueOf}) reads {@code
 * yes}, {@code 1} or an empty value as false, and so would turn a check off without a word. The
 * switches are the parameters whose default is true or false in the generated descriptor.
 */
class SwitchesTest {
    /** A switch of a goal: its parameter, its user property, the goal's class. */
    record Switch(String implementation, String parameter, String property) {}

    static List<Switch> switches() throws Exception {
        List<Switch> out = new ArrayList<>();
        for (Element mojo : VocabularyTest.PluginDescriptor.mojos()) {
            String implementation = VocabularyTest.PluginDescriptor.text(mojo, "implementation");
            if (implementation.endsWith("HelpMojo")) {
                continue; // generated: its detail switch only chooses what help prints
            }
            Element configuration = VocabularyTest.PluginDescriptor.child(mojo, "configuration");
            for (org.w3c.dom.Node n = configuration == null ? null : configuration.getFirstChild();
                    n != null;
                    n = n.getNextSibling()) {
                if (n instanceof Element e
                        && Set.of("true", "false").contains(e.getAttribute("default-value"))) {
                    out.add(
                            new Switch(
                                    implementation,
                                    e.getTagName(),
                                    e.getTextContent().replaceAll("^\\$\\{|}$", "")));
                }
            }
        }
        return out;
    }

    @Test
    void noParameterIsABooleanThatMavenWouldConvert() throws Exception {
        for (Element mojo : VocabularyTest.PluginDescriptor.mojos()) {
            if (VocabularyTest.PluginDescriptor.text(mojo, "implementation").endsWith("HelpMojo")) {
                continue;
            }
            for (Element parameter :
                    VocabularyTest.PluginDescriptor.children(
                            VocabularyTest.PluginDescriptor.child(mojo, "parameters"),
                            "parameter")) {
                assertThat(VocabularyTest.PluginDescriptor.text(parameter, "type"))
                        .as(
                                VocabularyTest.PluginDescriptor.text(mojo, "goal")
                                        + " "
                                        + VocabularyTest.PluginDescriptor.text(parameter, "name"))
                        .isNotIn("boolean", "java.lang.Boolean");
            }
        }
    }

    @Test
    void theSwitchesAreTheOnesThePluginDocuments() throws Exception {
        Set<String> names = new HashSet<>();
        switches().forEach(s -> names.add(s.parameter()));
        assertThat(names)
                .containsExactlyInAnyOrder(
                        "skip",
                        "skipImport",
                        "skipVet",
                        "skipScan",
                        "skipRewrite",
                        "skipSync",
                        "skipUpdate",
                        "commit",
                        "skipGate",
                        "followProject",
                        "jib",
                        "force",
                        "skipDbUpdate",
                        "skipJavaDbUpdate",
                        "offlineScan",
                        "pin",
                        "check",
                        "requireDigest",
                        "requireVetted",
                        "anyPolicy",
                        "failOnViolation",
                        "failOnError");
    }

    @Test
    void everySwitchGivenAnythingButTrueOrFalseFailsTheGoalBeforeItDoesAnything() throws Exception {
        int checked = 0;
        for (Switch s : switches()) {
            for (String given : new String[] {"yes", "1", "ture", "TRUE", "", "false "}) {
                AbstractRegistryMojo mojo = goal(s.implementation());
                set(mojo, s.parameter(), given);
                assertThatThrownBy(mojo::execute)
                        .as(s + " = \"" + given + "\"")
                        .isInstanceOf(MojoExecutionException.class)
                        .hasMessage(
                                "<"
                                        + s.parameter()
                                        + ">/-D"
                                        + s.property()
                                        + ": \""
                                        + given
                                        + "\" is not true or false")
                        .hasNoCause();
                assertThat(mojo.results).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void aSkippedGoalSkipsWhenEverySwitchIsTrueOrFalse() throws Exception {
        for (Switch s : switches()) {
            if (!s.parameter().equals("skip")) {
                continue;
            }
            AbstractRegistryMojo mojo = goal(s.implementation());
            set(mojo, "skip", "true");
            mojo.execute();
            assertThat(mojo.results).isEmpty();
        }
    }

    private static AbstractRegistryMojo goal(String implementation) throws Exception {
        return (AbstractRegistryMojo)
                Class.forName(implementation)
                        .getConstructor(SettingsDecrypter.class)
                        .newInstance(MavenContractTest.MavenFrontEnd.NO_DECRYPTION);
    }

    private static void set(Object mojo, String name, String value) throws Exception {
        for (Class<?> c = mojo.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                field.set(mojo, value);
                return;
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        throw new NoSuchFieldException(mojo.getClass().getName() + "." + name);
    }
}
