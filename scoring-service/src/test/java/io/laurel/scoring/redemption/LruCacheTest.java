package io.laurel.scoring.redemption;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LruCacheTest {
    @Test
    void keepsTheMostRecentlyUsedEntriesUpToItsCapacity() {
        LruCache cache = new LruCache(2);
        cache.put("a", 1);
        cache.put("b", 2);
        assertThat(cache.<String, Integer>get("a")).isEqualTo(1); // a is now the most recently used
        cache.put("c", 3);
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(cache.containsKey("a")).isTrue();
        assertThat(cache.containsKey("c")).isTrue();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void putIfAbsentComputeAndRemoveBehaveLikeAMap() {
        LruCache cache = new LruCache(10);
        assertThat(cache.putIfAbsent("k", "v1")).isTrue();
        assertThat(cache.putIfAbsent("k", "v2")).isFalse();
        assertThat(cache.<String, String>get("k")).isEqualTo("v1");
        AtomicInteger calls = new AtomicInteger();
        assertThat(cache.<String>computeIfAbsent("k", () -> "x" + calls.incrementAndGet())).isEqualTo("v1");
        assertThat(cache.<String>computeIfAbsent("n", () -> "x" + calls.incrementAndGet())).isEqualTo("x1");
        cache.<String>computeIfPresent("k", v -> v + "!");
        assertThat(cache.<String, String>get("k")).isEqualTo("v1!");
        cache.<String>computeIfPresent("missing", v -> "never");
        assertThat(cache.containsKey("missing")).isFalse();
        assertThat(cache.remove("k")).isTrue();
        assertThat(cache.remove("k")).isFalse();
        cache.removeAll();
        assertThat(cache.size()).isZero();
        assertThat(cache.registerCacheEntryListener(new org.axonframework.common.caching.Cache.EntryListenerAdapter())
                .cancel()).isTrue();
    }
}
