package io.imagegate.maven;

import io.imagegate.api.Inputs;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * {@code importTimeout} (one import) and {@code scanTimeout} (one scan), which replaced the one
 * {@code timeout} that meant either, depending on the goal; {@code timeout} still counts where the
 * new one is not given. Read here, so a bad value names the parameter it was given as.
 */
final class Timeouts {
    private Timeouts() {}

    /** {@code value} of {@code parameter}, else the old {@code timeout}; null for neither. */
    static String pick(String parameter, String value, String fallback)
            throws MojoExecutionException {
        boolean given = value != null && !value.isBlank();
        String name = given ? parameter : "timeout";
        String chosen = given ? value : fallback;
        if (chosen == null || chosen.isBlank()) {
            return null;
        }
        try {
            Inputs.duration(Field.TIMEOUT, chosen);
        } catch (ImageGateException e) {
            throw new MojoExecutionException(
                    e.render(MavenVocabulary.INSTANCE)
                            .replace(
                                    MavenVocabulary.INSTANCE.field(Field.TIMEOUT),
                                    "<" + name + ">/-Dregistry." + name));
        }
        return chosen.strip();
    }
}
