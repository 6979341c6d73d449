package io.imagegate.maven;

import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Operation;
import io.imagegate.message.Vocabulary;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * imagegate's inputs as the Maven plugin spells them ({@code <force>/-Dregistry.force}), and fixes
 * as the {@code mvn} command that carries them out ({@code mvn registry:vet -Dregistry.source=…
 * -Dregistry.target=…}).
 */
final class MavenVocabulary implements Vocabulary {
    static final MavenVocabulary INSTANCE = new MavenVocabulary();

    /**
     * Field → the parameter name; the user property is {@code registry.<name>} unless listed in
     * {@link #PROPERTY}.
     */
    private static final Map<Field, String> PARAMETER = new EnumMap<>(Field.class);

    private static final Map<Field, String> PROPERTY = new EnumMap<>(Field.class);

    /**
     * Inputs the plugin offers no parameter for: refs, and the sync options that shard and rescan
     * an organisation's catalogue (the CLI's, docs/scale.md): named in the library's words.
     */
    static final Set<Field> NOT_OFFERED =
            Set.of(Field.SHARD, Field.SUMMARY_JSON, Field.RESCAN_OLDER_THAN, Field.VERIFY);

    /**
     * registry:update's check switch: a parameter named as rewrite's ({@link Field#CHECK}) with a
     * property of its own.
     */
    static final String UPDATE_CHECK = "<check>/-Dregistry.update.check";

    /**
     * The plugin's own true/false switches, which no operation takes: parameter → its user
     * property.
     */
    static final Map<String, String> OWN_SWITCHES =
            Map.ofEntries(
                    Map.entry("skip", "registry.skip"),
                    Map.entry("skipImport", "registry.import.skip"),
                    Map.entry("skipVet", "registry.vet.skip"),
                    Map.entry("skipScan", "registry.scan.skip"),
                    Map.entry("skipRewrite", "registry.rewrite.skip"),
                    Map.entry("skipGate", "registry.gate.skip"),
                    Map.entry("skipSync", "registry.sync.skip"),
                    Map.entry("skipUpdate", "registry.update.skip"),
                    Map.entry("followProject", "registry.followProject"),
                    Map.entry("jib", "registry.jib"),
                    Map.entry("failOnViolation", "registry.failOnViolation"),
                    Map.entry("failOnError", "registry.failOnError"));

    static {
        PARAMETER.put(Field.SOURCE, "source");
        PARAMETER.put(Field.TARGET, "target");
        PARAMETER.put(Field.MAP, "map");
        PARAMETER.put(Field.PLATFORM, "platforms");
        PARAMETER.put(Field.FORCE, "force");
        PARAMETER.put(Field.PARALLEL, "parallel");
        PARAMETER.put(Field.CHUNK_SIZE, "chunkSize");
        PARAMETER.put(Field.REFERRERS, "referrers");
        PARAMETER.put(Field.SOURCE_CREDENTIALS, "sourceServerId");
        PARAMETER.put(Field.TARGET_CREDENTIALS, "serverId");
        PARAMETER.put(Field.REGISTRY_CREDENTIALS, "credentialsEnv");
        PARAMETER.put(Field.INSECURE_REGISTRY, "insecureRegistries");
        PARAMETER.put(Field.ANONYMOUS, "anonymousRegistries");
        PARAMETER.put(Field.CA_FILE, "caFiles");
        PARAMETER.put(Field.IMAGE, "image");
        PARAMETER.put(Field.POLICY, "policy");
        PARAMETER.put(Field.REPORT_DIR, "reportDirectory");
        PARAMETER.put(Field.TRIVY, "trivy");
        PARAMETER.put(Field.CACHE_DIR, "cacheDir");
        PARAMETER.put(Field.SKIP_DB_UPDATE, "skipDbUpdate");
        PARAMETER.put(Field.SKIP_JAVA_DB_UPDATE, "skipJavaDbUpdate");
        PARAMETER.put(Field.OFFLINE_SCAN, "offlineScan");
        PARAMETER.put(Field.DB_REPOSITORY, "dbRepository");
        PARAMETER.put(Field.TIMEOUT, "scanTimeout");
        PARAMETER.put(Field.SEVERITY, "severity");
        PARAMETER.put(Field.SCAN_SERVER, "trivyServer");
        PARAMETER.put(Field.QUARANTINE, "quarantine");
        PARAMETER.put(Field.ANY_POLICY, "anyPolicy");
        PARAMETER.put(Field.SYNC_FILE, "syncFile");
        PARAMETER.put(Field.DOCKERFILES, "dockerfiles");
        PARAMETER.put(Field.BUILD_ARG, "buildArgs");
        PARAMETER.put(Field.TRUSTED, "trusted");
        PARAMETER.put(Field.REQUIRE_DIGEST, "requireDigest");
        PARAMETER.put(Field.REQUIRE_VETTED, "requireVetted");
        PARAMETER.put(Field.PIN, "pin");
        PARAMETER.put(Field.PIN_PLATFORM, "pinPlatform");
        PARAMETER.put(Field.CHECK, "check");
        PARAMETER.put(Field.SIGNING_KEY, "signingKey");
        PARAMETER.put(Field.SIGNING_KEY_PASSWORD, "signingKeyServer");
        PARAMETER.put(Field.VERIFY_KEY, "verifyKeys");
        PARAMETER.put(Field.PATCH, "patch");
        PARAMETER.put(Field.SUMMARY, "summary");
        PARAMETER.put(Field.COMMIT, "commit");
        PARAMETER.put(Field.BRANCH, "branch");
        PARAMETER.put(Field.RENOVATE_DATASOURCE, "renovateDatasource");
        PROPERTY.put(Field.CHECK, "registry.rewrite.check");
        // update's outputs: its goal's alone, so scoped as the goal's skip is
        PROPERTY.put(Field.PATCH, "registry.update.patch");
        PROPERTY.put(Field.SUMMARY, "registry.update.summary");
        PROPERTY.put(Field.COMMIT, "registry.update.commit");
        PROPERTY.put(Field.BRANCH, "registry.update.branch");
        PROPERTY.put(Field.RENOVATE_DATASOURCE, "registry.update.renovateDatasource");
    }

    private MavenVocabulary() {}

    /**
     * The parameter a field binds to, or null for the inputs of operations the plugin does not
     * offer.
     */
    static String parameter(Field field) {
        return PARAMETER.get(field);
    }

    /** The user property a field binds to ({@code registry.force}), or null. */
    static String property(Field field) {
        String parameter = PARAMETER.get(field);
        return parameter == null ? null : PROPERTY.getOrDefault(field, "registry." + parameter);
    }

    /**
     * {@code <skipGate>/-Dregistry.gate.skip}: one of the plugin's own switches, spelled as {@link
     * #field} spells inputs.
     */
    static String ownSwitch(String parameter) {
        String property = OWN_SWITCHES.get(parameter);
        if (property == null) {
            throw new IllegalArgumentException("not a switch of the plugin's own: " + parameter);
        }
        return spelling(parameter, property);
    }

    private static String spelling(String parameter, String property) {
        return "<" + parameter + ">/-D" + property;
    }

    /** {@code <force>/-Dregistry.force}; credentials name settings.xml too. */
    @Override
    public String field(Field field) {
        String parameter = PARAMETER.get(field);
        if (parameter == null) {
            return field.id() + " (not offered by the Maven plugin)";
        }
        String both = spelling(parameter, property(field));
        return switch (field) {
            case REGISTRY_CREDENTIALS ->
                    "a settings.xml <server> whose id is the registry, or " + both;
            case SOURCE_CREDENTIALS ->
                    "the settings.xml <server> for the source registry (" + both + ")";
            case TARGET_CREDENTIALS ->
                    "the settings.xml <server> for the target registry (" + both + ")";
            // one library input, two parameters: import's bound is one import, scan's and vet's one
            // scan
            case TIMEOUT ->
                    both + " (one scan), or for an import <importTimeout>/-Dregistry.importTimeout";
            case SIGNING_KEY -> both + ", or the <privateKey> of <signingKeyServer>";
            case SIGNING_KEY_PASSWORD ->
                    "the <passphrase> of the settings.xml server named by "
                            + both
                            + ", else the environment"
                            + " variable IMAGEGATE_SIGNING_KEY_PASSWORD (or COSIGN_PASSWORD)";
            default -> both;
        };
    }

    /**
     * {@code mvn registry:vet -Dregistry.source=alpine:3.20 -Dregistry.target=r.example/a:3.20}.
     */
    @Override
    public String fix(Fix fix) {
        StringBuilder out = new StringBuilder("mvn registry:").append(fix.operation().id());
        if (fix.operation() == Operation.VET
                && fix.inputs().containsKey(Field.TARGET)
                && !fix.inputs().containsKey(Field.SOURCE)) {
            out.append(" -D").append(property(Field.SOURCE)).append("=<source>");
        }
        fix.inputs()
                .forEach(
                        (field, value) -> {
                            String property = property(field);
                            String name = property == null ? "registry." + field.id() : property;
                            out.append(" -D").append(name);
                            if (!value.equals("true")) {
                                out.append('=').append(quote(value));
                            }
                        });
        return out.toString();
    }

    private static String quote(String value) {
        return value.matches("[A-Za-z0-9@%+=:,./_-]+")
                ? value
                : "'" + value.replace("'", "'\\''") + "'";
    }
}
