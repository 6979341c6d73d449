package io.imagegate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile "registry" on a loopback port (test code): raw HTTP/1.1 over sockets, so a handler can
 * do what no well-behaved server does — drip bytes, stall, send endless bodies or huge headers, lie
 * about lengths, redirect anywhere. One request per connection. Every byte written is counted, so a
 * test can show how much a client read.
 */
public final class HostileServer implements AutoCloseable {
    /** A request as the server read it. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Answers one request by writing to the raw connection. */
    @FunctionalInterface
    public interface Handler {
        void handle(Request request, Out out) throws IOException, InterruptedException;
    }

    /** The raw connection, counting what is written. */
    public final class Out {
        private final OutputStream raw;

        Out(OutputStream raw) {
            this.raw = raw;
        }

        public void write(byte[] bytes) throws IOException {
            raw.write(bytes);
            raw.flush();
            written.addAndGet(bytes.length);
        }

        public void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** A whole response with a Content-Length. */
        public void respond(int status, Map<String, String> headers, byte[] body)
                throws IOException {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Length: ")
                    .append(body.length)
                    .append("\r\nConnection: close\r\n\r\n");
            write(head.toString());
            write(body);
        }

        public void respond(int status, Map<String, String> headers, String body)
                throws IOException {
            respond(status, headers, body.getBytes(StandardCharsets.UTF_8));
        }

        /** Status line and headers only: the caller writes the body (or does not). */
        public void head(int status, Map<String, String> headers) throws IOException {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Connection: close\r\n\r\n");
            write(head.toString());
        }
    }

    private final ServerSocket server;
    private final Handler handler;
    private final AtomicLong written = new AtomicLong();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile java.util.function.Predicate<String> unreadBodies = line -> false;

    public HostileServer(Handler handler) {
        this(handler, null);
    }

    /** A hostile server speaking TLS with a certificate for 127.0.0.1 issued by {@code ca}. */
    public static HostileServer tls(Handler handler, TestCertificates.Issued ca) {
        return new HostileServer(handler, ca);
    }

    private HostileServer(Handler handler, TestCertificates.Issued ca) {
        this.handler = handler;
        try {
            if (ca == null) {
                server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
            } else {
                TestCertificates.Issued cert = TestCertificates.server(ca);
                java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry(
                        "server",
                        cert.keys().getPrivate(),
                        new char[0],
                        new java.security.cert.Certificate[] {
                            cert.certificate(), ca.certificate()
                        });
                javax.net.ssl.KeyManagerFactory kmf =
                        javax.net.ssl.KeyManagerFactory.getInstance(
                                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
                javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                server =
                        context.getServerSocketFactory()
                                .createServerSocket(0, 100, InetAddress.getLoopbackAddress());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "hostile-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Requests whose request line matches are handed to the handler before their body is read (and
     * the handler may never read it): a registry that stops taking an upload.
     */
    public HostileServer leavingBodiesUnread(java.util.function.Predicate<String> requestLine) {
        this.unreadBodies = requestLine;
        return this;
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Bytes written to clients so far. */
    public long bytesWritten() {
        return written.get();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread t = new Thread(() -> serve(socket), "hostile-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip());
                }
            }
            byte[] body = new byte[0];
            String length = headers.get("content-length");
            if (unreadBodies.test(requestLine)) {
                body = new byte[0];
            } else if (length != null) {
                body = in.readNBytes((int) Math.min(Long.parseLong(length), 64L * 1024 * 1024));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked(in);
            }
            String[] parts = requestLine.split(" ");
            Request request =
                    new Request(parts[0], parts.length > 1 ? parts[1] : "", headers, body);
            requests.add(request);
            handler.handle(request, new Out(socket.getOutputStream()));
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away, or the test is over
        } finally {
            open.remove(socket);
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                break;
            }
            int n = Integer.parseInt(size.split(";")[0].strip(), 16);
            if (n == 0) {
                line(in);
                break;
            }
            out.write(in.readNBytes(n));
            line(in);
        }
        return out.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                out.write(b);
            }
            if (out.size() > 1 << 20) {
                throw new IOException("request line too long");
            }
        }
        return b < 0 && out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
