package io.laurel.ingest.definition;

import io.laurel.runtime.web.ProblemException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** A definition declared by two ingest instances at the same moment: the loser answers 409 like any duplicate. */
class DefinitionCommandsFailuresTest {
    @Test
    void aDefinitionCreatedConcurrentlyIsItsKindExists() {
        RuntimeException answer = DefinitionCommands.problem(new CommandExecutionException("wrapped",
                new AggregateStreamCreationException("duplicate stream")), "badge", "first-purchase");
        assertThat(answer).isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.status()).isEqualTo(HttpStatus.CONFLICT);
            assertThat(p.code()).isEqualTo("BADGE_EXISTS");
        });
        assertThat(DefinitionCommands.problem(new AggregateNotFoundException("d", "none"), "level-set", "x"))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.code()).isEqualTo("LEVEL_SET_NOT_FOUND"));
    }
}
