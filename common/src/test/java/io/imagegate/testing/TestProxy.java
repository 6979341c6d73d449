package io.imagegate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP proxy for tests (test code, not the product's): {@code CONNECT} tunnels and
 * absolute-form requests, optionally demanding Basic credentials ({@code 407} otherwise). Each
 * client connection serves one target, as a client's connection pool keeps a connection per route:
 * after the first request the bytes are piped both ways. It records what it saw, so tests can tell
 * a proxied request from a direct one.
 */
public final class TestProxy implements AutoCloseable {
    /** The first request of a client connection, as the proxy saw it. */
    public record Seen(String method, String target, boolean authorized) {}

    private final ServerSocket server;
    private final ExecutorService pool =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "test-proxy");
                        t.setDaemon(true);
                        return t;
                    });
    private final String expectedAuthorization;
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    private TestProxy(String user, String password) {
        this.expectedAuthorization =
                user == null
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (user + ":" + password)
                                                        .getBytes(StandardCharsets.UTF_8));
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool.submit(this::acceptLoop);
    }

    /** A proxy that lets everyone through. */
    public static TestProxy open() {
        return new TestProxy(null, null);
    }

    /** A proxy that answers 407 without these Basic credentials. */
    public static TestProxy withCredentials(String user, String password) {
        return new TestProxy(user, password);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
            String method = requestLine[0];
            String target = requestLine[1];
            String authorization = header(text, "proxy-authorization");
            boolean authorized =
                    expectedAuthorization == null || expectedAuthorization.equals(authorization);
            seen.add(new Seen(method, target, authorization != null && authorized));
            OutputStream out = client.getOutputStream();
            if (!authorized) {
                out.write(
                        ("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                                        + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            String hostPort;
            if (method.equals("CONNECT")) {
                hostPort = target;
            } else {
                URI uri = URI.create(target);
                hostPort = uri.getHost() + ":" + (uri.getPort() < 0 ? 80 : uri.getPort());
            }
            int colon = hostPort.lastIndexOf(':');
            try (Socket upstream =
                    new Socket(
                            hostPort.substring(0, colon),
                            Integer.parseInt(hostPort.substring(colon + 1)))) {
                if (method.equals("CONNECT")) {
                    out.write(
                            "HTTP/1.1 200 Connection established\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } else {
                    // The first request goes on in origin form, as proxies send it; later ones on
                    // the connection are piped as
                    // they are (the registry, Go's net/http, accepts absolute-form request lines
                    // too).
                    URI uri = URI.create(target);
                    String origin =
                            (uri.getRawPath() == null || uri.getRawPath().isEmpty()
                                            ? "/"
                                            : uri.getRawPath())
                                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                    String rewritten =
                            method
                                    + " "
                                    + origin
                                    + text.substring(text.indexOf(' ', method.length() + 1));
                    upstream.getOutputStream()
                            .write(rewritten.getBytes(StandardCharsets.ISO_8859_1));
                    upstream.getOutputStream().flush();
                }
                pool.submit(() -> pipe(upstream, client));
                pipe(client, upstream);
            }
        } catch (IOException | RuntimeException e) {
            // the client or the registry went away
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 64 * 1024) {
                throw new IOException("request head too long");
            }
        }
        return head.toByteArray();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        pool.shutdownNow();
    }
}
