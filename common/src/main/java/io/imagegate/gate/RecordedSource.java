package io.imagegate.gate;

import io.imagegate.reference.ImageReference;

/**
 * The upstream image a recorded verdict says its image was vetted from, pinned as vetted.
 *
 * @param image the upstream image
 * @param vouched whether a verdict signed by a listed verification key records it; false when it is
 *     read from an unsigned document, which anyone who can push to the repository may have written
 *     (a suggestion to check, never a fact)
 */
public record RecordedSource(ImageReference image, boolean vouched) {}
