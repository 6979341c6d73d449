package io.imagegate.jenkins;

import io.imagegate.api.ResultValues;
import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * imagegate's inputs as a Jenkinsfile spells them (the steps' parameter names), and fixes as step
 * calls to write: {@code imagegateVet(source: 'alpine:3.20', target:
 * 'registry.example.com/base/alpine:3.20')}.
 */
public final class JenkinsVocabulary implements Vocabulary {
    public static final JenkinsVocabulary INSTANCE = new JenkinsVocabulary(null);

    private static final Map<Field, String> PARAMETER = new EnumMap<>(Field.class);

    /**
     * Inputs that are files: in a fix they are written relative to the workspace, as a Jenkinsfile
     * names them.
     */
    private static final Set<Field> PATHS =
            EnumSet.of(
                    Field.DOCKERFILES,
                    Field.POLICY,
                    Field.REPORT_DIR,
                    Field.CA_FILE,
                    Field.CACHE_DIR,
                    Field.TRIVY,
                    Field.SYNC_FILE,
                    Field.PATCH,
                    Field.SUMMARY,
                    Field.RENOVATE_DATASOURCE);

    static {
        PARAMETER.put(Field.SOURCE, "source");
        PARAMETER.put(Field.TARGET, "target");
        PARAMETER.put(Field.MAP, "map");
        PARAMETER.put(Field.PLATFORM, "platforms");
        PARAMETER.put(Field.FORCE, "force");
        PARAMETER.put(Field.PARALLEL, "parallel");
        PARAMETER.put(Field.CHUNK_SIZE, "chunkSize");
        PARAMETER.put(Field.REFERRERS, "referrers");
        PARAMETER.put(Field.SOURCE_CREDENTIALS, "sourceCredentialsId");
        PARAMETER.put(Field.TARGET_CREDENTIALS, "targetCredentialsId");
        PARAMETER.put(Field.REGISTRY_CREDENTIALS, "registryCredentials");
        PARAMETER.put(Field.INSECURE_REGISTRY, "insecureRegistries");
        PARAMETER.put(Field.ANONYMOUS, "anonymousRegistries");
        PARAMETER.put(Field.CA_FILE, "caFile");
        PARAMETER.put(Field.IMAGE, "image");
        PARAMETER.put(Field.POLICY, "policy");
        PARAMETER.put(Field.REPORT_DIR, "reportDir");
        PARAMETER.put(Field.TRIVY, "trivy");
        PARAMETER.put(Field.CACHE_DIR, "cacheDir");
        PARAMETER.put(Field.SKIP_DB_UPDATE, "skipDbUpdate");
        PARAMETER.put(Field.SKIP_JAVA_DB_UPDATE, "skipJavaDbUpdate");
        PARAMETER.put(Field.OFFLINE_SCAN, "offlineScan");
        PARAMETER.put(Field.DB_REPOSITORY, "dbRepository");
        PARAMETER.put(Field.TIMEOUT, "timeout");
        PARAMETER.put(Field.SEVERITY, "severities");
        PARAMETER.put(Field.SCAN_SERVER, "trivyServer");
        PARAMETER.put(Field.QUARANTINE, "quarantine");
        PARAMETER.put(Field.ANY_POLICY, "anyPolicy");
        PARAMETER.put(Field.DOCKERFILES, "files");
        PARAMETER.put(Field.BUILD_ARG, "buildArgs");
        PARAMETER.put(Field.TRUSTED, "trusted");
        PARAMETER.put(Field.REQUIRE_DIGEST, "requireDigest");
        PARAMETER.put(Field.REQUIRE_VETTED, "requireVetted");
        PARAMETER.put(Field.PIN, "pin");
        PARAMETER.put(Field.PIN_PLATFORM, "pinPlatform");
        PARAMETER.put(Field.CHECK, "check");
        PARAMETER.put(Field.SIGNING_KEY, "signingKeyCredentialsId");
        PARAMETER.put(Field.SIGNING_KEY_PASSWORD, "signingKeyPasswordCredentialsId");
        PARAMETER.put(Field.VERIFY_KEY, "verifyKeys");
        PARAMETER.put(Field.PATCH, "patch");
        PARAMETER.put(Field.SUMMARY, "summary");
        PARAMETER.put(Field.COMMIT, "commit");
        PARAMETER.put(Field.BRANCH, "branch");
        PARAMETER.put(Field.RENOVATE_DATASOURCE, "renovateDatasource");
        // SYNC_FILE and VERIFY belong to sync and refs, which only the CLI offers: they keep their
        // neutral ids.
    }

    private final Path workspace;

    private JenkinsVocabulary(Path workspace) {
        this.workspace = workspace == null ? null : workspace.toAbsolutePath().normalize();
    }

    /** The vocabulary for work in this workspace: files in it are named relative to it. */
    public static JenkinsVocabulary in(Path workspace) {
        return new JenkinsVocabulary(workspace);
    }

    /** A file inside the workspace relative to it ({@code /}-separated); others as they are. */
    public String path(String file) {
        return ResultValues.relativeTo(workspace == null ? null : workspace.toString()).apply(file);
    }

    @Override
    public String field(Field field) {
        return PARAMETER.getOrDefault(field, field.id());
    }

    /**
     * The step call that carries out a fix; an operation without a step is named as the CLI runs
     * it.
     */
    @Override
    public String fix(Fix fix) {
        Optional<StepKind> kind = StepKind.of(fix.operation());
        if (kind.isEmpty()) {
            return "imagegate " + Vocabulary.NEUTRAL.fix(fix);
        }
        List<String> args = new ArrayList<>();
        for (ParameterModel.Parameter p : ParameterModel.of(kind.get())) {
            if (p.required()
                    && fix.inputs().keySet().stream().noneMatch(f -> field(f).equals(p.name()))) {
                args.add(p.name() + ": '<" + p.name() + ">'");
            }
        }
        fix.inputs()
                .forEach(
                        (field, given) -> {
                            String name = field(field);
                            String value = PATHS.contains(field) ? path(given) : given;
                            Optional<ParameterModel.Parameter> parameter =
                                    ParameterModel.find(kind.get(), name);
                            args.add(
                                    name
                                            + ": "
                                            + parameter
                                                    .map(p -> literal(p, value))
                                                    .orElseGet(() -> groovyString(value)));
                        });
        return kind.get().functionName() + "(" + String.join(", ", args) + ")";
    }

    private static String literal(ParameterModel.Parameter p, String value) {
        if (p.isBoolean() && (value.equals("true") || value.equals("false"))) {
            return value;
        }
        if (p.isInteger() && value.matches("-?\\d{1,9}")) {
            return value;
        }
        return p.isList() ? "[" + groovyString(value) + "]" : groovyString(value);
    }

    /** A Groovy string literal, written as the snippet generator writes one. */
    public static String groovyString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Every field's spelling (for the test that each names a real parameter). */
    static Map<Field, String> spellings() {
        return Map.copyOf(PARAMETER);
    }
}
