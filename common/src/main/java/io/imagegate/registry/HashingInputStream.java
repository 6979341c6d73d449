package io.imagegate.registry;

import io.imagegate.reference.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Hashes and counts every byte read through it, once, so content is verified on the way without buffering. */
final class HashingInputStream extends FilterInputStream {
    private final MessageDigest hasher;
    private final Digest expected;
    private final long expectedSize;
    private long count;

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
