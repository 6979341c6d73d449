package io.imagegate.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Templates are written as MessageFormat's; arguments are data and rendered as they are. */
class MessageRenderTest {
    @Test
    void aDoubledQuoteInATemplateIsOneQuoteAndAnArgumentKeepsItsOwn() {
        Message m =
                Message.of(
                        "test.quote",
                        "shard {0}/{1} is summarized twice; give each shard''s summary once ({2})",
                        0,
                        2,
                        "it''s 'data'");
        assertThat(m.render(Vocabulary.NEUTRAL))
                .isEqualTo(
                        "shard 0/2 is summarized twice; give each shard's summary once"
                                + " (it''s 'data')");
        assertThat(Message.of("test.single", "don't {0}", "x").render(Vocabulary.NEUTRAL))
                .isEqualTo("don't x");
    }
}
