package io.imagegate.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** I/O failures in a person's words: no Java class names, no stack frames. */
final class IoErrors {
    private IoErrors() {}

    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        if (e instanceof ConnectException) {
            return "connection refused" + (message.isEmpty() ? "" : " (" + message + ")");
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer in time";
        }
        if (e instanceof SSLHandshakeException) {
            return "the TLS handshake failed: " + message;
        }
        if (e instanceof SSLException) {
            return "TLS error: " + message;
        }
        String type = e.getClass().getSimpleName();
        if (type.equals("NoHttpResponseException")) {
            return "the server closed the connection without answering";
        }
        if (type.equals("ConnectionClosedException") || type.equals("TruncatedChunkException")) {
            return "the connection was closed before the answer was complete";
        }
        if (type.equals("RequestFailedException") || e instanceof InterruptedIOException) {
            return "the request was cancelled";
        }
        if (type.equals("MessageConstraintException")) {
            return "the answer broke a limit (" + message + ")";
        }
        if (type.contains("Protocol") || type.equals("MalformedChunkCodingException")) {
            return "the answer is not valid HTTP (" + message + ")";
        }
        if (e instanceof IOException) {
            return message.isEmpty() ? "an I/O error" : message;
        }
        return message.isEmpty() ? "an unexpected error" : message;
    }
}
