package io.imagegate.api;

import java.util.Objects;

/**
 * A private key given by its content instead of a file, for front ends whose keys come from a
 * credential store (a Jenkins secret file credential): imagegate reads it from memory and never
 * writes it to disk.
 *
 * @param name where it came from, for messages ({@code credential 'org-signing-key'}); never the
 *     key
 * @param pem the key as its file would hold it (PEM)
 */
public record KeyContent(String name, Secret pem) {
    public KeyContent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pem, "pem");
    }

    /** Names where the key came from, never the key. */
    @Override
    public String toString() {
        return "KeyContent[" + name + "]";
    }
}
