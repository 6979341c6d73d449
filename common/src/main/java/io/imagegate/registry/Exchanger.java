package io.imagegate.registry;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Sends one HTTP exchange with the one retry policy every request kind shares (the {@code /v2/}
 * ping, token requests, manifests and blobs alike): connection errors (but a refused connection or
 * an unknown host, which fail at once), 429 and 5xx are retried with backoff shared per host, a
 * {@code Retry-After} is honoured up to a cap (a longer one fails at once, naming the wait asked
 * for), every retry is reported to the listener, and every attempt runs under the {@link Watchdog}.
 * An exchange the watchdog cut off (deadline passed, transfer stalled) is not retried here.
 */
final class Exchanger implements AutoCloseable {
    private final CloseableHttpClient http;
    private final TransportOptions options;
    private final TransportListener listener;
    private final Backoff backoff;
    private final Watchdog watchdog;
    private final AtomicLong requests = new AtomicLong();

    Exchanger(CloseableHttpClient http, TransportOptions options, TransportListener listener) {
        this(http, options, listener, new Backoff());
    }

    private Exchanger(
            CloseableHttpClient http,
            TransportOptions options,
            TransportListener listener,
            Backoff backoff) {
        this.http = http;
        this.options = options;
        this.listener = listener;
        this.backoff = backoff;
        this.watchdog =
                new Watchdog(
                        Duration.ofMillis(
                                Math.min(
                                        1000,
                                        Math.max(50, options.exchangeTimeout().toMillis() / 10))));
    }

    /**
     * An exchanger over the same connections whose exchanges are its own to watch, cut off and
     * count; backoff stays shared per host.
     */
    Exchanger child() {
        return new Exchanger(http, options, listener, backoff);
    }

    long requestCount() {
        return requests.get();
    }

    TransportOptions options() {
        return options;
    }

    /**
     * Sends the request {@code build} makes (once per attempt) and returns the answer, which may be
     * an error status: 429 and 5xx only once the retries are spent. {@code registry} and {@code
     * what} name the exchange in messages.
     */
    Response exchange(
            String registry,
            String what,
            Supplier<HttpUriRequestBase> build,
            ExchangeKind kind,
            boolean repeatable) {
        int attempt = 0;
        while (true) {
            HttpUriRequestBase message = build.get();
            URI uri = uriOf(message);
            String host = uri.getRawAuthority();
            awaitPause(host, registry, what);
            Response response;
            try {
                response = attempt(message, uri, kind);
            } catch (CutOff e) {
                throw cutOffError(registry, what, e.reason, e);
            } catch (IOException e) {
                if (malformed(e)) {
                    // Broken or hostile HTTP (a header over the limit, a length that is no number):
                    // asking again
                    // would get the same answer.
                    throw RegistryException.unreachable(
                            ErrorKind.INTEGRITY,
                            Message.of(
                                    "registry.malformed",
                                    "{0} answered {1} with something that is not valid HTTP: {2}",
                                    registry,
                                    what,
                                    IoErrors.describe(e)),
                            e);
                }
                if (repeatable && attempt < options.maxRetries() && !nobodyThere(e)) {
                    attempt++;
                    // Most often a pooled connection the server had closed: its idle siblings go
                    // too, and the first retry goes at once on a new connection, rather than
                    // backing off through each of them (seconds lost after a registry restarted).
                    Duration delay = attempt == 1 ? Duration.ZERO : backoff.delay(attempt);
                    if (attempt == 1) {
                        HttpClientFactory.closeIdle(http);
                    }
                    listener.retrying(
                            host,
                            message.getMethod(),
                            uri.getRawPath(),
                            IoErrors.describe(e),
                            delay,
                            attempt);
                    if (!delay.isZero()) {
                        sleep(delay, registry, what);
                    }
                    continue;
                }
                throw RegistryException.unreachable(
                        ErrorKind.TRANSIENT,
                        Message.of(
                                "registry.unreachable",
                                "cannot reach {0} ({1}): {2}{3}",
                                registry,
                                what,
                                IoErrors.describe(e),
                                attempt > 0 ? " after " + (attempt + 1) + " attempts" : ""),
                        e);
            }
            int status = response.status();
            listener.requestCompleted(host, message.getMethod(), uri.getRawPath(), status);
            if ((status == 429 || status >= 500) && repeatable && attempt < options.maxRetries()) {
                Optional<Duration> retryAfter =
                        Backoff.parseRetryAfter(response.header("Retry-After").orElse(null));
                if (retryAfter.isPresent()
                        && retryAfter.get().compareTo(options.maxRetryAfter()) > 0) {
                    response.abort();
                    throw new RegistryException(
                            ErrorKind.TRANSIENT,
                            Message.of(
                                    "registry.retry-after-too-long",
                                    "{0} answered {1} with HTTP {2} and asked to wait {3} before trying again, longer than the {4} imagegate"
                                            + " waits; try again later",
                                    registry,
                                    what,
                                    status,
                                    human(retryAfter.get()),
                                    human(options.maxRetryAfter())),
                            status,
                            status == 429 ? "TOOMANYREQUESTS" : "");
                }
                attempt++;
                int retry = attempt;
                Duration delay = retryAfter.orElseGet(() -> backoff.delay(retry));
                listener.retrying(
                        host,
                        message.getMethod(),
                        uri.getRawPath(),
                        "HTTP " + status,
                        delay,
                        attempt);
                // Not drained: a registry that answers 5xx with a slow or endless body must not
                // hold the retry up.
                response.abort();
                if (status == 429 || status == 503) {
                    backoff.pause(
                            host, delay); // every request to this host waits, not only this one
                } else {
                    sleep(delay, registry, what);
                }
                continue;
            }
            return response;
        }
    }

    private Response attempt(HttpUriRequestBase message, URI uri, ExchangeKind kind)
            throws IOException {
        requests.incrementAndGet();
        Watchdog.Watch watch =
                kind == ExchangeKind.SMALL
                        ? watchdog.deadline(message::cancel, options.exchangeTimeout())
                        : watchdog.transfer(
                                message::cancel,
                                options.transferTimeout(),
                                options.minTransferRate(),
                                options.stallWindow());
        if (kind == ExchangeKind.UPLOAD && message.getEntity() != null) {
            message.setEntity(
                    new WatchedEntity(
                            message.getEntity(), watch, options.exchangeTimeout().multipliedBy(2)));
        }
        try {
            Response response =
                    new Response(
                            http.executeOpen(
                                    null, message, HttpClientFactory.context(options, uri)),
                            watch,
                            uri,
                            message);
            // The answer is here; its body is waited on only while it is read.
            watch.stopWaiting();
            return response;
        } catch (IOException | RuntimeException e) {
            watch.close();
            if (watch.reason() != null) {
                throw new CutOff(watch.reason(), e);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            // HttpClient reports some malformed answers as runtime exceptions; they are I/O
            // failures to us.
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * A connection refused, or a host that no route or name leads to: nobody is there to answer,
     * and asking again seconds later only makes a build wait (an offline laptop, a registry that is
     * down). A connection that drops once made keeps its retries.
     */
    static boolean nobodyThere(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException
                    || t instanceof java.net.NoRouteToHostException
                    || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * An answer that broke HTTP's rules or imagegate's limits, as opposed to a connection that
     * failed.
     */
    static boolean malformed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.hc.core5.http.MessageConstraintException
                    || t instanceof org.apache.hc.client5.http.ClientProtocolException
                    || (t instanceof org.apache.hc.core5.http.MalformedChunkCodingException
                            && !(t instanceof org.apache.hc.core5.http.TruncatedChunkException))
                    || t instanceof org.apache.hc.core5.http.ProtocolException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The error for an exchange the watchdog cut off: no answer in time, or a transfer that
     * stalled.
     */
    RegistryException cutOffError(
            String registry, String what, Watchdog.Reason reason, Throwable cause) {
        Message message =
                reason == Watchdog.Reason.STALLED
                        ? Message.of(
                                "registry.stalled",
                                "{0} stalled during {1}: less than {2} per second over {3}; the transfer was"
                                        + " aborted",
                                registry,
                                what,
                                human(options.minTransferRate()),
                                human(options.stallWindow()))
                        : Message.of(
                                "registry.no-answer",
                                "{0} did not finish answering {1} within {2}; imagegate gave up waiting (the"
                                        + " registry is overloaded, or holds connections open)",
                                registry,
                                what,
                                human(options.exchangeTimeout()));
        return RegistryException.unreachable(ErrorKind.TRANSIENT, message, cause);
    }

    private void awaitPause(String host, String registry, String what) {
        try {
            backoff.await(host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageGateException.of(
                    ErrorKind.INTERRUPTED,
                    "registry.interrupted",
                    "interrupted while waiting to send {0} to {1}",
                    what,
                    registry);
        }
    }

    private static void sleep(Duration delay, String registry, String what) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageGateException.of(
                    ErrorKind.INTERRUPTED,
                    "registry.interrupted",
                    "interrupted while waiting to send {0} to {1}",
                    what,
                    registry);
        }
    }

    private static URI uriOf(HttpUriRequestBase message) {
        try {
            return message.getUri();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String human(Duration d) {
        long seconds = d.toSeconds();
        if (seconds >= 86_400 * 365) {
            return "more than a year";
        }
        if (seconds >= 3600) {
            return (seconds / 3600)
                    + " h"
                    + (seconds % 3600 >= 60 ? " " + (seconds % 3600) / 60 + " min" : "");
        }
        if (seconds >= 60) {
            return (seconds / 60) + " min" + (seconds % 60 > 0 ? " " + seconds % 60 + " s" : "");
        }
        return seconds > 0 ? seconds + " s" : d.toMillis() + " ms";
    }

    static String human(long bytes) {
        return bytes >= 1024 * 1024
                ? (bytes / (1024 * 1024)) + " MiB"
                : bytes >= 1024 ? (bytes / 1024) + " KiB" : bytes + " B";
    }

    /** Cuts off every exchange under way. */
    void abortAll() {
        watchdog.cutAll();
    }

    /** Cuts off every exchange under way and every later one. */
    void cancel() {
        watchdog.cutAllFromNowOn();
    }

    @Override
    public void close() {
        watchdog.close();
    }

    /** The watchdog cut the exchange off. */
    static final class CutOff extends IOException {
        private static final long serialVersionUID = 1L;
        final transient Watchdog.Reason reason;

        CutOff(Watchdog.Reason reason, Throwable cause) {
            super(reason.name(), cause);
            this.reason = reason;
        }
    }

    /**
     * A request body's stream that counts the bytes written, and the time spent writing them, for
     * the watchdog.
     */
    private static final class Counted extends FilterOutputStream {
        private final Watchdog.Watch watch;

        Counted(OutputStream out, Watchdog.Watch watch) {
            super(out);
            this.watch = watch;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            watch.waitOnRegistry();
            try {
                out.write(b, off, len);
            } finally {
                watch.stopWaiting();
            }
            watch.moved(len);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() throws IOException {
            watch.waitOnRegistry();
            try {
                out.flush();
            } finally {
                watch.stopWaiting();
            }
        }
    }

    /**
     * Counts request-body bytes for the watchdog; once the body is sent, the answer gets a
     * deadline.
     */
    private static final class WatchedEntity extends HttpEntityWrapper {
        private final Watchdog.Watch watch;
        private final Duration answerLimit;

        WatchedEntity(HttpEntity entity, Watchdog.Watch watch, Duration answerLimit) {
            super(entity);
            this.watch = watch;
            this.answerLimit = answerLimit;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            // Until the answer is awaited, only the time inside writes is the registry's: the body
            // reads its source.
            watch.stopWaiting();
            super.writeTo(new Counted(out, watch));
            watch.awaitAnswer(answerLimit);
        }
    }
}
