package io.imagegate.registry;

import io.imagegate.reference.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Hashes and counts every byte read through it, once, so content is verified on the way without
 * buffering.
 */
final class HashingInputStream extends FilterInputStream {
    private final MessageDigest hasher;
    private final Digest expected;
    private final long expectedSize;
    private long count;

    /**
     * Hashes a few MiB on a background thread so the JIT compiles SHA-256 down to its CPU intrinsic
     * (SHA-NI/AVX2) before blobs arrive. Without it a short-lived process hashes its first hundreds
     * of MiB in interpreted Java, about ten times slower, because copy threads starve the compiler
     * (measured in bench/: 128 MiB copy, CPU time 3.0 s without, see docs/performance.md).
     */
    static void warmUp() {
        if (WARMED.compareAndSet(false, true)) {
            Thread t =
                    new Thread(
                            () -> {
                                java.security.MessageDigest md = Digest.newSha256();
                                byte[] block = new byte[8192];
                                for (int i = 0; i < 2048; i++) {
                                    md.update(block);
                                }
                                md.digest();
                            },
                            "imagegate-sha256-warmup");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            t.start();
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED =
            new java.util.concurrent.atomic.AtomicBoolean();

    HashingInputStream(InputStream in, Digest expected, long expectedSize) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.hasher = expected.newHasher();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            hasher.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            hasher.update(buffer, offset, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("skipping would leave bytes unhashed");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }

    /** Call at end of stream: throws when the bytes read are not the expected content. */
    void verify(String what) throws DigestMismatchException {
        String actual = expected.algorithm() + ":" + HexFormat.of().formatHex(hasher.digest());
        if (!actual.equals(expected.toString()) || (expectedSize >= 0 && count != expectedSize)) {
            throw new DigestMismatchException(what, expected, actual, expectedSize, count);
        }
    }
}
