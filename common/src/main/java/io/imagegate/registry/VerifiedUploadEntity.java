package io.imagegate.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * A request body streamed from {@code source} that writes its last buffer only after the bytes read
 * hash to the expected digest. On a mismatch the body stays short of its Content-Length, so the
 * registry never commits it. With {@code sliceLength >= 0} it carries only that many bytes (one
 * chunk of a chunked upload) and leaves verification to the caller.
 */
final class VerifiedUploadEntity extends AbstractHttpEntity {
    private static final int BUFFER = 256 * 1024;

    private final HashingInputStream source;
    private final long length;
    private final boolean verifyAtEnd;
    private final String what;
    private final LongConsumer progress;

    VerifiedUploadEntity(
            HashingInputStream source,
            long length,
            boolean verifyAtEnd,
            String what,
            LongConsumer progress) {
        super(ContentType.APPLICATION_OCTET_STREAM, null, false);
        this.source = source;
        this.length = length;
        this.verifyAtEnd = verifyAtEnd;
        this.what = what;
        this.progress = progress;
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public long getContentLength() {
        // A chunk of a chunked upload may end short of the slice length: send it with chunked
        // encoding.
        return verifyAtEnd ? length : -1;
    }

    @Override
    public InputStream getContent() {
        throw new UnsupportedOperationException("streamed entity");
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        byte[] held = new byte[BUFFER];
        byte[] next = new byte[BUFFER];
        int heldLength = 0;
        long remaining = length;
        while (true) {
            int want = (int) Math.min(BUFFER, remaining < 0 ? BUFFER : remaining);
            int n = want == 0 ? -1 : source.readNBytes(next, 0, want);
            if (n <= 0) {
                break;
            }
            if (heldLength > 0) {
                out.write(held, 0, heldLength);
                progress.accept(heldLength);
            }
            byte[] swap = held;
            held = next;
            next = swap;
            heldLength = n;
            if (remaining >= 0) {
                remaining -= n;
            }
        }
        if (verifyAtEnd) {
            // A byte past the announced length makes the count, and so the verification, fail.
            source.read();
            source.verify(what);
        }
        if (heldLength > 0) {
            out.write(held, 0, heldLength);
            progress.accept(heldLength);
        }
        out.flush();
    }

    @Override
    public void close() {
        // The caller owns the source stream.
    }
}
