package io.imagegate.jenkins.plugin;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.util.ListBoxModel;

import io.imagegate.jenkins.StepForm;
import io.imagegate.jenkins.StepKind;
import io.imagegate.jenkins.StepLabel;

import jenkins.model.Jenkins;

import net.sf.json.JSONObject;

import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every imagegate step needs: a workspace (the work runs on its agent), the build, its log,
 * environment and node; and its form in the snippet generator: list parameters as text areas, the
 * credential drop-downs, the stage view's label.
 */
public abstract class ImagegateStepDescriptor extends StepDescriptor {
    private final StepKind kind;

    protected ImagegateStepDescriptor(StepKind kind) {
        this.kind = kind;
    }

    @Override
    public String getFunctionName() {
        return kind.functionName();
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return kind.displayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        // Launcher: archiving the reports; FlowNode: the stage's WarningAction when a step marks
        // the build unstable.
        return Set.of(
                Run.class,
                FilePath.class,
                TaskListener.class,
                EnvVars.class,
                Launcher.class,
                FlowNode.class);
    }

    /** The stage view's label: the image, or the Dockerfiles (jenkins-core's {@link StepLabel}). */
    @CheckForNull
    @Override
    public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
        return StepLabel.of(kind, namedArgs);
    }

    /**
     * The form's list fields are text areas, one entry per line: Stapler would bind such a text to
     * a {@code List<String>} as one entry, so each becomes the list of its lines first; a blank
     * optional field is dropped so its default stays (an empty {@code parallel} would not bind to
     * an int). The form data is this request's own, changed in place.
     */
    @Override
    public Step newInstance(@Nullable StaplerRequest2 req, @NonNull JSONObject formData)
            throws FormException {
        Set<String> lists = StepForm.listParameters(kind);
        Set<String> optional = StepForm.optionalParameters(kind);
        for (Object key : new ArrayList<Object>(formData.keySet())) {
            String name = key.toString();
            Object value = formData.get(name);
            if (!(value instanceof String text)) {
                continue;
            }
            if (lists.contains(name)) {
                formData.element(name, StepForm.lines(text));
            } else if (optional.contains(name) && text.isBlank()) {
                formData.remove(name);
            }
        }
        return super.newInstance(req, formData);
    }

    /**
     * A list's text area: one entry per line ({@code config.jelly} shows list parameters with it).
     */
    public String lines(@CheckForNull List<String> values) {
        return StepForm.text(values);
    }

    // ---------------------------------------------------------------- credential drop-downs
    // (c:select)

    /** The Trivy server's token: a secret text. */
    public ListBoxModel doFillTrivyServerCredentialsIdItems(
            @AncestorInPath Item item, @QueryParameter String trivyServerCredentialsId) {
        return credentials(item, StringCredentials.class, trivyServerCredentialsId);
    }

    /** The key that signs verdicts: a secret file. */
    public ListBoxModel doFillSigningKeyCredentialsIdItems(
            @AncestorInPath Item item, @QueryParameter String signingKeyCredentialsId) {
        return credentials(item, FileCredentials.class, signingKeyCredentialsId);
    }

    /** The signing key's password: a secret text. */
    public ListBoxModel doFillSigningKeyPasswordCredentialsIdItems(
            @AncestorInPath Item item, @QueryParameter String signingKeyPasswordCredentialsId) {
        return credentials(item, StringCredentials.class, signingKeyPasswordCredentialsId);
    }

    /**
     * The credentials of a type the build may use, as the credentials plugin's consumer guide lists
     * them: only to who can configure the job (or the controller, outside a job); anyone else sees
     * the current value alone.
     */
    private static ListBoxModel credentials(
            @CheckForNull Item item,
            Class<? extends StandardCredentials> type,
            @CheckForNull String current) {
        StandardListBoxModel result = new StandardListBoxModel();
        String value = current == null ? "" : current;
        if (item == null) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return result.includeCurrentValue(value);
            }
        } else if (!item.hasPermission(Item.EXTENDED_READ)
                && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(value);
        }
        return result.includeEmptyValue()
                .includeAs(ACL.SYSTEM2, item, type)
                .includeCurrentValue(value);
    }
}
