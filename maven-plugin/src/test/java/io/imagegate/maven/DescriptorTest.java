package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The generated plugin descriptor ({@code META-INF/maven/plugin.xml}) as {@code mvn help:describe
 * -Ddetail} shows it: help:describe reads each description as HTML, so an example written as markup
 * ({@code <image><source>…}) must be there as text, not as tags it strips. And the descriptor says
 * what the prose says: {@code trusted} is required, {@code scan} binds to {@code verify}.
 */
class DescriptorTest {
    /** A description as help:describe turns it into text: tags dropped, entities read. */
    static String asHelpShowsIt(String description) {
        return description
                .replaceAll("<[^>]*>", "")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    /** goal → parameter → its element. */
    static Map<String, Map<String, Element>> parameters() throws Exception {
        Map<String, Map<String, Element>> out = new HashMap<>();
        for (Element mojo : VocabularyTest.PluginDescriptor.mojos()) {
            Map<String, Element> byName = new HashMap<>();
            for (Element parameter :
                    VocabularyTest.PluginDescriptor.children(
                            VocabularyTest.PluginDescriptor.child(mojo, "parameters"),
                            "parameter")) {
                byName.put(VocabularyTest.PluginDescriptor.text(parameter, "name"), parameter);
            }
            out.put(VocabularyTest.PluginDescriptor.text(mojo, "goal"), byName);
        }
        return out;
    }

    static String description(Element element) {
        return VocabularyTest.PluginDescriptor.text(element, "description");
    }

    @Test
    void noDescriptionHoldsMarkupThatHelpWouldStrip() throws Exception {
        int checked = 0;
        for (Element mojo : VocabularyTest.PluginDescriptor.mojos()) {
            String goal = VocabularyTest.PluginDescriptor.text(mojo, "goal");
            if (goal.equals("help")) {
                continue; // generated
            }
            assertThat(description(mojo)).as(goal).doesNotContainPattern("<[A-Za-z/!]");
            for (Element parameter : parameters().get(goal).values()) {
                assertThat(description(parameter))
                        .as(goal + " " + VocabularyTest.PluginDescriptor.text(parameter, "name"))
                        .doesNotContainPattern("<[A-Za-z/!]");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void theExamplesSurviveAsHelpShowsThem() throws Exception {
        Map<String, Map<String, Element>> parameters = parameters();
        for (String goal : new String[] {"import", "vet"}) {
            assertThat(asHelpShowsIt(description(parameters.get(goal).get("images"))))
                    .as(goal)
                    .contains("<image><source>…</source><target>…</target></image>")
                    .contains("<image>SOURCE</image>");
        }
        assertThat(asHelpShowsIt(description(parameters.get("gate").get("jib"))))
                .contains("(<from><image>, -Djib.from.image)");
        assertThat(asHelpShowsIt(description(parameters.get("update").get("branch"))))
                .contains("imagegate/<image>-<short digest>");
        assertThat(asHelpShowsIt(description(parameters.get("vet").get("signingKeyServer"))))
                .contains("Instead of <signingKey>: the id of a settings.xml <server>");
    }

    @Test
    void trustedIsRequiredAndScanBindsToVerify() throws Exception {
        for (String goal : new String[] {"gate", "update"}) {
            assertThat(
                            VocabularyTest.PluginDescriptor.text(
                                    parameters().get(goal).get("trusted"), "required"))
                    .as(goal)
                    .isEqualTo("true");
        }
        for (Element mojo : VocabularyTest.PluginDescriptor.mojos()) {
            if (VocabularyTest.PluginDescriptor.text(mojo, "goal").equals("scan")) {
                assertThat(VocabularyTest.PluginDescriptor.text(mojo, "phase")).isEqualTo("verify");
            }
        }
    }

    @Test
    void eachTimeoutSaysWhatItBounds() throws Exception {
        Map<String, Map<String, Element>> parameters = parameters();
        assertThat(description(parameters.get("import").get("importTimeout")))
                .contains("one import");
        for (String goal : new String[] {"scan", "vet"}) {
            assertThat(parameters.get(goal)).doesNotContainKey("importTimeout");
            assertThat(description(parameters.get(goal).get("scanTimeout")))
                    .contains("scan of one image");
            // the old name still works where the new one is not given
            assertThat(parameters.get(goal)).containsKey("timeout");
        }
    }
}
