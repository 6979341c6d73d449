package io.imagegate.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that runs a real component: the distribution registry, Trivy, Go (the fixture DB,
 * BuildKit's frontend, go-containerregistry's registry), ORAS, cosign, Chromium (the HTML report as
 * a browser shows it) or npm (the SARIF schema). {@code ./mvnw -Punit verify} leaves these out, for
 * a first build on a bare JDK; every other build runs them, and under {@code CI=true} a missing
 * component fails them, never skips them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(NeedsComponents.TAG)
public @interface NeedsComponents {
    /** The JUnit tag: the {@code unit} profile's excluded group. */
    String TAG = "components";
}
