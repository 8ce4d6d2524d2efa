package io.laurel.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ServerSentEventsTest {
    private static List<String> events(String... lines) {
        List<String> out = new ArrayList<>();
        ServerSentEvents.events(Stream.of(lines)).forEach(out::add);
        return out;
    }

    @Test
    void eachBlankLineEndsAnEventAndCommentsAreSkipped() {
        assertThat(events("event:snapshot", "data:{\"a\":1}", "", ":keep-alive", "", "event: update", "data: {\"a\":2}", ""))
                .containsExactly("{\"a\":1}", "{\"a\":2}");
    }

    @Test
    void dataOnSeveralLinesIsJoinedAndALastEventWithoutABlankLineCounts() {
        assertThat(events("data:{\"a\":", "data:1}", "", "data:{}")).containsExactly("{\"a\":\n1}", "{}");
    }

    @Test
    void nothingButKeepAlivesIsNoEvent() {
        assertThat(events(":keep-alive", "", ":keep-alive", "")).isEmpty();
    }
}
