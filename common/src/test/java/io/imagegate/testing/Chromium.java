package io.imagegate.testing;

import java.nio.file.Path;
import java.util.Map;

/**
 * Debian's Chromium ({@code apt-get install chromium}, by scripts/setup), headless, as the browser
 * a person opens a report in: {@link #dumpDom} loads a page at a window size and returns the DOM
 * after its scripts ran. A fresh profile and temporary directory under {@code scratch}, so nothing
 * is left behind; a missing binary fails the tests.
 */
public final class Chromium {
    private static final ToolProcess CHROMIUM =
            new ToolProcess("chromium", "IMAGEGATE_CHROMIUM_BIN", "apt-get install chromium");

    private Chromium() {}

    public static Path binary() {
        return CHROMIUM.binary();
    }

    /**
     * The DOM of {@code page} (a local file) after loading it in a {@code width} x {@code height}
     * window.
     */
    public static String dumpDom(Path page, int width, int height, Path scratch) {
        // --no-sandbox: tests run as root on CI, where Chromium's sandbox refuses to start.
        return CHROMIUM.run(
                scratch,
                Map.of("TMPDIR", scratch.toString()),
                "--headless",
                "--disable-gpu",
                "--no-sandbox",
                "--no-first-run",
                "--disable-extensions",
                "--disable-sync",
                "--user-data-dir=" + scratch.resolve("profile"),
                "--window-size=" + width + "," + height,
                "--dump-dom",
                page.toUri().toString());
    }
}
