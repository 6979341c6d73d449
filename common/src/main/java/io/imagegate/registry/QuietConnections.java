package io.imagegate.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Identifiable;
import org.apache.hc.core5.util.Timeout;

/**
 * Connections that never log what they send or receive. HttpClient's own connections write every
 * header ({@code Authorization}, {@code Proxy-Authorization}) and, for its wire log, every byte
 * (token requests with refresh tokens) to the host's SLF4J debug log: {@code mvn -X} or a Jenkins
 * logger at FINE would print credentials. imagegate reports exchanges through its own listener,
 * which never sees a secret.
 */
final class QuietConnections implements HttpConnectionFactory<ManagedHttpClientConnection> {
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Http1Config config;

    QuietConnections(Http1Config config) {
        this.config = config;
    }

    @Override
    public ManagedHttpClientConnection createConnection(Socket socket) throws IOException {
        Connection connection = new Connection("imagegate-" + COUNTER.getAndIncrement(), config);
        if (socket != null) {
            connection.bind(socket);
        }
        return connection;
    }

    /**
     * An HTTP/1.1 client connection as HttpClient manages it (idle timeouts, TLS session), without
     * its logging.
     */
    static final class Connection extends DefaultBHttpClientConnection
            implements ManagedHttpClientConnection, Identifiable {
        private final String id;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Timeout socketTimeout;

        Connection(String id, Http1Config config) {
            // As HttpClient's own connections parse answers: leniently, garbage before the status
            // line skipped (a TLS
            // server's alert to a plain-HTTP probe reads as no answer, which the ping then retries
            // over TLS).
            super(
                    config,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    org.apache.hc.client5.http.impl.io.DefaultHttpResponseParserFactory.INSTANCE);
            this.id = id;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public void bind(Socket socket) throws IOException {
            bind(new SocketHolder(socket));
        }

        @Override
        public void bind(SSLSocket sslSocket, Socket socket) throws IOException {
            bind(new SocketHolder(sslSocket, socket));
        }

        @Override
        protected void bind(SocketHolder holder) throws IOException {
            if (closed.get()) {
                holder.getSocket().close();
                throw new InterruptedIOException("connection already shut down");
            }
            super.bind(holder);
            socketTimeout = Timeout.ofMilliseconds(holder.getSocket().getSoTimeout());
        }

        @Override
        public Socket getSocket() {
            SocketHolder holder = getSocketHolder();
            return holder == null ? null : holder.getSocket();
        }

        @Override
        public SSLSession getSSLSession() {
            return getSocket() instanceof SSLSocket ssl ? ssl.getSession() : null;
        }

        @Override
        public void setSocketTimeout(Timeout timeout) {
            super.setSocketTimeout(timeout);
            socketTimeout = timeout;
        }

        /** Idle in the pool: no read timeout. */
        @Override
        public void passivate() {
            super.setSocketTimeout(Timeout.ZERO_MILLISECONDS);
        }

        /** Back in use: the timeout it had. */
        @Override
        public void activate() {
            super.setSocketTimeout(socketTimeout);
        }

        @Override
        public void close() throws IOException {
            if (closed.compareAndSet(false, true)) {
                super.close();
            }
        }

        @Override
        public void close(CloseMode mode) {
            if (closed.compareAndSet(false, true)) {
                super.close(mode);
            }
        }
    }
}
