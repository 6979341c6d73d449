package io.imagegate.cli;

import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSummaries;
import io.imagegate.message.ImageGateException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "sync-report",
        mixinStandardHelpOptions = true,
        description = {
            "Merge the summaries that the shards of one sync wrote (sync --shard I/N --summary-json FILE) into one report"
                    + " and exit code. A shard without a summary is an error, never a pass; summaries of different sync files"
                    + " or shard counts, or one shard given twice, are refused.",
            "Exit codes: 0 every image of every shard passed, 1 an image failed its policy (newly failing ones"
                    + " included), 2 an image could not be vetted, a shard is missing, or a summary cannot be read."
        })
final class SyncReportCommand extends OperationCommand {
    @Parameters(
            index = "0..*",
            arity = "1..*",
            paramLabel = "SUMMARY",
            description = "The summaries (JSON) sync --summary-json wrote, one per shard.")
    List<String> summaries;

    @Override
    public Integer call() {
        SyncResult merged;
        try {
            merged = SyncSummaries.merge(summaries, RegistryOptions.environment());
        } catch (ImageGateException e) {
            merged = new SyncResult(io.imagegate.api.Outcome.ERROR, Optional.of(e), List.of());
        }
        SyncText.print(text(), merged);
        return finish(merged);
    }
}
