package io.imagegate.registry;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The SSL context: the JVM's trust store, plus the CA certificates of an optional PEM file. */
final class TlsContexts {
    private TlsContexts() {}

    static SSLContext create(Optional<Path> caFile) {
        try {
            X509TrustManager system = trustManager(null);
            X509TrustManager trust =
                    caFile.isEmpty()
                            ? system
                            : new EitherTrustManager(system, trustManager(load(caFile.get())));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Fails early, with the file named, when the CA file cannot be used. */
    static void checkReadable(Path caFile) {
        try {
            load(caFile);
        } catch (GeneralSecurityException e) {
            throw ImageGateException.configuration(
                    "tls.ca-unusable",
                    "the CA file {0} ({1}) cannot be used: {2}",
                    caFile,
                    Field.CA_FILE,
                    String.valueOf(e.getMessage()));
        }
    }

    private static KeyStore load(Path caFile) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        // A device or FIFO named as the CA file would be read forever; a real CA bundle is small.
        try {
            if (!Files.isRegularFile(caFile)) {
                throw ImageGateException.configuration(
                        "tls.ca-not-file",
                        "the CA file {0} ({1}) is not a regular file",
                        caFile,
                        Field.CA_FILE);
            }
            if (Files.size(caFile) > 4 * 1024 * 1024) {
                throw ImageGateException.configuration(
                        "tls.ca-too-large",
                        "the CA file {0} ({1}) is larger than 4 MiB; give a PEM"
                                + " file of CA certificates",
                        caFile,
                        Field.CA_FILE);
            }
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "tls.ca-unreadable",
                    "cannot read the CA file {0} ({1}): {2}",
                    caFile,
                    Field.CA_FILE,
                    String.valueOf(e.getMessage()));
        }
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "tls.ca-unreadable",
                    "cannot read the CA file {0} ({1}): {2}",
                    caFile,
                    Field.CA_FILE,
                    String.valueOf(e.getMessage()));
        } catch (CertificateException e) {
            throw ImageGateException.configuration(
                    "tls.ca-invalid",
                    "the CA file {0} ({1}) holds no valid PEM certificate",
                    caFile,
                    Field.CA_FILE);
        }
        if (certificates.isEmpty()) {
            throw ImageGateException.configuration(
                    "tls.ca-empty",
                    "the CA file {0} ({1}) holds no certificate; give a PEM file with"
                            + " -----BEGIN CERTIFICATE----- blocks",
                    caFile,
                    Field.CA_FILE);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509TrustManager");
    }

    /** Trusts what either the JVM or the CA file trusts. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second)
            implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            try {
                first.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkClientTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
            all.addAll(List.of(second.getAcceptedIssuers()));
            return all.toArray(new X509Certificate[0]);
        }
    }
}
