package io.imagegate.update;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The update as a git commit, through JGit (no git binary): on the branch checked out, with the
 * files as written; or on a branch of its own, made from HEAD's tree and the updated text without
 * touching the checkout, so that a rerun with the same result finds the branch up to date and one
 * with a newer result replaces its commit (one commit on HEAD, never a pile). Every file must be
 * committed in HEAD as it was read: a commit never carries someone's uncommitted edit.
 */
public final class GitCommit {
    /** The branch a rerun finds again: {@code imagegate/<repository>-<12 hex of the digest>}. */
    public static String defaultBranch(List<Plan.ImageChange> images) {
        if (images.size() == 1) {
            Plan.ImageChange image = images.get(0);
            return "imagegate/"
                    + image.tag().repository().replace('/', '-')
                    + "-"
                    + image.to().hex().substring(0, 12);
        }
        String all =
                images.stream()
                        .map(i -> i.tag() + "@" + i.to())
                        .sorted()
                        .collect(Collectors.joining("\n"));
        return "imagegate/update-" + Digest.sha256(all).hex().substring(0, 12);
    }

    /**
     * What was committed.
     *
     * @param branch the branch
     * @param commit the commit it points at
     * @param created whether this run made that commit (false: the branch already held it)
     */
    public record Committed(String branch, String commit, boolean created) {}

    private GitCommit() {}

    /** The commit message: a subject naming what moved, a line per image. */
    public static String message(List<Plan.ImageChange> images) {
        String subject =
                images.size() == 1
                        ? "Re-pin " + images.get(0).tag() + " to its newest vetted digest"
                        : "Re-pin " + images.size() + " images to their newest vetted digests";
        StringBuilder out = new StringBuilder(subject).append("\n\n");
        for (Plan.ImageChange i : images) {
            out.append(i.tag())
                    .append(": ")
                    .append(
                            i.from().isEmpty()
                                    ? "(by tag)"
                                    : i.from().stream()
                                            .map(Digest::shortForm)
                                            .collect(Collectors.joining(", ")))
                    .append(" -> ")
                    .append(i.to().shortForm())
                    .append(", vetted ")
                    .append(i.vettedAt())
                    .append(", ")
                    .append(i.fixed().size())
                    .append(" finding(s) fixed, ")
                    .append(i.introduced().size())
                    .append(" introduced\n");
        }
        return out.toString();
    }

    /**
     * Commits the changed files of {@code edits} in the repository holding {@code directory}.
     *
     * @param branch a branch of its own, or empty for the branch checked out (the files must have
     *     been written)
     */
    public static Committed commit(
            Path directory, List<Plan.FileEdit> edits, Optional<String> branch, String message) {
        List<Plan.FileEdit> changed = edits.stream().filter(Plan.FileEdit::changed).toList();
        try (Repository repository = open(directory)) {
            ObjectId head = repository.resolve(Constants.HEAD);
            if (head == null) {
                throw ImageGateException.configuration(
                        "update.git-no-commit",
                        "the git repository of {0} has no commit yet; commit the files first",
                        directory);
            }
            Path top = repository.getWorkTree().toPath().toRealPath();
            List<String> paths = new ArrayList<>();
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit parent = walk.parseCommit(head);
                for (Plan.FileEdit edit : changed) {
                    String path = pathIn(top, edit.file());
                    committedAsRead(repository, parent, path, edit);
                    paths.add(path);
                }
                if (branch.isEmpty()) {
                    return onCheckedOut(repository, paths, message);
                }
                return onBranch(repository, parent, changed, paths, branch.get(), message);
            }
        } catch (IOException e) {
            throw ImageGateException.configuration(
                            "update.git-failed",
                            "cannot commit in the git repository of {0}: {1}; nothing was committed",
                            directory,
                            String.valueOf(e.getMessage()))
                    .withCause(e);
        }
    }

    /**
     * Refuses, before anything is written, what {@link #commit} would refuse: no repository, no
     * commit, a file outside it or not committed as it was read.
     */
    public static void verify(Path directory, List<Plan.FileEdit> edits) {
        try (Repository repository = open(directory)) {
            ObjectId head = repository.resolve(Constants.HEAD);
            if (head == null) {
                throw ImageGateException.configuration(
                        "update.git-no-commit",
                        "the git repository of {0} has no commit yet; commit the files first",
                        directory);
            }
            Path top = repository.getWorkTree().toPath().toRealPath();
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit parent = walk.parseCommit(head);
                for (Plan.FileEdit edit : edits) {
                    if (edit.changed()) {
                        committedAsRead(repository, parent, pathIn(top, edit.file()), edit);
                    }
                }
            }
        } catch (IOException e) {
            throw ImageGateException.configuration(
                            "update.git-failed",
                            "cannot read the git repository of {0}: {1}; nothing was written",
                            directory,
                            String.valueOf(e.getMessage()))
                    .withCause(e);
        }
    }

    private static Repository open(Path directory) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(directory.toFile());
        if (builder.getGitDir() == null) {
            throw ImageGateException.configuration(
                    "update.not-git",
                    "{0} is not in a git repository; committing needs one",
                    directory);
        }
        Repository repository = builder.setMustExist(true).build();
        if (repository.isBare()) {
            repository.close();
            throw ImageGateException.configuration(
                    "update.git-bare", "the git repository of {0} is bare", directory);
        }
        return repository;
    }

    private static String pathIn(Path top, Path file) throws IOException {
        Path real = file.toRealPath();
        if (!real.startsWith(top)) {
            throw ImageGateException.configuration(
                    "update.git-outside",
                    "{0} is outside the git repository {1}; nothing was committed",
                    file,
                    top);
        }
        return top.relativize(real).toString().replace(java.io.File.separatorChar, '/');
    }

    private static void committedAsRead(
            Repository repository, RevCommit head, String path, Plan.FileEdit edit)
            throws IOException {
        try (TreeWalk tree = TreeWalk.forPath(repository, path, head.getTree())) {
            byte[] read = edit.original().getBytes(StandardCharsets.UTF_8);
            byte[] committed;
            try {
                committed =
                        tree == null
                                ? null
                                : repository.open(tree.getObjectId(0)).getBytes(read.length + 1);
            } catch (org.eclipse.jgit.errors.LargeObjectException e) {
                committed = null;
            }
            if (committed == null || !Arrays.equals(committed, read)) {
                throw ImageGateException.configuration(
                        "update.git-uncommitted",
                        "{0} is not committed as it was read (new, or edited since the last"
                                + " commit); commit or stash that first, nothing was committed",
                        edit.file());
            }
        }
    }

    private static Committed onCheckedOut(Repository repository, List<String> paths, String message)
            throws IOException {
        String branch = repository.getBranch();
        try (Git git = Git.wrap(repository)) {
            var add = git.add();
            paths.forEach(add::addFilepattern);
            add.call();
            var commit = git.commit().setMessage(message).setAllowEmpty(false);
            paths.forEach(commit::setOnly);
            RevCommit made = commit.call();
            return new Committed(branch, made.getName(), true);
        } catch (GitAPIException e) {
            throw ImageGateException.configuration(
                            "update.git-failed",
                            "cannot commit on {0}: {1}",
                            branch,
                            String.valueOf(e.getMessage()))
                    .withCause(e);
        }
    }

    private static Committed onBranch(
            Repository repository,
            RevCommit parent,
            List<Plan.FileEdit> changed,
            List<String> paths,
            String name,
            String message)
            throws IOException {
        String refName = Constants.R_HEADS + name;
        if (!Repository.isValidRefName(refName) || name.startsWith("-")) {
            throw ImageGateException.usage(
                    Field.BRANCH,
                    "update.branch-name",
                    "\"{0}\" ({1}) is not a valid branch name",
                    name,
                    Field.BRANCH);
        }
        Ref checkedOut = repository.exactRef(Constants.HEAD);
        if (checkedOut != null
                && checkedOut.isSymbolic()
                && checkedOut.getTarget().getName().equals(refName)) {
            throw ImageGateException.usage(
                    Field.BRANCH,
                    "update.branch-checked-out",
                    "{0} ({1}) is the branch checked out; leave {1} out to commit on it",
                    name,
                    Field.BRANCH);
        }
        ObjectId tree;
        try (ObjectInserter inserter = repository.newObjectInserter();
                ObjectReader reader = repository.newObjectReader()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, parent.getTree());
            builder.finish();
            DirCacheEditor editor = index.editor();
            for (int i = 0; i < changed.size(); i++) {
                ObjectId blob =
                        inserter.insert(
                                Constants.OBJ_BLOB,
                                changed.get(i).updated().getBytes(StandardCharsets.UTF_8));
                FileMode mode = index.getEntry(paths.get(i)).getFileMode();
                editor.add(
                        new DirCacheEditor.PathEdit(paths.get(i)) {
                            @Override
                            public void apply(DirCacheEntry entry) {
                                entry.setObjectId(blob);
                                entry.setFileMode(mode);
                            }
                        });
            }
            editor.finish();
            tree = index.writeTree(inserter);
            Ref existing = repository.exactRef(refName);
            if (existing != null) {
                try (RevWalk walk = new RevWalk(repository)) {
                    RevCommit there = walk.parseCommit(existing.getObjectId());
                    if (there.getTree().getId().equals(tree)
                            && there.getParentCount() == 1
                            && there.getParent(0).getId().equals(parent.getId())) {
                        return new Committed(name, there.getName(), false);
                    }
                }
            }
            PersonIdent who = new PersonIdent(repository);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setParentId(parent);
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage(message);
            ObjectId made = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repository.updateRef(refName);
            update.setNewObjectId(made);
            update.setExpectedOldObjectId(
                    existing == null ? ObjectId.zeroId() : existing.getObjectId());
            update.setForceUpdate(true);
            update.setRefLogMessage("imagegate update", false);
            RefUpdate.Result result = update.update();
            if (!List.of(
                            RefUpdate.Result.NEW,
                            RefUpdate.Result.FORCED,
                            RefUpdate.Result.FAST_FORWARD)
                    .contains(result)) {
                throw ImageGateException.configuration(
                        "update.git-ref",
                        "cannot move the branch {0}: {1} (another process moved it?); run the"
                                + " update again",
                        name,
                        result.name().toLowerCase(Locale.ROOT));
            }
            return new Committed(name, made.getName(), true);
        }
    }
}
