package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopesTest {
    @Test
    void mergesActionsPerRepository() {
        Scopes s = Scopes.pull("a").plus("repository:a:push").plus(Scopes.pull("b"));
        assertThat(s.sorted()).containsExactly("repository:a:pull,push", "repository:b:pull");
    }

    @Test
    void coversSubsetsOnly() {
        Scopes pushPull = Scopes.pushPull("a");
        assertThat(pushPull.covers(Scopes.pull("a"))).isTrue();
        assertThat(Scopes.pull("a").covers(pushPull)).isFalse();
        assertThat(pushPull.covers(Scopes.pull("b"))).isFalse();
        assertThat(new Scopes(Set.of("repository:a:*")).covers(pushPull)).isTrue();
        assertThat(Scopes.none().covers(Scopes.none())).isTrue();
    }
}
