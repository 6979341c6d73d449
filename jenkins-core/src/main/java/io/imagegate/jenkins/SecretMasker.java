package io.imagegate.jenkins;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Masks secret values in log lines and messages: every occurrence becomes {@code ****}, the longest
 * value first (so a password that contains the username is masked whole). Every line a step prints,
 * on the agent and on the controller, goes through one.
 */
public final class SecretMasker {
    public static final String MASK = "****";

    private final List<String> secrets;

    private SecretMasker(List<String> secrets) {
        this.secrets = secrets;
    }

    public static SecretMasker of(Collection<String> secrets) {
        List<String> sorted = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && !s.isEmpty() && !sorted.contains(s)) {
                sorted.add(s);
            }
        }
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMasker(List.copyOf(sorted));
    }

    public static SecretMasker none() {
        return new SecretMasker(List.of());
    }

    /** The text with every secret replaced by {@value #MASK}; null stays null. */
    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }
}
