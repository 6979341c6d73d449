package io.imagegate.api;

import io.imagegate.testing.FacadeContract;
import io.imagegate.testing.FrontEnd;
import io.imagegate.testing.TestSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A throwaway second front end, written only as binding code: it takes Maven-style {@code
 * registry.*} properties, binds them into the API's specs, and runs the facade contract. That it
 * needs nothing more shows the API is enough.
 */
class PropertiesFrontEndContractTest extends FacadeContract {
    @Override
    protected FrontEnd frontEnd() {
        return new PropertiesFrontEnd();
    }

    /** The whole front end: properties in, specs out, outcomes back. */
    static final class PropertiesFrontEnd implements FrontEnd {
        Observed run(Map<String, String> p, Path workDir) {
            ImageGate api = ImageGate.create(TestSettings.in(workDir));
            TrivySettings trivy =
                    TrivySettings.builder()
                            .cacheDir(p.get("registry.trivy.cacheDir"))
                            .skipDbUpdate(true)
                            .skipJavaDbUpdate(true)
                            .offlineScan(true)
                            .build();
            OperationResult result =
                    switch (p.get("goal")) {
                        case "import" ->
                                api.importImage(
                                        ImportSpec.builder()
                                                .source(p.get("registry.source"))
                                                .target(p.get("registry.target"))
                                                .build(),
                                        ProgressListener.NONE);
                        case "scan" ->
                                api.scan(
                                        ScanSpec.of(
                                                p.get("registry.image"),
                                                p.get("registry.policy"),
                                                null,
                                                trivy),
                                        ProgressListener.NONE);
                        case "vet" ->
                                api.vet(
                                        VetSpec.builder()
                                                .source(p.get("registry.source"))
                                                .target(p.get("registry.target"))
                                                .policy(p.get("registry.policy"))
                                                .trivy(trivy)
                                                .build(),
                                        ProgressListener.NONE);
                        case "gate" ->
                                api.gate(
                                        GateSpec.builder()
                                                .files(
                                                        List.of(
                                                                p.get("registry.dockerfiles")
                                                                        .split(",")))
                                                .trusted(
                                                        List.of(
                                                                p.get("registry.trusted")
                                                                        .split(",")))
                                                .requireVetted(
                                                        Boolean.parseBoolean(
                                                                p.get("registry.requireVetted")))
                                                .build());
                        default -> throw new IllegalArgumentException(p.get("goal"));
                    };
            return Observed.of(result);
        }

        private static Map<String, String> props(String... kv) {
            Map<String, String> out = new HashMap<>();
            for (int i = 0; i + 1 < kv.length; i += 2) {
                if (kv[i + 1] != null) {
                    out.put(kv[i], kv[i + 1]);
                }
            }
            return out;
        }

        @Override
        public Observed importImage(String source, String target) {
            return run(
                    props("goal", "import", "registry.source", source, "registry.target", target),
                    Path.of("."));
        }

        @Override
        public Observed scan(String image, Path policy, ScanSetup setup) {
            return run(
                    props(
                            "goal",
                            "scan",
                            "registry.image",
                            image,
                            "registry.policy",
                            policy == null ? null : policy.toString(),
                            "registry.trivy.cacheDir",
                            setup.cacheDir().toString()),
                    Path.of("."));
        }

        @Override
        public Observed vet(String source, String target, Path policy, ScanSetup setup) {
            return run(
                    props(
                            "goal",
                            "vet",
                            "registry.source",
                            source,
                            "registry.target",
                            target,
                            "registry.policy",
                            policy == null ? null : policy.toString(),
                            "registry.trivy.cacheDir",
                            setup.cacheDir().toString()),
                    Path.of("."));
        }

        @Override
        public Observed gate(
                Path workDir, String dockerfile, String trusted, boolean requireVetted) {
            return run(
                    props(
                            "goal",
                            "gate",
                            "registry.dockerfiles",
                            dockerfile,
                            "registry.trusted",
                            trusted,
                            "registry.requireVetted",
                            String.valueOf(requireVetted)),
                    workDir);
        }
    }
}
