package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Platform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing every front end needs, once: true/false switches, lists written as {@code a,b}, platform
 * lists, build args, sizes, durations, and registry entries (credentials from the environment, CA
 * files). Errors are usage errors naming the field.
 */
public final class Inputs {
    private static final Pattern SIZE =
            Pattern.compile("(\\d{1,12})\\s*([kmg]i?b?)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION =
            Pattern.compile("(\\d{1,9})\\s*(ms|s|m|min|h|d)?", Pattern.CASE_INSENSITIVE);

    private Inputs() {}

    /**
     * A switch given as text: exactly {@code true} or {@code false}; anything else is refused,
     * never read as false. {@code Boolean.valueOf} reads {@code yes}, {@code 1}, {@code ture},
     * {@code TRUE } and an empty value as false, which would quietly turn a check such as
     * requireVetted off. Lower case only, as the pipeline library takes only the Booleans {@code
     * true} and {@code false} (no text at all).
     */
    public static boolean bool(Field field, String text) {
        return bool(field, field, text);
    }

    /**
     * {@link #bool(Field, String)} for a switch of a front end's own that no operation takes (a
     * goal's skip): {@code name} is the switch as that front end spells it.
     */
    public static boolean bool(String name, String text) {
        return bool(null, name, text);
    }

    private static boolean bool(Field field, Object name, String text) {
        if ("true".equals(text)) {
            return true;
        }
        if ("false".equals(text)) {
            return false;
        }
        if (text == null) {
            throw ImageGateException.usage(
                    field, "input.boolean", "{0} has no value; give true or false", name);
        }
        throw ImageGateException.usage(
                field, "input.boolean", "{0}: \"{1}\" is not true or false", name, text);
    }

    /**
     * Splits comma-separated values (each trimmed); blank items are refused, an empty list stays
     * empty.
     */
    public static List<String> list(Field field, List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String item : value.split(",", -1)) {
                String trimmed = item.strip();
                if (trimmed.isEmpty()) {
                    throw ImageGateException.usage(
                            field,
                            "input.empty-item",
                            "\"{0}\" ({1}) has an empty item; separate values with"
                                    + " single commas",
                            value,
                            field);
                }
                out.add(trimmed);
            }
        }
        return out;
    }

    /**
     * {@code os/arch[/variant]} values, comma-separated or repeated; {@code ,} alone is an error,
     * not "all".
     */
    public static List<Platform> platforms(Field field, List<String> values) {
        List<Platform> out = new ArrayList<>();
        for (String text : list(field, values)) {
            try {
                out.add(Platform.parse(text));
            } catch (ImageGateException e) {
                throw ImageGateException.usage(
                        field,
                        "input.platform",
                        "invalid platform \"{0}\" ({1}): use os/architecture[/variant],"
                                + " e.g. linux/amd64 or linux/arm64/v8",
                        text,
                        field);
            }
        }
        return out;
    }

    /** One platform, or null for none. */
    public static Platform platform(Field field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        List<Platform> all = platforms(field, List.of(value));
        if (all.size() != 1) {
            throw ImageGateException.usage(
                    field, "input.one-platform", "give one platform ({0}), not {1}", field, value);
        }
        return all.get(0);
    }

    /** {@code KEY=VALUE} pairs, as docker build takes build args. */
    public static Map<String, String> keyValues(Field field, List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair == null ? -1 : pair.indexOf('=');
            if (eq <= 0 || !pair.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw ImageGateException.usage(
                        field,
                        "input.key-value",
                        "\"{0}\" ({1}) must be KEY=VALUE with a KEY of letters, digits"
                                + " and underscores",
                        String.valueOf(pair),
                        field);
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    /**
     * A size: a number of MiB, or with a unit ({@code 512k}, {@code 64m}, {@code 1g}); at least 1
     * KiB, at most 4 GiB.
     */
    public static long size(Field field, String text) {
        Matcher m = text == null ? null : SIZE.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw ImageGateException.usage(
                    field,
                    "input.size",
                    "\"{0}\" ({1}) is not a size; give MiB (64) or a unit (512k, 64m, 1g)",
                    String.valueOf(text),
                    field);
        }
        long n = Long.parseLong(m.group(1));
        String unit =
                m.group(2) == null ? "m" : m.group(2).substring(0, 1).toLowerCase(Locale.ROOT);
        long bytes =
                switch (unit) {
                    case "k" -> n * 1024;
                    case "g" -> n * 1024 * 1024 * 1024;
                    default -> n * 1024 * 1024;
                };
        if (bytes < 1024 || bytes > 4L * 1024 * 1024 * 1024) {
            throw ImageGateException.usage(
                    field,
                    "input.size-range",
                    "the size {0} ({1}) must be between 1 KiB and 4 GiB",
                    text,
                    field);
        }
        return bytes;
    }

    /**
     * A duration: seconds ({@code 600}) or with a unit ({@code 10m}, {@code 2h}, {@code 1d});
     * positive and at most a year.
     */
    public static Duration duration(Field field, String text) {
        Matcher m = text == null ? null : DURATION.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw ImageGateException.usage(
                    field,
                    "input.duration",
                    "\"{0}\" ({1}) is not a duration; give seconds (600) or a unit"
                            + " (10m, 2h, 1d)",
                    String.valueOf(text),
                    field);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        Duration d =
                switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m", "min" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofSeconds(n);
                };
        if (d.isZero() || d.compareTo(Duration.ofDays(366)) > 0) {
            throw ImageGateException.usage(
                    field,
                    "input.duration-range",
                    "the duration {0} ({1}) must be positive and at most a year",
                    text,
                    field);
        }
        return d;
    }

    /**
     * The registry an image reference names, as credentials and registry settings are keyed: {@code
     * host[:port]} in lower case, {@code docker.io} for Docker Hub (its aliases included). A usage
     * error naming the field when it is not a valid reference.
     */
    public static String registry(Field field, String reference) {
        return Specs.reference(field, reference).registry().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code REGISTRY=VAR} (VAR holds {@code user:password}) or {@code REGISTRY=USER_VAR:PASS_VAR}:
     * that registry's credentials, read from the environment when first needed. The entry is not
     * quoted in the error: one written wrong may hold the password itself.
     */
    public static RegistrySettings environmentCredentials(Field field, String entry) {
        String text = entry == null ? "" : entry.strip();
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw ImageGateException.usage(
                    field,
                    "input.credentials-env",
                    "{0} takes REGISTRY=VAR or REGISTRY=USER_VAR:PASS_VAR",
                    field);
        }
        return RegistrySettings.of(text.substring(0, eq).strip())
                .withCredentials(CredentialRef.environment(text.substring(eq + 1).strip(), field));
    }

    /**
     * {@code FILE}, trusted for every registry, or {@code HOST[:PORT]=FILE}, for that one: a PEM
     * file of CA certificates.
     */
    public static RegistrySettings caFile(String entry) {
        String text = entry == null ? "" : entry.strip();
        int eq = text.indexOf('=');
        return eq > 0
                ? RegistrySettings.of(text.substring(0, eq).strip())
                        .withCaFile(text.substring(eq + 1).strip())
                : RegistrySettings.defaults().withCaFile(text);
    }

    /**
     * A registry ({@code host[:port]}) read without stored credentials, as {@code field} names it;
     * a usage error when it is not a registry (a URL or an image name is not).
     */
    public static RegistrySettings anonymousRegistry(Field field, String host) {
        String text = host == null ? "" : host.strip();
        java.util.Optional<String> key = io.imagegate.reference.ImageReference.registryKey(text);
        if (key.isEmpty()) {
            throw ImageGateException.usage(
                    field,
                    "anonymous.invalid",
                    "\"{0}\" ({1}) is not a registry: write it as host[:port] without a scheme or"
                            + " path, e.g. docker.io",
                    text,
                    field);
        }
        return RegistrySettings.of(key.get()).withAnonymous(true);
    }

    /**
     * {@code text} (an image reference) as one file name, for report directories: every character
     * but letters, digits, {@code .}, {@code _} and {@code -} made {@code _} ({@code
     * docker.io/library/alpine:3.20} gives {@code docker.io_library_alpine_3.20}), never starting
     * with {@code .}, at most 120 characters.
     */
    public static String fileName(String text) {
        String name = (text == null ? "" : text.strip()).replaceAll("[^A-Za-z0-9._-]", "_");
        name = name.isEmpty() || name.startsWith(".") ? "_" + name : name;
        return name.length() > 120 ? name.substring(0, 120) : name;
    }
}
