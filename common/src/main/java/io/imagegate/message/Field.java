package io.imagegate.message;

import java.util.Locale;

/**
 * The inputs of imagegate's operations, by id. A message that names an input names its field; each
 * front end renders it in its own words ({@code --force}, {@code <force>} / {@code
 * -Dregistry.force}, {@code force: true}) through a {@link Vocabulary}, so the library never writes
 * a CLI flag.
 */
public enum Field {
    SOURCE,
    TARGET,
    MAP,
    PLATFORM,
    FORCE,
    PARALLEL,
    CHUNK_SIZE,
    REFERRERS,
    SOURCE_CREDENTIALS,
    TARGET_CREDENTIALS,
    REGISTRY_CREDENTIALS,
    INSECURE_REGISTRY,
    ANONYMOUS,
    CA_FILE,
    IMAGE,
    POLICY,
    REPORT_DIR,
    TRIVY,
    CACHE_DIR,
    SKIP_DB_UPDATE,
    SKIP_JAVA_DB_UPDATE,
    OFFLINE_SCAN,
    DB_REPOSITORY,
    TIMEOUT,
    SEVERITY,
    SCAN_SERVER,
    QUARANTINE,
    ANY_POLICY,
    SYNC_FILE,
    SHARD,
    SUMMARY_JSON,
    RESCAN_OLDER_THAN,
    DOCKERFILES,
    BUILD_ARG,
    TRUSTED,
    REQUIRE_DIGEST,
    REQUIRE_VETTED,
    PIN,
    PIN_PLATFORM,
    CHECK,
    VERIFY,
    SIGNING_KEY,
    SIGNING_KEY_PASSWORD,
    VERIFY_KEY,
    PATCH,
    SUMMARY,
    COMMIT,
    BRANCH,
    RENOVATE_DATASOURCE;

    /** The neutral id, e.g. {@code chunk-size}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The field with this id ({@code chunk-size}, also {@code chunkSize} or {@code CHUNK_SIZE}), or
     * null.
     */
    public static Field byId(String id) {
        String normalized =
                id.replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
        for (Field f : values()) {
            if (f.name().equals(normalized)) {
                return f;
            }
        }
        return null;
    }
}
