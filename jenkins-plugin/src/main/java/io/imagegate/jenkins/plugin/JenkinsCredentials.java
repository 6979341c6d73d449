package io.imagegate.jenkins.plugin;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import io.imagegate.jenkins.CredentialUse;
import io.imagegate.jenkins.CredentialValue;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Credentials looked up on the controller, by id, as this build may use them: a username with password, or a secret
 * text. Their values go to the agent inside the request and are masked in every line the step prints.
 */
final class JenkinsCredentials {
    private JenkinsCredentials() {
    }

    static CredentialValue lookup(String step, CredentialUse use, Run<?, ?> run) throws AbortException {
        if (use.acceptsUsernamePassword()) {
            StandardUsernamePasswordCredentials up = CredentialsProvider.findCredentialById(use.id(),
                    StandardUsernamePasswordCredentials.class, run);
            if (up != null) {
                return CredentialValue.usernamePassword(use.id(), up.getUsername(), up.getPassword().getPlainText(), up.isUsernameSecret());
            }
        }
        StringCredentials text = CredentialsProvider.findCredentialById(use.id(), StringCredentials.class, run);
        if (text != null) {
            return CredentialValue.secretText(use.id(), text.getSecret().getPlainText());
        }
        throw new AbortException(step + ": " + use.notFound());
    }
}
