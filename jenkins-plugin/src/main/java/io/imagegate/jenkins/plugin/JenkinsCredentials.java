package io.imagegate.jenkins.plugin;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;

import hudson.AbortException;
import hudson.model.Run;

import io.imagegate.jenkins.CredentialUse;
import io.imagegate.jenkins.CredentialValue;

import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Credentials looked up on the controller, by id, as this build may use them: a username with
 * password, a secret text, or a secret file (a signing key). The lookup carries the URI the
 * credential is for (the registry it is bound to, the Trivy server), so a credential in a domain
 * restricted to other hosts does not match; its use is tracked on the build, as credentials-binding
 * does. Their values go to the agent inside the request (a secret file's content in memory, never
 * written to a file) and are masked in every line the step prints.
 */
final class JenkinsCredentials {
    private JenkinsCredentials() {}

    static CredentialValue lookup(String step, CredentialUse use, Run<?, ?> run)
            throws AbortException {
        List<DomainRequirement> requirements =
                use.uri() == null ? List.of() : URIRequirementBuilder.fromUri(use.uri()).build();
        IdCredentials found =
                CredentialsProvider.findCredentialById(
                        use.id(), IdCredentials.class, run, requirements);
        if (found == null) {
            throw new AbortException(step + ": " + use.notFound());
        }
        if (use.acceptsUsernamePassword()
                && found instanceof StandardUsernamePasswordCredentials up) {
            CredentialsProvider.track(run, up);
            return CredentialValue.usernamePassword(
                    use.id(),
                    up.getUsername(),
                    up.getPassword().getPlainText(),
                    up.isUsernameSecret());
        }
        if (use.acceptsSecretText() && found instanceof StringCredentials text) {
            CredentialsProvider.track(run, text);
            return CredentialValue.secretText(use.id(), text.getSecret().getPlainText());
        }
        if (use.acceptsSecretFile() && found instanceof FileCredentials file) {
            CredentialsProvider.track(run, file);
            byte[] content = read(step, use, file);
            try {
                return CredentialValue.secretFile(use.id(), content);
            } finally {
                Arrays.fill(content, (byte) 0);
            }
        }
        // as credentials-binding says it: the id exists, with another type
        throw new AbortException(
                step + ": " + use.wrongType(found.getDescriptor().getDisplayName()));
    }

    /** A secret file's content, bounded: a larger file is no key and is not read to its end. */
    private static byte[] read(String step, CredentialUse use, FileCredentials file)
            throws AbortException {
        byte[] content;
        try (InputStream in = file.getContent()) {
            content = in.readNBytes(CredentialUse.MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            // the exception's message could quote the content; its type says enough
            throw new AbortException(
                    step
                            + ": cannot read the secret file of credential '"
                            + use.id()
                            + "' ("
                            + use.parameter()
                            + "): "
                            + e.getClass().getSimpleName());
        }
        if (content.length > CredentialUse.MAX_FILE_BYTES) {
            Arrays.fill(content, (byte) 0);
            throw new AbortException(step + ": " + use.tooLarge());
        }
        return content;
    }
}
