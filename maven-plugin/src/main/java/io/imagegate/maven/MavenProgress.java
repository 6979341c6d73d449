package io.imagegate.maven;

import io.imagegate.api.ProgressListener;
import org.apache.maven.plugin.logging.Log;

/**
 * Progress in the Maven log: the library's lines (one per image, per finished layer, and a byte
 * summary every few seconds) at INFO, details at DEBUG.
 */
final class MavenProgress implements ProgressListener {
    private final Log log;

    MavenProgress(Log log) {
        this.log = log;
    }

    @Override
    public void info(String line) {
        log.info(line);
    }

    @Override
    public void debug(String line) {
        if (log.isDebugEnabled()) {
            log.debug(line);
        }
    }
}
