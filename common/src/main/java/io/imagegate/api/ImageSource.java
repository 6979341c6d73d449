package io.imagegate.api;

import java.io.Serializable;

/**
 * An image a build uses that is not written in a Dockerfile, with where it is configured: Jib's
 * base image in a POM ({@code pom.xml:42}), a pipeline parameter. The gate checks it like a
 * Dockerfile's {@code FROM}.
 *
 * @param reference the image as configured
 * @param file the file that configures it (a POM), or a description of where it comes from
 * @param line the 1-based line in that file, or 0 when unknown
 * @param what what uses it, e.g. {@code jib-maven-plugin <from><image>}
 */
public record ImageSource(String reference, String file, int line, String what)
        implements Serializable {}
