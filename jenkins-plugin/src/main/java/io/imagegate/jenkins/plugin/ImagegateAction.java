package io.imagegate.jenkins.plugin;

import hudson.model.BuildBadgeAction;
import hudson.model.Run;

import io.imagegate.jenkins.BuildBadge;
import io.imagegate.jenkins.BuildSummary;
import io.imagegate.jenkins.SummaryRow;

import jenkins.model.RunAction2;

import java.util.List;

/**
 * The build's imagegate summary: a table of the images the steps handled, their verdicts and what
 * each did to the build, linking the archived reports. One per build, shared by every imagegate
 * step in it. A plain class (XStream, which writes it into {@code build.xml}, cannot read records
 * back); its content is imagegate-jenkins-core's {@link BuildSummary}. As a {@link
 * BuildBadgeAction} it also puts the build's worst verdict beside the build in its history: core's
 * {@code HistoryWidget/entry.jelly} includes the {@code badge.jelly} of every badge action of the
 * build.
 */
public final class ImagegateAction implements RunAction2, BuildBadgeAction {
    private final BuildSummary summary = new BuildSummary();
    private transient Run<?, ?> run;

    /** The build's action, added on first use. */
    static ImagegateAction of(Run<?, ?> run) {
        synchronized (run) {
            ImagegateAction action = run.getAction(ImagegateAction.class);
            if (action == null) {
                action = new ImagegateAction();
                run.addAction(action);
            }
            return action;
        }
    }

    void add(SummaryRow row) {
        summary.add(row);
    }

    public List<SummaryRow> getRows() {
        return summary.getRows();
    }

    public List<String> getColumns() {
        return summary.getColumns();
    }

    public String getHeadline() {
        return summary.getHeadline();
    }

    /**
     * The worst verdict so far, for badge.jelly; null while no step has judged anything (imports
     * only).
     */
    public BuildBadge getBadge() {
        return summary.getBadge();
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-cube";
    }

    @Override
    public String getDisplayName() {
        return "imagegate";
    }

    @Override
    public String getUrlName() {
        return "imagegate";
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }
}
