package io.imagegate;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one {@link ObjectMapper} the library reads JSON with. A mapper is thread-safe once
 * configured, and building one loads several hundred classes, which a short-lived process pays once
 * instead of per class.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
}
