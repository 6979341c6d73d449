package io.imagegate.jenkins.library

import com.cloudbees.groovy.cps.NonCPS
import groovy.json.JsonSlurperClassic

/**
 * The imagegate steps as a pipeline library, for teams that cannot install the plugin: each step takes the plugin's
 * arguments (same names, same types), turns them into one imagegate command line, and runs it on the agent with
 * {@code sh}. Credentials are bound with {@code withCredentials} and reach the CLI through environment variables only;
 * the command line names the variables, never their values (a signing key's file by the variable holding its path). Every
 * registry credential is bound to a registry ({@code REGISTRY=ID}) and the command line says which, so the CLI sends it
 * only there, whatever host an image parameter names. The CLI runs with {@code --json}: its stdout is one JSON document
 * (docs/cli.md), the same values the plugin's step returns, and the step returns them with the build result the plugin's
 * table gives: a pass is a success, a policy failure or needed changes fail the build or with {@code unstable: true}
 * mark it UNSTABLE, an error fails it or with {@code failOnError: false} (a registry's or the scanner's error) marks it
 * UNSTABLE, and anything else fails it.
 */
class ImagegateCli implements Serializable {
    private static final long serialVersionUID = 1L

    /** How each argument reaches the CLI. */
    static final String POSITIONAL = 'positional', VALUE = 'value', LIST = 'list', FLAG = 'flag', INT = 'int',
                        CREDENTIALS = 'credentials', REGISTRY_CREDENTIALS = 'registryCredentials', TOKEN = 'token', LIBRARY = 'library',
                        KEY_FILE = 'keyFile'

    /**
     * The variable a signing key's secret file is bound to (credentials-binding's {@code file}: the path of a copy that
     * {@code withCredentials} deletes afterwards). The command line names the variable; sh expands it to that path.
     */
    static final String KEY_FILE_VARIABLE = 'IMAGEGATE_SIGNING_KEY_FILE'
    private static final String KEY_FILE_WORD = '"$' + KEY_FILE_VARIABLE + '"'

    /** Arguments every step takes: how registries are reached. */
    static final Map REGISTRY = [
            insecureRegistries : [LIST, '--insecure-registry'],
            anonymousRegistries: [LIST, '--anonymous'],
            caFile             : [VALUE, '--ca-file'],
            registryCredentials: [REGISTRY_CREDENTIALS, '--creds-env'],
            // the library's own: failOnError: false marks the build UNSTABLE on a registry or scanner error
            failOnError        : [LIBRARY, null],
    ]

    /**
     * The errors {@code failOnError: false} turns into UNSTABLE, by the document's {@code errorKind}: the registry's and
     * the scanner's (the plugin's BuildResult.TOLERABLE; a test holds them equal). Bad arguments and settings, content
     * failing its digest, an interruption or a bug always fail the build.
     */
    static final List<String> TOLERABLE = ['AUTHENTICATION', 'NOT_FOUND', 'TRANSIENT', 'TOOL_FAILURE']

    /** Arguments of the steps that judge (a policy failure fails the build, or marks it unstable). */
    static final Map JUDGED = [unstable: [LIBRARY, null]]

    /** Arguments of the steps that run Trivy. */
    static final Map SCANNING = [
            policy                  : [VALUE, '--policy'],
            reportDir               : [VALUE, '--report-dir'],
            trivy                   : [VALUE, '--trivy'],
            cacheDir                : [VALUE, '--cache-dir'],
            skipDbUpdate            : [FLAG, '--skip-db-update'],
            skipJavaDbUpdate        : [FLAG, '--skip-java-db-update'],
            offlineScan             : [FLAG, '--offline-scan'],
            dbRepository            : [VALUE, '--db-repository'],
            timeout                 : [VALUE, '--timeout'],
            severities              : [LIST, '--severity'],
            trivyServer             : [VALUE, '--trivy-server'],
            trivyServerCredentialsId: [TOKEN, 'IMAGEGATE_TRIVY_TOKEN'],
    ]

    /** Each step: its subcommand, its required arguments, and every argument it takes. */
    static final Map STEPS = [
            imagegateImport : [command: 'import', required: ['source'], arguments: [
                    source             : [POSITIONAL, 0],
                    target             : [POSITIONAL, 1],
                    map                : [LIST, '--map'],
                    platforms          : [LIST, '--platform'],
                    force              : [FLAG, '--force'],
                    parallel           : [INT, '--parallel'],
                    chunkSize          : [VALUE, '--chunk-size'],
                    referrers          : [VALUE, '--referrers'],
                    timeout            : [VALUE, '--timeout'],
                    sourceCredentialsId: [CREDENTIALS, '--src-creds-env'],
                    targetCredentialsId: [CREDENTIALS, '--dst-creds-env'],
            ] + REGISTRY],
            imagegateScan   : [command: 'scan', required: ['image'], arguments: [
                    image: [POSITIONAL, 0],
            ] + SCANNING + JUDGED + REGISTRY],
            imagegateVet    : [command: 'vet', required: ['source'], arguments: [
                    source             : [POSITIONAL, 0],
                    target             : [POSITIONAL, 1],
                    map                : [LIST, '--map'],
                    quarantine         : [VALUE, '--quarantine'],
                    platforms          : [LIST, '--platform'],
                    force              : [FLAG, '--force'],
                    referrers          : [VALUE, '--referrers'],
                    sourceCredentialsId: [CREDENTIALS, '--src-creds-env'],
                    targetCredentialsId: [CREDENTIALS, '--dst-creds-env'],
                    // the key as a file the CLI reads, its password only in the environment the CLI reads it from
                    signingKeyCredentialsId        : [KEY_FILE, '--signing-key'],
                    signingKeyPasswordCredentialsId: [TOKEN, 'IMAGEGATE_SIGNING_KEY_PASSWORD'],
            ] + SCANNING + JUDGED + REGISTRY],
            // the library's own (the plugin has no sync step): one sync file, or one shard of it per agent
            // (examples/jenkins/sharded/Jenkinsfile, docs/scale.md)
            imagegateSync   : [command: 'sync', required: ['file'], arguments: [
                    file           : [POSITIONAL, 0],
                    shard          : [VALUE, '--shard'],
                    summaryJson    : [VALUE, '--summary-json'],
                    rescanOlderThan: [VALUE, '--rescan-older-than'],
                    quarantine     : [VALUE, '--quarantine'],
                    parallel       : [INT, '--parallel'],
                    signingKeyCredentialsId        : [KEY_FILE, '--signing-key'],
                    signingKeyPasswordCredentialsId: [TOKEN, 'IMAGEGATE_SIGNING_KEY_PASSWORD'],
            ] + SCANNING + JUDGED + REGISTRY],
            imagegateRewrite: [command: 'rewrite', required: ['files', 'map'], arguments: [
                    files      : [POSITIONAL, 0],
                    map        : [LIST, '--map'],
                    pin        : [FLAG, '--pin'],
                    pinPlatform: [VALUE, '--pin-platform'],
                    check      : [FLAG, '--check'],
                    buildArgs  : [LIST, '--build-arg'],
            ] + JUDGED + REGISTRY],
            imagegateGate   : [command: 'gate', required: ['files', 'trusted'], arguments: [
                    files        : [POSITIONAL, 0],
                    trusted      : [LIST, '--trusted'],
                    buildArgs    : [LIST, '--build-arg'],
                    platforms    : [LIST, '--platform'],
                    requireDigest: [FLAG, '--require-digest'],
                    requireVetted: [FLAG, '--require-vetted'],
                    policy       : [VALUE, '--policy'],
                    anyPolicy    : [FLAG, '--any-policy'],
                    verifyKeys   : [LIST, '--verify-key'],
                    map          : [LIST, '--map'],
                    quarantine   : [VALUE, '--quarantine'],
            ] + JUDGED + REGISTRY],
            imagegateUpdate : [command: 'update', required: ['files', 'trusted'], arguments: [
                    files             : [POSITIONAL, 0],
                    trusted           : [LIST, '--trusted'],
                    policy            : [VALUE, '--policy'],
                    anyPolicy         : [FLAG, '--any-policy'],
                    verifyKeys        : [LIST, '--verify-key'],
                    check             : [FLAG, '--check'],
                    patch             : [VALUE, '--patch'],
                    summary           : [VALUE, '--summary'],
                    commit            : [FLAG, '--commit'],
                    branch            : [VALUE, '--branch'],
                    renovateDatasource: [VALUE, '--renovate-datasource'],
            ] + JUDGED + REGISTRY],
    ]

    /**
     * Appended to the command line: {@code sh} with {@code returnStdout} fails on a non-zero exit code, so the CLI's exit
     * code is printed after its document instead, as the last line of stdout, and the script itself exits 0.
     */
    static final String EXIT_CODE = ' || printf \'\\nimagegate-exit-code=%s\\n\' "$?"'

    /** The version of the CLI's JSON document this library reads (docs/cli.md, "JSON output"). */
    static final int SCHEMA_VERSION = 1

    /** The CLI's exit code for each outcome (imagegate --help): a document that disagrees with its exit code is not trusted. */
    static final Map EXIT_CODES = [PASSED: 0, POLICY_FAILED: 1, CHANGES_NEEDED: 1, ERROR: 2]

    /**
     * Runs a step on the agent: {@code script} is the calling pipeline script (it provides {@code sh}, {@code
     * withCredentials}, {@code error} and {@code unstable}). Returns the map the plugin's step returns (docs/jenkins.md),
     * and the CLI's {@code exitCode}.
     */
    static Map run(def script, String step, Map args) {
        String problem = problem(step, args)
        if (problem != null) {
            script.error("${step}: ${problem}")
            return [outcome: 'ERROR', result: 'FAILURE', exitCode: -1]
        }
        String command = commandLine(step, args, script.env?.IMAGEGATE_CLI ?: 'imagegate') + EXIT_CODE
        List bindings = credentialBindings(step, args)
        String stdout
        if (bindings.isEmpty()) {
            stdout = script.sh(script: command, returnStdout: true)
        } else {
            script.withCredentials(bindings) {
                stdout = script.sh(script: command, returnStdout: true)
            }
        }
        Map result = decide(step, args, stdout)
        if (result.result == 'UNSTABLE') {
            script.unstable(result.message)
        } else if (result.result == 'FAILURE') {
            script.error(result.message)
        }
        return result.values
    }

    /** Why the arguments cannot run, or null. */
    @NonCPS
    static String problem(String step, Map args) {
        Map spec = STEPS[step]
        if (spec == null) {
            return "not an imagegate step"
        }
        for (Object name : args.keySet()) {
            if (!spec.arguments.containsKey(name)) {
                return "unknown argument '${name}'; ${step} takes ${(spec.arguments.keySet() as List).sort().join(', ')}".toString()
            }
            // flags and the library's own switches (unstable) are booleans; Groovy truth would read the String 'false' as true
            String kind = spec.arguments[name][0]
            Object value = args[name]
            if ((kind == FLAG || kind == LIBRARY) && value != null && !(value instanceof Boolean)) {
                String given = value instanceof CharSequence ? "the String '${value}'" : value.toString()
                return "${name} must be true or false (a Boolean), not ${given}".toString()
            }
        }
        for (String name : ['sourceCredentialsId', 'targetCredentialsId']) {
            Object value = args[name]
            if (spec.arguments.containsKey(name) && value != null && value.toString().trim() && !(value.toString() ==~ /\s*[^=\/\s]+\s*=\s*\S.*/)) {
                return ("${name} must name the registry its credentials are for: REGISTRY=…, e.g. docker.io=dockerhub (as registryCredentials"
                        + " does); credentials are bound to a registry so that an image named by a parameter cannot send them to another"
                        + " host").toString()
            }
        }
        if (text(args.signingKeyPasswordCredentialsId) && !text(args.signingKeyCredentialsId)) {
            return "a signing key password (signingKeyPasswordCredentialsId) needs the signing key (signingKeyCredentialsId)"
        }
        for (Object entry : args.registryCredentials == null ? [] : list(args.registryCredentials)) {
            if (!(entry ==~ /\s*[^=\/\s]+\s*=\s*\S.*/)) {
                return "\"${entry}\" (registryCredentials) must be REGISTRY=CREDENTIALS_ID, e.g. registry.example.com=registry-push".toString()
            }
        }
        for (String name : spec.required) {
            Object value = args[name]
            if (value == null || value.toString().trim().isEmpty() || (value instanceof Collection && value.isEmpty())) {
                return "${name} is required".toString()
            }
        }
        return null
    }

    /** The command line, every word quoted for sh where it needs it; credentials appear as variable names only. */
    @NonCPS
    static String commandLine(String step, Map args, String cli) {
        Map spec = STEPS[step]
        // stdout is then the result as one JSON document; the CLI's text goes to stderr, into the build log
        List<String> words = [cli, spec.command, '--json']
        List<String> positional = []
        spec.arguments.each { String name, List how ->
            Object value = args[name]
            if (value == null) {
                return
            }
            String kind = how[0]
            switch (kind) {
                case POSITIONAL:
                    positional.addAll(list(value))
                    break
                case VALUE:
                    if (value.toString().trim()) {
                        words << how[1] << value.toString().trim()
                    }
                    break
                case INT:
                    words << how[1] << (value as int).toString()
                    break
                case LIST:
                    list(value).each { words << how[1] << it }
                    break
                case FLAG:
                    if (value as boolean) {
                        words << how[1]
                    }
                    break
                case CREDENTIALS:
                    if (value.toString().trim()) {
                        String prefix = variablePrefix(name)
                        // bound to its registry: the CLI uses them only when the image is exactly there
                        words << how[1] << "${registryOf(value.toString())}=${prefix}_USER:${prefix}_PASSWORD".toString()
                    }
                    break
                case REGISTRY_CREDENTIALS:
                    list(value).eachWithIndex { String entry, int i ->
                        words << how[1] << "${registryOf(entry)}=IMAGEGATE_REGISTRY_${i}_USER:IMAGEGATE_REGISTRY_${i}_PASSWORD".toString()
                    }
                    break
                case KEY_FILE:
                    if (value.toString().trim()) {
                        words << how[1] << KEY_FILE_WORD
                    }
                    break
                default:
                    // TOKEN and LIBRARY arguments never reach the command line
                    break
            }
        }
        if (!positional.isEmpty()) {
            words << '--'
            words.addAll(positional)
        }
        // the key file's variable is left for sh to expand (double-quoted); every other word is quoted as it is
        return words.collect { it == KEY_FILE_WORD ? it : quote(it) }.join(' ')
    }

    /**
     * The {@code withCredentials} bindings the arguments name: a username and password per registry credential, a secret
     * text for a Trivy server's token and for a signing key's password, a secret file for a signing key. Plain maps (the
     * {@code $class} form of {@code usernamePassword(…)}, {@code string(…)} and {@code file(…)}), so they are built
     * outside CPS.
     */
    @NonCPS
    static List credentialBindings(String step, Map args) {
        List bindings = []
        Map arguments = STEPS[step].arguments
        arguments.each { String name, List how ->
            Object value = args[name]
            if (value == null || !value.toString().trim()) {
                return
            }
            if (how[0] == CREDENTIALS) {
                String prefix = variablePrefix(name)
                bindings << [$class: 'UsernamePasswordMultiBinding', credentialsId: credentialsOf(value.toString()),
                             usernameVariable: prefix + '_USER', passwordVariable: prefix + '_PASSWORD']
            } else if (how[0] == REGISTRY_CREDENTIALS) {
                list(value).eachWithIndex { String entry, int i ->
                    bindings << [$class: 'UsernamePasswordMultiBinding', credentialsId: credentialsOf(entry),
                                 usernameVariable: "IMAGEGATE_REGISTRY_${i}_USER".toString(),
                                 passwordVariable: "IMAGEGATE_REGISTRY_${i}_PASSWORD".toString()]
                }
            } else if (how[0] == TOKEN) {
                bindings << [$class: 'StringBinding', credentialsId: value.toString().trim(), variable: how[1]]
            } else if (how[0] == KEY_FILE) {
                bindings << [$class: 'FileBinding', credentialsId: value.toString().trim(), variable: KEY_FILE_VARIABLE]
            }
        }
        return bindings
    }

    /**
     * What the CLI's stdout says: its document (the values the step returns) and its exit code, through the one table (the
     * plugin's BuildResult): PASSED SUCCESS; POLICY_FAILED or CHANGES_NEEDED FAILURE, or UNSTABLE with {@code unstable:
     * true}; ERROR FAILURE, or UNSTABLE with {@code failOnError: false} when its {@code errorKind} is a registry's or the
     * scanner's. No document, another schema version, or a document that its exit code contradicts always fails: nothing
     * was judged that the library can vouch for, not even what went wrong. Returns {@code [values:, result:, message:]}.
     */
    @NonCPS
    static Map decide(String step, Map args, String stdout) {
        boolean judged = STEPS[step].arguments.containsKey('unstable')
        boolean unstable = judged && args.unstable as boolean
        boolean failOnError = args.failOnError == null || args.failOnError as boolean
        List<String> lines = (stdout ?: '').readLines().findAll { it.trim() }
        int status = 0
        if (!lines.isEmpty() && lines[-1] ==~ /imagegate-exit-code=\d{1,3}/) {
            status = lines.remove(lines.size() - 1).substring('imagegate-exit-code='.length()) as int
        }
        Object parsed = lines.isEmpty() ? null : document(lines[-1])
        String problem = parsed instanceof Map ? untrusted((Map) parsed, status) : 'imagegate printed no result'
        if (problem != null) {
            String text = "${problem} (exit code ${status}; see the log above)".toString()
            return [result: 'FAILURE', message: "${step}: ${text}".toString(),
                    values: [outcome: 'ERROR', result: 'FAILURE', error: text, errorKind: 'TOOL_FAILURE', retryable: false, exitCode: status]]
        }
        Map document = (Map) parsed
        String outcome = document.outcome
        boolean tolerated = outcome == 'ERROR' && !failOnError && TOLERABLE.contains(document.errorKind)
        String result = outcome == 'PASSED' ? 'SUCCESS' : tolerated ? 'UNSTABLE' : outcome == 'ERROR' ? 'FAILURE' : unstable ? 'UNSTABLE' : 'FAILURE'
        // the plugin's map: the outcome, the build result, then the document's values (its envelope aside)
        Map values = [outcome: outcome, result: result]
        document.each { key, value ->
            if (key != 'schemaVersion' && key != 'command') {
                values[key] = value
            }
        }
        String message = null
        if (outcome == 'ERROR') {
            // as the plugin words it: a transient failure says that running the step again may succeed
            String error = "${document.error ?: 'imagegate failed without saying why'}${document.retryable == true ? ' (a transient failure: running the step again may succeed)' : ''}".toString()
            values.error = error
            message = "${step}: ${error}${tolerated ? ' (failOnError: false: marked UNSTABLE, nothing was checked)' : ''}".toString()
        } else if (outcome != 'PASSED') {
            boolean changes = outcome == 'CHANGES_NEEDED'
            String what = !changes ? 'the policy said no (see the reasons above)'
                    : step == 'imagegateUpdate' ? 'pins are stale (see the diff above)' : 'Dockerfiles need rewriting (see the diff above)'
            message = "${step}: ${what}".toString()
        }
        values.exitCode = status
        return [values: values, result: result, message: message]
    }

    /** Why a document cannot be taken at its word, or null. */
    @NonCPS
    private static String untrusted(Map document, int status) {
        if (document.schemaVersion != SCHEMA_VERSION) {
            return "imagegate printed a result of schema version ${document.schemaVersion}; this library reads version ${SCHEMA_VERSION}" +
                    " (use the library of the same release as the CLI)"
        }
        if (!EXIT_CODES.containsKey(document.outcome)) {
            return "imagegate printed a result without a known outcome (${document.outcome})"
        }
        if (EXIT_CODES[document.outcome] != status) {
            return "imagegate printed the outcome ${document.outcome} but exited with ${status}"
        }
        return null
    }

    /**
     * The JSON document as plain LinkedHashMaps and ArrayLists, which CPS persists and a sandboxed script may read; the
     * parser's own maps never leave this method. Null when it is not JSON. (Groovy 2.4's parsers sort an object's keys:
     * the map holds the plugin's keys and values, not its key order.)
     */
    @NonCPS
    static Object document(String text) {
        try {
            return plain(new JsonSlurperClassic().parseText(text))
        } catch (Exception e) {
            return null
        }
    }

    @NonCPS
    private static Object plain(Object value) {
        if (value instanceof Map) {
            Map out = new LinkedHashMap()
            value.each { k, v -> out[k.toString()] = plain(v) }
            return out
        }
        if (value instanceof List) {
            List out = new ArrayList()
            value.each { out << plain(it) }
            return out
        }
        return value
    }

    @NonCPS
    private static List<String> list(Object value) {
        if (value instanceof Collection) {
            return value.findAll { it != null }.collect { it.toString() }
        }
        return [value.toString()]
    }

    @NonCPS
    private static boolean text(Object value) {
        return value != null && value.toString().trim()
    }

    @NonCPS
    private static String variablePrefix(String argument) {
        return argument == 'sourceCredentialsId' ? 'IMAGEGATE_SOURCE' : 'IMAGEGATE_TARGET'
    }

    @NonCPS
    private static String registryOf(String entry) {
        int eq = entry.indexOf('=')
        return eq < 0 ? entry.trim() : entry.substring(0, eq).trim()
    }

    @NonCPS
    private static String credentialsOf(String entry) {
        int eq = entry.indexOf('=')
        return eq < 0 ? '' : entry.substring(eq + 1).trim()
    }

    /** A word for sh: as it is when it is safe, else in single quotes. */
    @NonCPS
    static String quote(String word) {
        return word ==~ /[A-Za-z0-9@%+=:,.\/_-]+/ ? word : "'" + word.replace("'", "'\\''") + "'"
    }
}
