package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One part of a sync file, {@code index} of {@code count} (0-based). An image belongs to the shard
 * its <em>target repository</em> hashes to (SHA-256 of {@code registry/repository}, lower case,
 * modulo {@code count}): stable, independent of the file's order and of the other shards, and every
 * image of one repository in one shard, so no two shards ever write the same repository's referrers
 * tag.
 */
public record SyncShard(int index, int count) {
    /** The variable a Kubernetes Indexed Job sets to the pod's completion index. */
    public static final String INDEX_VARIABLE = "JOB_COMPLETION_INDEX";

    /** What {@code INDEX} may be instead of a number: the index from {@link #INDEX_VARIABLE}. */
    public static final String FROM_ENVIRONMENT = "auto";

    /** More shards than this is a typo, not a plan (a sync file lists 10,000 images at most). */
    public static final int MAX_COUNT = 10_000;

    /** The whole file. */
    public static final SyncShard ALL = new SyncShard(0, 1);

    private static final Pattern FORM = Pattern.compile("([^/]*)/([^/]*)");

    public SyncShard {
        if (count < 1 || count > MAX_COUNT || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count);
        }
    }

    /**
     * {@code INDEX/COUNT}, where {@code INDEX} is a number below {@code COUNT} or {@value
     * #FROM_ENVIRONMENT}: then the environment's {@value #INDEX_VARIABLE}. Anything else is a usage
     * error naming the input.
     */
    public static SyncShard parse(String text, Environment env) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw ImageGateException.usage(
                    Field.SHARD,
                    "sync.shard-form",
                    "the shard \"{0}\" ({1}) is not INDEX/COUNT; give e.g. 0/4 (the first of four), or"
                            + " auto/4 to read the index from the environment variable {2}",
                    String.valueOf(text),
                    Field.SHARD,
                    INDEX_VARIABLE);
        }
        int count = number(m.group(2), "COUNT", text);
        if (count < 1 || count > MAX_COUNT) {
            throw ImageGateException.usage(
                    Field.SHARD,
                    "sync.shard-count",
                    "the shard count in \"{0}\" ({1}) must be between 1 and {2}",
                    text,
                    Field.SHARD,
                    MAX_COUNT);
        }
        int index;
        if (m.group(1).equalsIgnoreCase(FROM_ENVIRONMENT)) {
            String value = env.variable(INDEX_VARIABLE);
            if (value == null || !value.strip().matches("\\d{1,9}")) {
                throw ImageGateException.usage(
                        Field.SHARD,
                        "sync.shard-environment",
                        "the shard \"{0}\" ({1}) takes its index from the environment variable {2},"
                                + " which is {3}; set it to a number (a Kubernetes Indexed Job sets it), or give the"
                                + " index itself, e.g. 0/{4}",
                        text,
                        Field.SHARD,
                        INDEX_VARIABLE,
                        value == null ? "not set" : "\"" + value + "\", not a number",
                        count);
            }
            index = Integer.parseInt(value.strip());
        } else {
            index = number(m.group(1), "INDEX", text);
        }
        if (index >= count) {
            throw ImageGateException.usage(
                    Field.SHARD,
                    "sync.shard-index",
                    "the shard index {0} of \"{1}\" ({2}) must be below the count {3}: shards are"
                            + " numbered from 0",
                    index,
                    text,
                    Field.SHARD,
                    count);
        }
        return new SyncShard(index, count);
    }

    private static int number(String part, String what, String text) {
        if (!part.strip().matches("\\d{1,9}")) {
            throw ImageGateException.usage(
                    Field.SHARD,
                    "sync.shard-number",
                    "the {0} of the shard \"{1}\" ({2}) is not a number",
                    what,
                    text,
                    Field.SHARD);
        }
        return Integer.parseInt(part.strip());
    }

    /** The shard of an image whose target is {@code target}, as a sync file writes it. */
    public static int of(String target, int count) {
        String key;
        try {
            ImageReference ref = ImageReference.parse(target.strip());
            key = ref.registry() + "/" + ref.repository();
        } catch (RuntimeException e) {
            // not a reference: it fails in whichever one shard this text lands in
            key = target;
        }
        String hex =
                Digest.sha256(key.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)).hex();
        return new BigInteger(hex, 16).mod(BigInteger.valueOf(count)).intValue();
    }

    /** Whether the image whose target is {@code target} is this shard's. */
    public boolean holds(String target) {
        return count == 1 || of(target, count) == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
