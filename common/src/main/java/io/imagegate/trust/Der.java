package io.imagegate.trust;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little DER a keyless check needs beyond what {@link java.security.cert.X509Certificate}
 * offers: walking a certificate's TBS to take one extension out (the precertificate an SCT signs),
 * and unwrapping extension values. Definite lengths only, as DER requires; anything else is
 * malformed.
 */
final class Der {
    static final int SEQUENCE = 0x30;
    static final int OCTET_STRING = 0x04;
    static final int UTF8_STRING = 0x0C;
    static final int OID = 0x06;

    /** The TBS certificate's {@code [3] EXPLICIT Extensions}. */
    static final int EXTENSIONS = 0xA3;

    /** One element: its tag and where its header and content lie in {@code bytes}. */
    record Element(byte[] bytes, int tag, int start, int contentStart, int end) {
        byte[] content() {
            return Arrays.copyOfRange(bytes, contentStart, end);
        }

        byte[] encoded() {
            return Arrays.copyOfRange(bytes, start, end);
        }

        /** The elements this one's content is made of (for a constructed element). */
        List<Element> children() throws MalformedException {
            List<Element> children = new ArrayList<>();
            int at = contentStart;
            while (at < end) {
                Element child = read(bytes, at, end);
                children.add(child);
                at = child.end();
            }
            return children;
        }
    }

    /** DER that is not well formed. */
    static final class MalformedException extends Exception {
        MalformedException(String what) {
            super(what, null, false, false);
        }
    }

    private Der() {}

    /** The one element {@code bytes} holds, nothing after it. */
    static Element parse(byte[] bytes) throws MalformedException {
        Element e = read(bytes, 0, bytes.length);
        if (e.end() != bytes.length) {
            throw new MalformedException("trailing bytes after a DER element");
        }
        return e;
    }

    static Element read(byte[] bytes, int at, int limit) throws MalformedException {
        if (at + 2 > limit) {
            throw new MalformedException("a DER element is cut short");
        }
        int tag = bytes[at] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new MalformedException("a multi-byte DER tag");
        }
        int first = bytes[at + 1] & 0xff;
        int header = 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 3 || at + 2 + count > limit) {
                throw new MalformedException(
                        "a DER length that is indefinite, too long or cut short");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (bytes[at + 2 + i] & 0xff);
            }
            header += count;
        }
        if (at + header + length > limit) {
            throw new MalformedException("a DER element runs past its container");
        }
        return new Element(bytes, tag, at, at + header, (int) (at + header + length));
    }

    /** {@code tag} with {@code content}, in DER's definite, shortest length form. */
    static byte[] encode(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 5);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** The DER encoding of an OID's content, for comparing with an extension's {@code extnID}. */
    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            int groups = 1;
            for (long t = v >> 7; t > 0; t >>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int b = (int) ((v >> (7 * g)) & 0x7f);
                out.write(g == 0 ? b : b | 0x80);
            }
        }
        return encode(OID, out.toByteArray());
    }

    /**
     * A TBS certificate without the extension {@code oid}: the precertificate TBS an embedded SCT
     * signs (RFC 6962 3.2). Everything else keeps its exact bytes; an empty extension list is
     * dropped as a precertificate would not have one.
     */
    static byte[] withoutExtension(byte[] tbs, String oid) throws MalformedException {
        byte[] wanted = oid(oid);
        Element root = parse(tbs);
        if (root.tag() != SEQUENCE) {
            throw new MalformedException("a TBS certificate that is not a SEQUENCE");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(tbs.length);
        boolean found = false;
        for (Element field : root.children()) {
            if (field.tag() != EXTENSIONS) {
                body.writeBytes(field.encoded());
                continue;
            }
            List<Element> lists = field.children();
            if (lists.size() != 1 || lists.get(0).tag() != SEQUENCE) {
                throw new MalformedException("certificate extensions that are not one SEQUENCE");
            }
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            for (Element extension : lists.get(0).children()) {
                List<Element> parts = extension.children();
                if (extension.tag() != SEQUENCE || parts.isEmpty() || parts.get(0).tag() != OID) {
                    throw new MalformedException("a certificate extension without an OID");
                }
                if (Arrays.equals(parts.get(0).encoded(), wanted)) {
                    found = true;
                } else {
                    kept.writeBytes(extension.encoded());
                }
            }
            if (kept.size() > 0) {
                body.writeBytes(encode(EXTENSIONS, encode(SEQUENCE, kept.toByteArray())));
            }
        }
        if (!found) {
            throw new MalformedException("the certificate has no extension " + oid);
        }
        return encode(SEQUENCE, body.toByteArray());
    }

    /**
     * The content of an extension value as {@code X509Certificate.getExtensionValue} returns it (an
     * OCTET STRING).
     */
    static byte[] extensionContent(byte[] extensionValue) throws MalformedException {
        Element wrapper = parse(extensionValue);
        if (wrapper.tag() != OCTET_STRING) {
            throw new MalformedException("an extension value that is not an OCTET STRING");
        }
        return wrapper.content();
    }
}
