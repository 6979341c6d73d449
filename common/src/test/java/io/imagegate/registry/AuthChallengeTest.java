package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void parsesDockerHubBearerChallenge() {
        List<AuthChallenge> challenges =
                AuthChallenge.parse(
                        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"");
        assertThat(challenges).hasSize(1);
        AuthChallenge c = challenges.get(0);
        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).contains("https://auth.docker.io/token");
        assertThat(c.param("service")).contains("registry.docker.io");
        assertThat(c.param("scope")).contains("repository:library/alpine:pull");
    }

    @Test
    void parsesAcrShapeAndUnquotedValues() {
        AuthChallenge c =
                AuthChallenge.parse(
                                "Bearer realm=\"https://x.azurecr.io/oauth2/token\", service=x.azurecr.io")
                        .get(0);
        assertThat(c.param("realm")).contains("https://x.azurecr.io/oauth2/token");
        assertThat(c.param("service")).contains("x.azurecr.io");
    }

    @Test
    void parsesSeveralChallengesAndEscapes() {
        List<AuthChallenge> challenges =
                AuthChallenge.parse(
                        "Basic realm=\"Registry \\\"Realm\\\"\", Bearer realm=\"https://a/t\",error=\"insufficient_scope\"");
        assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer");
        assertThat(challenges.get(0).param("realm")).contains("Registry \"Realm\"");
        assertThat(challenges.get(1).param("error")).contains("insufficient_scope");
    }

    @Test
    void emptyOrMissingHeaderGivesNothing() {
        assertThat(AuthChallenge.parse(null)).isEmpty();
        assertThat(AuthChallenge.parse("")).isEmpty();
    }

    @Test
    void controlCharactersAreNeitherSchemesNorNames() {
        assertThat(AuthChallenge.parse("\f")).isEmpty();
        List<AuthChallenge> challenges = AuthChallenge.parse("\u000bBearer\frealm=\"https://a/t\"");
        assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("bearer");
        assertThat(challenges.get(0).param("realm")).contains("https://a/t");
    }
}
