package io.imagegate.reference;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A normalized image reference: {@code registry/repository[:tag][@digest]}.
 *
 * <p>Parsing follows the distribution reference grammar and Docker's normalization: the first path
 * part is a registry only if it contains {@code .} or {@code :} or is {@code localhost}; the Docker
 * Hub aliases become {@code docker.io}, one-part Hub names get {@code library/}, and a reference
 * with neither tag nor digest gets {@code latest}. With both a tag and a digest, both are kept and
 * the digest decides what is pulled.
 */
public final class ImageReference {
    public static final String DOCKER_HUB = "docker.io";

    /** The host that serves Docker Hub's registry API. */
    public static final String DOCKER_HUB_API = "registry-1.docker.io";

    public static final String DEFAULT_TAG = "latest";
    public static final int NAME_TOTAL_LENGTH_MAX = 255;

    private static final Set<String> DOCKER_HUB_ALIASES =
            Set.of(
                    "docker.io",
                    "index.docker.io",
                    "registry-1.docker.io",
                    "registry.hub.docker.com");

    private static final String DOMAIN_COMPONENT =
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String IPV6 = "\\[[a-fA-F0-9:]+\\]";
    private static final Pattern DOMAIN =
            Pattern.compile("(?:" + DOMAIN_NAME + "|" + IPV6 + ")(?::[0-9]+)?");
    private static final Pattern PATH_COMPONENT =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    private final String registry;
    private final String repository;
    private final String tag;
    private final Digest digest;

    private ImageReference(String registry, String repository, String tag, Digest digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /** Builds a reference from parts that are already valid; the registry is normalized. */
    public static ImageReference of(String registry, String repository, String tag, Digest digest) {
        String text =
                registry
                        + "/"
                        + repository
                        + (tag == null ? "" : ":" + tag)
                        + (digest == null ? "" : "@" + digest);
        String normalizedRegistry = normalizeRegistry(registry);
        validateRepository(text, repository);
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new InvalidReferenceException(text, tagRule(tag));
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        checkTotalLength(text, normalizedRegistry, repository);
        return new ImageReference(normalizedRegistry, repository, tag, digest);
    }

    /** Parses and normalizes a reference as {@code docker pull} would. */
    public static ImageReference parse(String input) {
        if (input == null || input.isEmpty()) {
            throw new InvalidReferenceException(
                    String.valueOf(input), "a reference must not be empty");
        }
        if (!input.strip().equals(input)) {
            throw new InvalidReferenceException(
                    input, "a reference must not contain leading or trailing whitespace");
        }
        String remainder = input;
        Digest digest = null;
        int at = remainder.indexOf('@');
        if (at >= 0) {
            String digestText = remainder.substring(at + 1);
            remainder = remainder.substring(0, at);
            if (digestText.isEmpty()) {
                throw new InvalidReferenceException(input, "a digest must follow '@'");
            }
            digest = parseDigest(input, digestText);
        }

        String registry;
        String path;
        int slash = remainder.indexOf('/');
        String first = slash < 0 ? null : remainder.substring(0, slash);
        if (first != null
                && (first.contains(".")
                        || first.contains(":")
                        || first.equals("localhost")
                        || !first.toLowerCase(Locale.ROOT).equals(first))) {
            registry = first;
            path = remainder.substring(slash + 1);
            if (!DOMAIN.matcher(registry).matches()) {
                throw new InvalidReferenceException(
                        input, "\"" + registry + "\" is not a valid registry host[:port]");
            }
        } else {
            registry = DOCKER_HUB;
            path = remainder;
        }

        String tag = null;
        int lastSlash = path.lastIndexOf('/');
        int colon = path.indexOf(':', lastSlash + 1);
        if (colon >= 0) {
            tag = path.substring(colon + 1);
            path = path.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidReferenceException(input, tagRule(tag));
            }
        }

        registry = normalizeRegistry(registry);
        if (registry.equals(DOCKER_HUB) && !path.contains("/") && !path.isEmpty()) {
            path = "library/" + path;
        }
        validateRepository(input, path);
        checkTotalLength(input, registry, path);
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
        return new ImageReference(registry, path, tag, digest);
    }

    private static Digest parseDigest(String input, String digestText) {
        try {
            return Digest.parse(digestText);
        } catch (InvalidReferenceException e) {
            String rule = e.getMessage().substring(e.getMessage().indexOf("\": ") + 3);
            throw new InvalidReferenceException(input, rule);
        }
    }

    private static String tagRule(String tag) {
        if (tag.isEmpty()) {
            return "a tag must follow ':'";
        }
        if (tag.length() > 128) {
            return "a tag is at most 128 characters (this one has " + tag.length() + ")";
        }
        return "tag \""
                + tag
                + "\" must start with a letter, digit or '_' and contain only letters, digits, '_', '.' and '-'";
    }

    /**
     * A registry written alone ({@code host[:port]}, as credentials and settings name one) as
     * references key it: lower case, {@code docker.io} for Docker Hub and its aliases. Empty when
     * it is not a valid {@code host[:port]}.
     */
    public static Optional<String> registryKey(String hostPort) {
        if (hostPort == null || !DOMAIN.matcher(hostPort).matches()) {
            return Optional.empty();
        }
        return Optional.of(normalizeRegistry(hostPort).toLowerCase(Locale.ROOT));
    }

    private static String normalizeRegistry(String registry) {
        String lower = registry.toLowerCase(Locale.ROOT);
        return DOCKER_HUB_ALIASES.contains(lower) ? DOCKER_HUB : registry;
    }

    private static void validateRepository(String input, String repository) {
        if (repository.isEmpty()) {
            throw new InvalidReferenceException(input, "the repository name is missing");
        }
        String lowered = repository.toLowerCase(Locale.ROOT);
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                if (!lowered.equals(repository) && allComponentsValid(lowered)) {
                    throw new InvalidReferenceException(input, "repository name must be lowercase");
                }
                throw new InvalidReferenceException(
                        input,
                        component.isEmpty()
                                ? "the repository has an empty path component"
                                : "repository path component \""
                                        + component
                                        + "\" must be lowercase letters and digits, separated by '.', '_', '__' or '-'");
            }
        }
    }

    private static boolean allComponentsValid(String repository) {
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return false;
            }
        }
        return true;
    }

    private static void checkTotalLength(String input, String registry, String repository) {
        int length = registry.length() + 1 + repository.length();
        if (length > NAME_TOTAL_LENGTH_MAX) {
            throw new InvalidReferenceException(
                    input,
                    "the repository name is longer than " + NAME_TOTAL_LENGTH_MAX + " characters");
        }
    }

    /**
     * The registry as named, normalized: {@code docker.io}, {@code localhost:5000}, {@code
     * myacr.azurecr.io}.
     */
    public String registry() {
        return registry;
    }

    /**
     * The host[:port] that serves the registry API ({@code registry-1.docker.io} for Docker Hub).
     */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
    }

    /** The repository path, e.g. {@code library/alpine}. */
    public String repository() {
        return repository;
    }

    /** {@code registry/repository}. */
    public String name() {
        return registry + "/" + repository;
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digest() {
        return Optional.ofNullable(digest);
    }

    /** Pinned: a digest decides which bytes are pulled. */
    public boolean isPinned() {
        return digest != null;
    }

    /**
     * What goes in {@code /v2/<name>/manifests/<reference>}: the digest when there is one, else the
     * tag.
     */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    public ImageReference withTag(String newTag) {
        return of(registry, repository, newTag, digest);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(
                registry, repository, tag, Objects.requireNonNull(newDigest, "digest"));
    }

    /**
     * The same name and tag, without the digest (tag {@code latest} if there was only a digest).
     */
    public ImageReference withoutDigest() {
        return new ImageReference(registry, repository, tag == null ? DEFAULT_TAG : tag, null);
    }

    /** The same name with only the digest. */
    public ImageReference byDigest(Digest pin) {
        return new ImageReference(
                registry, repository, null, Objects.requireNonNull(pin, "digest"));
    }

    public ImageReference withName(String newRegistry, String newRepository) {
        return of(newRegistry, newRepository, tag, digest);
    }

    /** Whether the registry is on this machine (plain HTTP is allowed there). */
    public boolean isLoopbackRegistry() {
        return isLoopbackHost(hostOf(registry));
    }

    /**
     * Whether {@code host} (no port) is this machine's loopback: {@code localhost}, an IPv4 address
     * in 127/8, or {@code ::1}. A name that merely starts with {@code 127.} ({@code
     * 127.0.0.1.example.net}) is not.
     */
    public static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost")
                || h.matches("127(\\.\\d{1,3}){3}")
                || h.equals("[::1]")
                || h.equals("::1");
    }

    /** The host part of {@code host[:port]}, keeping IPv6 brackets. */
    public static String hostOf(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            int end = hostAndPort.indexOf(']');
            return hostAndPort.substring(0, end + 1);
        }
        int colon = hostAndPort.indexOf(':');
        return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    }

    /** The fully normalized form, e.g. {@code docker.io/library/alpine:3.20@sha256:…}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(registry).append('/').append(repository);
        if (tag != null) {
            out.append(':').append(tag);
        }
        if (digest != null) {
            out.append('@').append(digest);
        }
        return out.toString();
    }

    /**
     * The short form Docker prints: {@code alpine:3.20}, {@code prom/prometheus}, {@code
     * quay.io/x/y:1}.
     */
    public String familiarString() {
        int slash = repository.indexOf('/');
        String first = slash < 0 ? "" : repository.substring(0, slash);
        // docker.io/ker.io/x stays whole: as ker.io/x it would name the registry ker.io.
        boolean readsAsRegistry =
                first.contains(".") || first.contains(":") || first.equals("localhost");
        String name =
                registry.equals(DOCKER_HUB) && !readsAsRegistry
                        ? (repository.startsWith("library/") && repository.indexOf('/', 8) < 0
                                ? repository.substring(8)
                                : repository)
                        : name();
        StringBuilder out = new StringBuilder(name);
        if (tag != null) {
            out.append(':').append(tag);
        }
        if (digest != null) {
            out.append('@').append(digest);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference other
                && registry.equals(other.registry)
                && repository.equals(other.repository)
                && Objects.equals(tag, other.tag)
                && Objects.equals(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }
}
