package io.laurel.ingest.eventtype;

import io.laurel.runtime.web.ProblemException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an event type command's failure answers. Two ingest instances declaring one event type at the same moment:
 * the loser's first event is refused by the event store as a stream creation, and that is the same 409 as a type that
 * existed before, not a 500 (and not a failed start, for the system event types).
 */
class EventTypeCommandsFailuresTest {
    @Test
    void anEventTypeCreatedConcurrentlyIsEventTypeExists() {
        for (Throwable t : new Throwable[]{new AggregateStreamCreationException("duplicate stream"),
                new ConcurrencyException("sequence taken"), new EventTypeMessages.EventTypeExists("purchase"),
                new CommandExecutionException("wrapped", new AggregateStreamCreationException("duplicate stream"))}) {
            RuntimeException answer = EventTypeCommands.problem(t, "purchase");
            assertThat(answer).as(t.toString()).isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(HttpStatus.CONFLICT);
                assertThat(p.code()).isEqualTo("EVENT_TYPE_EXISTS");
            });
        }
    }

    @Test
    void otherEventTypeFailuresKeepTheirMeaning() {
        assertThat(EventTypeCommands.problem(new AggregateNotFoundException("et", "none"), "purchase"))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.code()).isEqualTo("EVENT_TYPE_NOT_FOUND"));
        IllegalStateException other = new IllegalStateException("database down");
        assertThat(EventTypeCommands.problem(other, "purchase")).isSameAs(other);
    }
}
