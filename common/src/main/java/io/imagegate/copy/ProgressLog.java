package io.imagegate.copy;

import io.imagegate.oci.Descriptor;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Renders import progress as plain lines (bytes and layers copied), for consoles and build logs
 * alike: the CLI's stderr, the Maven log, the Jenkins console. Byte progress is reported at most
 * every {@code interval}, so a large blob does not flood the log.
 */
public final class ProgressLog implements ImportListener {
    private final Consumer<String> out;
    private final long intervalNanos;
    private final AtomicInteger blobsTotal = new AtomicInteger();
    private final AtomicInteger blobsDone = new AtomicInteger();
    private final AtomicLong bytesTotal = new AtomicLong();
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong(System.nanoTime());

    public ProgressLog(Consumer<String> out, Duration interval) {
        // Lines carry registry-supplied text (error reasons, names): never a control character to a
        // terminal.
        this.out = line -> out.accept(io.imagegate.message.Message.neutralize(line));
        this.intervalNanos = interval.toNanos();
    }

    public ProgressLog(Consumer<String> out) {
        this(out, Duration.ofSeconds(2));
    }

    @Override
    public void sourceResolved(ImageReference source, Descriptor manifest) {
        out.accept("resolved " + source + " to " + manifest.digest());
    }

    @Override
    public void planned(int manifests, int blobs, long bytes) {
        // One log may follow several copies (a vet imports into quarantine, then promotes): each
        // counts afresh.
        blobsTotal.set(blobs);
        bytesTotal.set(bytes);
        blobsDone.set(0);
        bytesDone.set(0);
        out.accept(
                "copying "
                        + manifests
                        + (manifests == 1 ? " manifest" : " manifests")
                        + ", "
                        + blobs
                        + " blobs ("
                        + size(bytes)
                        + ")");
    }

    @Override
    public void referrersPlanned(int referrers, int blobs, long bytes) {
        blobsTotal.set(blobs);
        bytesTotal.set(bytes);
        blobsDone.set(0);
        bytesDone.set(0);
        out.accept(
                "carrying "
                        + referrers
                        + (referrers == 1 ? " referrer" : " referrers")
                        + " (signatures, attestations), "
                        + blobs
                        + " blobs ("
                        + size(bytes)
                        + ")");
    }

    @Override
    public void upToDate(ImageReference target, Digest digest) {
        out.accept(target + " already holds " + digest + ": nothing to copy");
    }

    @Override
    public void blobProgress(Descriptor blob, long bytes) {
        long done = bytesDone.addAndGet(bytes);
        long now = System.nanoTime();
        long last = lastReport.get();
        if (now - last >= intervalNanos && lastReport.compareAndSet(last, now)) {
            out.accept(
                    "  "
                            + size(done)
                            + " of "
                            + size(bytesTotal.get())
                            + " uploaded, "
                            + blobsDone.get()
                            + "/"
                            + blobsTotal.get()
                            + " blobs done");
        }
    }

    @Override
    public void blobFinished(Descriptor blob, BlobOutcome outcome) {
        int done = blobsDone.incrementAndGet();
        out.accept(
                "  ["
                        + done
                        + "/"
                        + blobsTotal.get()
                        + "] "
                        + outcome.name().toLowerCase(Locale.ROOT)
                        + " "
                        + blob.digest().shortForm()
                        + " ("
                        + size(blob.size())
                        + ")");
    }

    @Override
    public void manifestPushed(ImageReference target, String reference, Descriptor manifest) {
        out.accept(
                "  pushed "
                        + (reference.startsWith("sha256:")
                                ? "manifest " + manifest.digest().shortForm()
                                : "tag " + reference + " -> " + manifest.digest()));
    }

    @Override
    public void retrying(
            String host, String method, String path, String reason, Duration delay, int attempt) {
        out.accept(
                String.format(
                        Locale.ROOT,
                        "  %s %s on %s: %s; retry %d in %.1fs",
                        method,
                        path,
                        host,
                        reason,
                        attempt,
                        delay.toMillis() / 1000.0));
    }

    @Override
    public void rateLimit(String host, int remaining, int limit) {
        out.accept(
                "  "
                        + host
                        + " rate limit: "
                        + remaining
                        + (limit >= 0 ? " of " + limit : "")
                        + " pulls left");
    }

    /** Human-readable size in binary units. */
    public static String size(long bytes) {
        if (bytes < 0) {
            return "unknown size";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return decimal(value, 1) + " " + units[unit];
    }

    /** The one-line summary of a finished import. */
    public static String summary(CopyResult result) {
        if (result.upToDate()) {
            return result.target()
                    + " up to date"
                    + carried(result.referrers())
                    + " ("
                    + result.requests()
                    + " requests, "
                    + millis(result.duration())
                    + ")";
        }
        return "imported "
                + result.target()
                + ": "
                + result.copied().blobs()
                + " blobs copied ("
                + size(result.copied().bytes())
                + "), "
                + result.mounted().blobs()
                + " mounted ("
                + size(result.mounted().bytes())
                + "), "
                + result.present().blobs()
                + " already present"
                + carried(result.referrers())
                + "; "
                + result.requests()
                + " requests, "
                + millis(result.duration());
    }

    /** ", 2 referrers carried", or nothing when none were. */
    public static String carried(int referrers) {
        return referrers == 0
                ? ""
                : ", " + referrers + (referrers == 1 ? " referrer" : " referrers") + " carried";
    }

    private static String millis(Duration d) {
        return decimal(d.toMillis() / 1000.0, 2) + "s";
    }

    /**
     * {@code value} with {@code digits} decimals, rounded half up: what {@code
     * String.format("%.Nf")} prints, without the formatter, whose first use is slow in a
     * short-lived process (these lines print during a copy).
     */
    public static String decimal(double value, int digits) {
        long scale = 1;
        for (int i = 0; i < digits; i++) {
            scale *= 10;
        }
        long scaled = Math.round(value * scale);
        String fraction = Long.toString(scaled % scale);
        while (fraction.length() < digits) {
            fraction = "0" + fraction;
        }
        return scaled / scale + "." + fraction;
    }
}
