package io.imagegate.cli;

import io.imagegate.api.CredentialRef;
import io.imagegate.api.Inputs;
import io.imagegate.api.RegistryBinding;
import io.imagegate.message.Field;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code --src-creds-env} and {@code --dst-creds-env}: {@code VAR} or {@code USER_VAR:PASS_VAR} for
 * whatever registry the image is on, or {@code REGISTRY=VAR…} bound to one registry, used only when
 * the image is exactly there (otherwise a line on stderr says so and the image gets none). The
 * bound form is what a CI system passes when the image comes from a build parameter: the
 * credentials cannot follow the image to a host the parameter names.
 */
final class RoleCredentials {
    private final Map<Field, CredentialRef> refs = new LinkedHashMap<>();

    /**
     * @param source the source image and its option ({@code null} option: none)
     * @param target the target image as the operation will name it (null when it cannot be derived:
     *     validation says why)
     * @param registries the registries {@code --creds-env} gives credentials for
     */
    RoleCredentials(
            String source,
            String srcOption,
            Supplier<String> target,
            String dstOption,
            Set<String> registries,
            PrintWriter err) {
        String[][] roles = {{source, srcOption}, {targetOrNull(target), dstOption}};
        Field[] imageFields = {Field.SOURCE, Field.TARGET};
        Field[] optionFields = {Field.SOURCE_CREDENTIALS, Field.TARGET_CREDENTIALS};
        Set<String> bound = new HashSet<>(registries);
        Map<Field, String> imageRegistries = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            String image = roles[i][0];
            String option = roles[i][1];
            String registry = registryOrNull(imageFields[i], image);
            if (registry == null) {
                continue;
            }
            imageRegistries.put(imageFields[i], image + "\u0000" + registry);
            if (option == null) {
                continue;
            }
            if (option.indexOf('=') < 0) {
                // the unbound form: credentials for whatever registry the image is on, as the
                // command line says
                refs.put(optionFields[i], CredentialRef.environment(option, optionFields[i]));
                bound.add(registry);
                continue;
            }
            RegistryBinding binding =
                    RegistryBinding.parse(
                            optionFields[i], option, "docker.io=HUB_USER:HUB_PASSWORD");
            if (binding.binds(registry)) {
                refs.put(
                        optionFields[i],
                        CredentialRef.environment(binding.credentials(), optionFields[i]));
                bound.add(registry);
            } else {
                err.println(
                        binding.notOn(imageFields[i], image, registry, optionFields[i])
                                .render(CliVocabulary.INSTANCE));
            }
        }
        imageRegistries.forEach(
                (field, imageAndRegistry) -> {
                    String[] parts = imageAndRegistry.split("\u0000", 2);
                    RegistryBinding.checkPort(field, parts[0], parts[1], bound);
                });
    }

    /**
     * The image's registry, or null when it is no reference (the operation's validation reports
     * that, naming the field).
     */
    private static String registryOrNull(Field field, String image) {
        try {
            return image == null ? null : Inputs.registry(field, image);
        } catch (io.imagegate.message.ImageGateException e) {
            return null;
        }
    }

    private static String targetOrNull(Supplier<String> target) {
        try {
            return target.get();
        } catch (io.imagegate.message.ImageGateException e) {
            return null;
        }
    }

    CredentialRef source() {
        return refs.get(Field.SOURCE_CREDENTIALS);
    }

    CredentialRef target() {
        return refs.get(Field.TARGET_CREDENTIALS);
    }
}
