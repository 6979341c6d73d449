package io.imagegate.cli;

import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Vocabulary;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** imagegate's inputs as the command line spells them, and fixes as commands to run. */
final class CliVocabulary implements Vocabulary {
    static final CliVocabulary INSTANCE = new CliVocabulary();

    private static final Map<Field, String> SPELLING = new EnumMap<>(Field.class);

    /** Inputs given as positional parameters, in the order commands take them. */
    private static final List<Field> POSITIONAL =
            List.of(Field.SOURCE, Field.TARGET, Field.IMAGE, Field.SYNC_FILE, Field.DOCKERFILES);

    static {
        SPELLING.put(Field.SOURCE, "SOURCE");
        SPELLING.put(Field.TARGET, "TARGET");
        SPELLING.put(Field.MAP, "--map");
        SPELLING.put(Field.PLATFORM, "--platform");
        SPELLING.put(Field.FORCE, "--force");
        SPELLING.put(Field.PARALLEL, "--parallel");
        SPELLING.put(Field.CHUNK_SIZE, "--chunk-size");
        SPELLING.put(Field.REFERRERS, "--referrers");
        SPELLING.put(Field.SOURCE_CREDENTIALS, "--src-creds-env");
        SPELLING.put(Field.TARGET_CREDENTIALS, "--dst-creds-env");
        SPELLING.put(Field.REGISTRY_CREDENTIALS, "--creds-env");
        SPELLING.put(Field.INSECURE_REGISTRY, "--insecure-registry");
        SPELLING.put(Field.ANONYMOUS, "--anonymous");
        SPELLING.put(Field.CA_FILE, "--ca-file");
        SPELLING.put(Field.IMAGE, "IMAGE");
        SPELLING.put(Field.POLICY, "--policy");
        SPELLING.put(Field.REPORT_DIR, "--report-dir");
        SPELLING.put(Field.TRIVY, "--trivy");
        SPELLING.put(Field.CACHE_DIR, "--cache-dir");
        SPELLING.put(Field.SKIP_DB_UPDATE, "--skip-db-update");
        SPELLING.put(Field.SKIP_JAVA_DB_UPDATE, "--skip-java-db-update");
        SPELLING.put(Field.OFFLINE_SCAN, "--offline-scan");
        SPELLING.put(Field.DB_REPOSITORY, "--db-repository");
        SPELLING.put(Field.TIMEOUT, "--timeout");
        SPELLING.put(Field.SEVERITY, "--severity");
        SPELLING.put(Field.SCAN_SERVER, "--trivy-server");
        SPELLING.put(Field.QUARANTINE, "--quarantine");
        SPELLING.put(Field.ANY_POLICY, "--any-policy");
        SPELLING.put(Field.SYNC_FILE, "FILE");
        SPELLING.put(Field.SHARD, "--shard");
        SPELLING.put(Field.SUMMARY_JSON, "--summary-json");
        SPELLING.put(Field.RESCAN_OLDER_THAN, "--rescan-older-than");
        SPELLING.put(Field.DOCKERFILES, "FILE|GLOB");
        SPELLING.put(Field.BUILD_ARG, "--build-arg");
        SPELLING.put(Field.TRUSTED, "--trusted");
        SPELLING.put(Field.REQUIRE_DIGEST, "--require-digest");
        SPELLING.put(Field.REQUIRE_VETTED, "--require-vetted");
        SPELLING.put(Field.PIN, "--pin");
        SPELLING.put(Field.PIN_PLATFORM, "--pin-platform");
        SPELLING.put(Field.CHECK, "--check");
        SPELLING.put(Field.VERIFY, "--verify");
        SPELLING.put(Field.SIGNING_KEY, "--signing-key");
        SPELLING.put(Field.VERIFY_KEY, "--verify-key");
        SPELLING.put(Field.PATCH, "--patch");
        SPELLING.put(Field.SUMMARY, "--summary");
        SPELLING.put(Field.COMMIT, "--commit");
        SPELLING.put(Field.BRANCH, "--branch");
        SPELLING.put(Field.RENOVATE_DATASOURCE, "--renovate-datasource");
    }

    /** Inputs the CLI reads from its environment only, never from an option: secrets. */
    static final Map<Field, String> ENVIRONMENT =
            Map.of(
                    Field.SIGNING_KEY_PASSWORD,
                    "the environment variable IMAGEGATE_SIGNING_KEY_PASSWORD (or COSIGN_PASSWORD)");

    private CliVocabulary() {}

    @Override
    public String field(Field field) {
        String variable = ENVIRONMENT.get(field);
        return variable != null ? variable : SPELLING.getOrDefault(field, field.id());
    }

    /** {@code imagegate vet SOURCE TARGET}, {@code imagegate rewrite --map =P --pin Dockerfile}. */
    @Override
    public String fix(Fix fix) {
        StringBuilder out = new StringBuilder("imagegate ").append(fix.operation().id());
        fix.inputs()
                .forEach(
                        (field, value) -> {
                            if (POSITIONAL.contains(field)) {
                                return;
                            }
                            // several mapping rules: one --map each, as the option takes them
                            List<String> values =
                                    field == Field.MAP ? List.of(value.split(",")) : List.of(value);
                            for (String one : values) {
                                out.append(' ').append(field(field));
                                if (!one.equals("true")) {
                                    out.append(' ').append(quote(one));
                                }
                            }
                        });
        for (Field field : POSITIONAL) {
            String value = fix.inputs().get(field);
            if (value != null) {
                out.append(' ').append(quote(value));
            } else if (field == Field.SOURCE && fix.inputs().containsKey(Field.TARGET)) {
                out.append(" <source>");
            }
        }
        return out.toString();
    }

    private static String quote(String value) {
        return value.matches("[A-Za-z0-9@%+=:,./_-]+")
                ? value
                : "'" + value.replace("'", "'\\''") + "'";
    }
}
