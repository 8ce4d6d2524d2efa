package io.laurel.standalone;

import io.laurel.api.Event;
import io.laurel.api.EventReceipt;
import io.laurel.api.EventTypeRequest;
import io.laurel.api.RuleRequest;
import io.laurel.client.LaurelApiException;
import io.laurel.client.LaurelClient;

import java.util.List;
import java.util.Map;

/**
 * The README's Java client example, line for line ({@link ReadmeExampleTest} compares the two): run by
 * {@link WalkingSkeletonIT} against the application and by {@link StandaloneOwnsItsDatabaseIT} against
 * {@code ./laurel}.
 */
final class ReadmeExample {
    private ReadmeExample() {
    }

    /** Runs the example against the platform at {@code url}; answers the first event's receipt. */
    static EventReceipt run(String url, String key) {
        // ---- README, "A Java client" ----
        LaurelClient laurel = LaurelClient.builder().baseUrl(url).apiKey(key).build();
        laurel.admin().createEventType(EventTypeRequest.of("lesson_done", List.of("minutes"), Map.of("minutes", "number")));
        laurel.admin().createRule(RuleRequest.fixed("5 per lesson", "lesson_done", 5));
        EventReceipt receipt = laurel.send(Event.of("lesson_done", "ann", Map.of("minutes", 30))
                .withIdempotenceKey("lesson-1-ann"));
        try {
            laurel.send(Event.of("lesson_done", "ann", Map.of("minutes", "thirty")));
        } catch (LaurelApiException e) {
            System.out.println(e.code() + " at " + e.problem().errors().get(0).pointer()); // SCHEMA_VIOLATION at /event_data/minutes
        }
        // ---- end of the README example ----
        return receipt;
    }
}
