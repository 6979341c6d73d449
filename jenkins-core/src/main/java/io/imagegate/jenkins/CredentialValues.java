package io.imagegate.jenkins;

import io.imagegate.api.CredentialRef;
import io.imagegate.api.KeyContent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;

/** The credentials a step's work may use, by id. */
public final class CredentialValues implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, CredentialValue> byId = new LinkedHashMap<>();
    private final boolean lookedUp;

    private CredentialValues(boolean lookedUp) {
        this.lookedUp = lookedUp;
    }

    /** No credentials: not looked up yet (checking the parameters on the controller). */
    public static CredentialValues none() {
        return new CredentialValues(false);
    }

    /** The credentials the step's parameters name, as looked up for the work. */
    public static CredentialValues of(Collection<CredentialValue> values) {
        CredentialValues out = new CredentialValues(true);
        values.forEach(v -> out.byId.put(v.id(), v));
        return out;
    }

    /**
     * Whether these are the looked-up credentials the work runs with (not {@link #none()} while
     * checking parameters).
     */
    boolean lookedUp() {
        return lookedUp;
    }

    /**
     * The secret file with this id as a key's content, named after the credential; null when not
     * (yet) looked up.
     */
    KeyContent keyContent(String id) {
        CredentialValue value = id == null ? null : byId.get(id);
        return value == null || value.kind() != CredentialValue.Kind.SECRET_FILE
                ? null
                : new KeyContent(
                        "credential '" + id + "'", io.imagegate.api.Secret.of(value.secret()));
    }

    /** The registry credentials with this id; null when the id is null or not (yet) looked up. */
    CredentialRef registryRef(String id) {
        CredentialValue value = id == null ? null : byId.get(id);
        return value == null ? null : value.registryRef();
    }

    /** The secret with this id, or null. */
    io.imagegate.api.Secret secret(String id) {
        CredentialValue value = id == null ? null : byId.get(id);
        return value == null ? null : io.imagegate.api.Secret.of(value.secret());
    }

    /** Replaces every secret these credentials hold in the lines it masks. */
    public SecretMasker masker() {
        List<String> forms = new ArrayList<>();
        byId.values().forEach(v -> forms.addAll(v.maskedForms()));
        return SecretMasker.of(forms);
    }

    @Override
    public String toString() {
        return "CredentialValues" + byId.values();
    }
}
