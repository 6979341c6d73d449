package io.imagegate.registry;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/**
 * An open answer from a registry. Closing it never reads an unbounded body: at most {@link
 * #DRAIN_LIMIT} bytes are read to keep the connection, beyond that the connection is dropped (a 404
 * with a 12 GiB body, or one that drips a byte a second, costs nothing).
 */
public final class Response implements Closeable {
    /** The most a close reads of an unread body to keep the connection reusable. */
    static final int DRAIN_LIMIT = 64 * 1024;

    private final ClassicHttpResponse raw;
    private final Watchdog.Watch watch;
    private final URI uri;
    private final HttpUriRequestBase request;
    private WatchedStream body;
    private boolean closed;

    Response(ClassicHttpResponse raw, Watchdog.Watch watch, URI uri, HttpUriRequestBase request) {
        this.raw = raw;
        this.watch = watch;
        this.uri = uri;
        this.request = request;
    }

    public int status() {
        return raw.getCode();
    }

    /** The URL that finally answered (after redirects). */
    public URI uri() {
        return uri;
    }

    public Optional<String> header(String name) {
        Header h = raw.getFirstHeader(name);
        return h == null ? Optional.empty() : Optional.of(h.getValue());
    }

    /** The body stream (empty when there is none); its bytes count as progress against stalls. */
    public InputStream body() throws IOException {
        if (body == null) {
            HttpEntity entity = raw.getEntity();
            body =
                    new WatchedStream(
                            entity == null ? InputStream.nullInputStream() : entity.getContent(),
                            watch);
        }
        return body;
    }

    /**
     * Reads the whole body, refusing more than {@code limit} bytes (manifests and error documents
     * are small).
     */
    public byte[] bodyBytes(int limit) throws IOException {
        InputStream in = body();
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new BodyTooLargeException(uri, limit);
        }
        return bytes;
    }

    /** Why the watchdog cut this exchange off, if it did. */
    Optional<Watchdog.Reason> cutOff() {
        return Optional.ofNullable(watch.reason());
    }

    /** Stops the rate watch (a body is sent) and gives the answer {@code limit} to come. */
    void awaitAnswer(java.time.Duration limit) {
        watch.awaitAnswer(limit);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (raw.getEntity() != null && !drained()) {
                abort();
                return;
            }
            try {
                raw.close();
            } catch (IOException ignored) {
                // closing an answer we are done with
            }
        } finally {
            watch.close();
        }
    }

    /**
     * Whether the rest of the body was read within {@link #DRAIN_LIMIT} (so the connection can be
     * reused).
     */
    private boolean drained() {
        try {
            InputStream in = body();
            if (body.eof) {
                return true;
            }
            long left = DRAIN_LIMIT;
            byte[] buffer = new byte[8192];
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return true;
                }
                left -= n;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Drops the connection instead of reading the rest of the body. */
    public void abort() {
        closed = true;
        request.cancel();
        try {
            raw.close();
        } catch (IOException | RuntimeException ignored) {
            // the connection is already gone
        } finally {
            watch.close();
        }
    }

    /** A body larger than the caller accepts. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(URI uri, int limit) {
            super("the answer of " + uri.getRawPath() + " is larger than " + limit + " bytes");
        }
    }

    /**
     * Counts body bytes, and the time spent waiting for them, for the watchdog; notes the end of
     * the stream.
     */
    private static final class WatchedStream extends FilterInputStream {
        private final Watchdog.Watch watch;
        private boolean eof;

        WatchedStream(InputStream in, Watchdog.Watch watch) {
            super(in);
            this.watch = watch;
        }

        @Override
        public int read() throws IOException {
            int b;
            watch.waitOnRegistry();
            try {
                b = super.read();
            } finally {
                watch.stopWaiting();
            }
            if (b < 0) {
                eof = true;
            } else {
                watch.moved(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            watch.waitOnRegistry();
            try {
                n = super.read(buffer, offset, length);
            } finally {
                watch.stopWaiting();
            }
            if (n < 0) {
                eof = true;
            } else {
                watch.moved(n);
            }
            return n;
        }

        @Override
        public void close() {
            // the Response decides how the connection ends
        }
    }
}
