package io.imagegate.dockerfile;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * containerd's platforms.Parse, as BuildKit applies it to {@code FROM --platform=}: only whether it
 * accepts a value.
 */
final class PlatformSpecifier {
    private static final Pattern SPECIFIER = Pattern.compile("^[A-Za-z0-9_.-]+\\z");
    private static final Pattern OS =
            Pattern.compile(
                    "^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.%-]*)((?:\\+[A-Za-z0-9_.%-]+)*)\\))?\\z");
    private static final Set<String> KNOWN_OS =
            Set.of(
                    "aix",
                    "android",
                    "darwin",
                    "dragonfly",
                    "freebsd",
                    "hurd",
                    "illumos",
                    "ios",
                    "js",
                    "linux",
                    "nacl",
                    "netbsd",
                    "openbsd",
                    "plan9",
                    "solaris",
                    "windows",
                    "zos");
    private static final Set<String> KNOWN_ARCH =
            Set.of(
                    "386",
                    "amd64",
                    "amd64p32",
                    "arm",
                    "armbe",
                    "arm64",
                    "arm64be",
                    "ppc64",
                    "ppc64le",
                    "loong64",
                    "mips",
                    "mipsle",
                    "mips64",
                    "mips64le",
                    "mips64p32",
                    "mips64p32le",
                    "ppc",
                    "riscv",
                    "riscv64",
                    "s390",
                    "s390x",
                    "sparc",
                    "sparc64",
                    "wasm");

    private PlatformSpecifier() {}

    /** Null when containerd accepts {@code specifier}, else why not. */
    static String check(String specifier) {
        if (specifier.contains("*")) {
            return "\"" + specifier + "\": wildcards not yet supported";
        }
        String[] parts = specifier.split("/", 4);
        for (int i = 0; i < parts.length; i++) {
            if (i == 0) {
                Matcher m = OS.matcher(parts[0]);
                if (!m.matches()) {
                    return "\""
                            + parts[0]
                            + "\" is an invalid OS component of \""
                            + specifier
                            + "\"";
                }
                if (m.group(2) != null && !unescapes(m.group(2))) {
                    return "\"" + specifier + "\" has an invalid OS version";
                }
                if (m.group(3) != null && !m.group(3).isEmpty()) {
                    for (String feature : m.group(3).substring(1).split("\\+", -1)) {
                        if (feature.isBlank() || !unescapes(feature.strip())) {
                            return "\"" + specifier + "\" has invalid OS features";
                        }
                    }
                }
            } else if (!SPECIFIER.matcher(parts[i]).matches()) {
                return "\"" + parts[i] + "\" is an invalid component of \"" + specifier + "\"";
            }
        }
        switch (parts.length) {
            case 1 -> {
                String os = GoText.toLower(osName(parts[0]));
                if (os.equals("macos")) {
                    os = "darwin";
                }
                if (KNOWN_OS.contains(os)) {
                    return null;
                }
                if (KNOWN_ARCH.contains(normalizeArch(parts[0]))) {
                    return null;
                }
                return "\"" + specifier + "\": unknown operating system or architecture";
            }
            case 2, 3 -> {
                return null;
            }
            default -> {
                return "\"" + specifier + "\": cannot parse platform specifier";
            }
        }
    }

    private static String osName(String part) {
        int paren = part.indexOf('(');
        return paren < 0 ? part : part.substring(0, paren);
    }

    private static String normalizeArch(String arch) {
        String a = GoText.toLower(arch);
        return switch (a) {
            case "i386" -> "386";
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "armhf", "armel" -> "arm";
            default -> a;
        };
    }

    /** url.PathUnescape accepts it: every % starts two hex digits. */
    private static boolean unescapes(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) == '%') {
                if (i + 2 >= v.length() || !isHex(v.charAt(i + 1)) || !isHex(v.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
