package io.imagegate.message;

import java.io.Serializable;

/**
 * A fix no command carries out: set {@code what}, written at {@code file:line}, to {@code value}
 * (Jib's base image in a POM, a line of a Dockerfile). Kept structured, as {@link Fix}, so front
 * ends and tests can apply it.
 *
 * @param what the setting in the user's words, e.g. {@code jib-maven-plugin <from><image>}
 * @param file where it is written ({@code pom.xml}, or {@code the command line})
 * @param line the 1-based line, 0 when it has none
 * @param value what to set it to, exactly
 */
public record Edit(String what, String file, int line, String value) implements Serializable {}
