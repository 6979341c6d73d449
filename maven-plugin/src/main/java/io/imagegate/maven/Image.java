package io.imagegate.maven;

/**
 * One image to import or vet, as configured: {@code
 * <image><source>…</source><target>…</target></image>}, or {@code
 * <image>docker.io/library/alpine:3.20</image>} with the target derived through the mapping rules,
 * or {@code <image>SOURCE=TARGET</image>}.
 */
public class Image {
    /** The image to copy, by tag or digest. */
    String source;

    /** Where to put it; derived from the mapping rules ({@code <map>}) when not given. */
    String target;

    public Image() {}

    /**
     * {@code <image>SOURCE</image>} or {@code SOURCE=TARGET} (a reference never holds a {@code =}).
     */
    public void set(String value) {
        int eq = value.indexOf('=');
        this.source = (eq < 0 ? value : value.substring(0, eq)).strip();
        this.target = eq < 0 ? null : value.substring(eq + 1).strip();
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    @Override
    public String toString() {
        return source + (target == null ? "" : " -> " + target);
    }
}
