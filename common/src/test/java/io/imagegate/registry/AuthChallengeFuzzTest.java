package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzing the WWW-Authenticate parser, whose input a hostile registry writes: it never throws and
 * never loops, and every challenge it returns has a lower-case scheme and lower-case parameter
 * names (as lookups expect). Seeds:
 * src/test/resources/io/imagegate/registry/AuthChallengeFuzzTestInputs/.
 */
class AuthChallengeFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void parse(byte[] data) {
        String header = new String(data, StandardCharsets.ISO_8859_1);
        List<AuthChallenge> challenges = AuthChallenge.parse(header);
        assertThat(challenges.size()).isLessThanOrEqualTo(header.length());
        for (AuthChallenge c : challenges) {
            assertThat(c.scheme())
                    .isNotBlank()
                    .isEqualTo(c.scheme().toLowerCase(java.util.Locale.ROOT));
            assertThat(c.params().keySet())
                    .allSatisfy(k -> assertThat(k).isEqualTo(k.toLowerCase(java.util.Locale.ROOT)));
        }
    }
}
