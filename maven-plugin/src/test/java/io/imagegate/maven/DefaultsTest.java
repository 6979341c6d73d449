package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * A goal built without Maven (as the contract tests build them) has the defaults Maven gives it:
 * each field's initial value is its parameter's {@code defaultValue} in the generated descriptor.
 */
class DefaultsTest {
    @Test
    void everyFieldStartsWithItsParametersDefault() throws Exception {
        int checked = 0;
        for (Element mojo : VocabularyTest.PluginDescriptor.mojos()) {
            String implementation = VocabularyTest.PluginDescriptor.text(mojo, "implementation");
            if (implementation.endsWith("HelpMojo")) {
                continue;
            }
            Object instance =
                    Class.forName(implementation)
                            .getConstructor(SettingsDecrypter.class)
                            .newInstance(MavenContractTest.MavenFrontEnd.NO_DECRYPTION);
            Element configuration = VocabularyTest.PluginDescriptor.child(mojo, "configuration");
            for (org.w3c.dom.Node n = configuration.getFirstChild();
                    n != null;
                    n = n.getNextSibling()) {
                if (!(n instanceof Element e)
                        || !e.hasAttribute("default-value")
                        || e.getAttribute("default-value").startsWith("${")) {
                    continue;
                }
                Field field = field(instance.getClass(), e.getTagName());
                field.setAccessible(true);
                assertThat(String.valueOf(field.get(instance)))
                        .as(implementation + " " + e.getTagName())
                        .isEqualTo(e.getAttribute("default-value"));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
