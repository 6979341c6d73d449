package io.imagegate.jenkins;

import io.imagegate.api.ScanSpec;
import io.imagegate.message.Field;
import java.util.List;

/**
 * {@code imagegateScan}: scan an image (every platform of a multi-arch image) and judge it against
 * the policy.
 */
public final class ScanParameters extends ScanningParameters {
    private static final long serialVersionUID = 1L;

    private final String image;

    /**
     * @param image the image to scan, by tag or digest
     */
    public ScanParameters(String image) {
        this.image = Values.text(image);
    }

    @Override
    public StepKind kind() {
        return StepKind.SCAN;
    }

    public String getImage() {
        return image;
    }

    @Override
    void roles(List<Role> roles) {
        roles.add(new Role(Field.IMAGE, image, null, null));
    }

    @Override
    ScanSpec spec(CredentialValues credentials, Bindings bindings) {
        return ScanSpec.of(image, getPolicy(), getReportDir(), trivySettings(credentials));
    }
}
