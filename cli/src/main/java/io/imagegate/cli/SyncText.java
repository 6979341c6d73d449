package io.imagegate.cli;

import io.imagegate.api.Outcome;
import io.imagegate.api.SyncResult;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** How sync and sync-report print a sync's images, and how a summary file is written. */
final class SyncText {
    private SyncText() {}

    /** One line per image, the newly failing and clean-again ones named once more, then totals. */
    static void print(PrintWriter out, SyncResult outcome) {
        for (SyncResult.Entry e : outcome.entries()) {
            String what =
                    e.outcome() == Outcome.ERROR
                            ? "ERROR"
                            : e.outcome() == Outcome.POLICY_FAILED ? "FAIL" : "PASS";
            String change =
                    e.digest().isEmpty()
                            ? "not compared"
                            : !e.changed()
                                    ? (e.rescanned()
                                                    ? "unchanged, scanned again in place "
                                                    : e.vetted()
                                                            ? "unchanged, vetted again "
                                                            : "unchanged ")
                                            + e.digest()
                                    : (e.previousDigest().isEmpty()
                                                    ? "new "
                                                    : e.previousDigest() + " -> ")
                                            + e.digest();
            out.println(
                    what
                            + " "
                            + e.source()
                            + " -> "
                            + e.target()
                            + ": "
                            + change
                            + (e.newlyFailing() ? "; NEWLY FAILING" : "")
                            + (e.becameClean() ? "; clean again" : "")
                            + (e.fixed().isEmpty()
                                    ? ""
                                    : "; fixed: " + String.join(", ", e.fixed()))
                            + (e.introduced().isEmpty()
                                    ? ""
                                    : "; introduced: " + String.join(", ", e.introduced()))
                            + (e.outcome() == Outcome.POLICY_FAILED && !e.findings().isEmpty()
                                    ? "; failing: " + String.join(", ", e.findings())
                                    : "")
                            + e.error()
                                    .map(x -> "; " + x.render(CliVocabulary.INSTANCE))
                                    .orElse(""));
        }
        List<SyncResult.Entry> newlyFailing =
                outcome.entries().stream().filter(SyncResult.Entry::newlyFailing).toList();
        if (!newlyFailing.isEmpty()) {
            out.println("newly failing (gates refuse these from now on):");
            newlyFailing.forEach(
                    e ->
                            out.println(
                                    "  "
                                            + e.target()
                                            + "@"
                                            + e.digest()
                                            + ": "
                                            + String.join(", ", e.findings())));
        }
        List<SyncResult.Entry> clean =
                outcome.entries().stream().filter(SyncResult.Entry::becameClean).toList();
        if (!clean.isEmpty()) {
            out.println("clean again:");
            clean.forEach(e -> out.println("  " + e.target() + "@" + e.digest()));
        }
        long failed = outcome.entries().stream().filter(e -> e.outcome() != Outcome.PASSED).count();
        SyncResult.Run run = outcome.run();
        out.println(
                outcome.entries().size()
                        + " image(s)"
                        + (run.shardCount() > 1 && run.shards().size() == 1
                                ? " (shard " + run.shardIndex() + "/" + run.shardCount() + ")"
                                : run.shardCount() > 1
                                        ? " from "
                                                + run.shards().size()
                                                + " of "
                                                + run.shardCount()
                                                + " shards"
                                        : "")
                        + ", "
                        + outcome.entries().stream().filter(SyncResult.Entry::vetted).count()
                        + " vetted, "
                        + rescans(outcome, newlyFailing.size(), clean.size())
                        + failed
                        + " failed");
        out.flush();
    }

    /** The rescan counts, only when a rescan happened (a plain sync reads as before rescans). */
    private static String rescans(SyncResult outcome, int newlyFailing, int clean) {
        long rescanned = outcome.entries().stream().filter(SyncResult.Entry::rescanned).count();
        if (rescanned == 0 && newlyFailing == 0 && clean == 0) {
            return "";
        }
        return rescanned
                + " scanned again in place, "
                + newlyFailing
                + " newly failing, "
                + clean
                + " clean again, ";
    }

    /**
     * Writes {@code json} to {@code file} (relative to the working directory) through a temporary
     * file beside it, moved into place: a reader sees the whole summary or none.
     */
    static void writeSummary(Path file, String json) {
        Path target =
                Path.of(RegistryOptions.environment().workingDirectory())
                        .resolve(file)
                        .toAbsolutePath()
                        .normalize();
        Path dir = target.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            Files.writeString(temp, json + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new ImageGateException(
                    ErrorKind.CONFIGURATION,
                    io.imagegate.message.Message.of(
                            "sync.summary-unwritable",
                            "cannot write the summary {0}: {1}",
                            target,
                            String.valueOf(e.getMessage())),
                    io.imagegate.message.Field.SUMMARY_JSON,
                    e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the failure above is what is reported
                }
            }
        }
    }
}
