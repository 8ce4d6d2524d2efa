package io.laurel.ingest.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.ingest.definition.DefinitionMessages.Define;
import io.laurel.ingest.definition.DefinitionMessages.DefinitionDefined;
import io.laurel.ingest.definition.DefinitionMessages.DefinitionRetired;
import io.laurel.ingest.definition.DefinitionMessages.DefinitionRevised;
import io.laurel.ingest.definition.DefinitionMessages.Retire;
import io.laurel.ingest.definition.DefinitionMessages.Revise;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

/** A catalog definition (a rule): given its history, when a command arrives, then these events or this refusal. */
class DefinitionAggregateTest {
    private static final String ID = DefinitionMessages.aggregateId("acme", "rule", "r1");
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-05-02T10:00:00Z");
    private static final JsonNode TEN = JsonNodeFactory.instance.objectNode().put("points", 10);
    private static final JsonNode TWENTY = JsonNodeFactory.instance.objectNode().put("points", 20);

    private AggregateTestFixture<DefinitionAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(DefinitionAggregate.class);
    }

    private static DefinitionDefined defined() {
        return new DefinitionDefined(ID, "acme", "rule", "r1", TEN, 1, T0, T0);
    }

    @Test
    void aNewDefinitionStartsAtVersionOne() {
        fixture.givenNoPriorActivity()
                .when(new Define(ID, "acme", "rule", "r1", TEN, T0))
                .expectEvents(defined());
    }

    @Test
    void anIdCannotBeDefinedTwice() {
        fixture.given(defined())
                .when(new Define(ID, "acme", "rule", "r1", TWENTY, T1))
                .expectException(DefinitionMessages.DefinitionExists.class)
                .expectNoEvents();
    }

    @Test
    void eachRevisionIsTheNextVersion() {
        fixture.given(defined(), new DefinitionRevised(ID, "acme", "rule", "r1", TWENTY, 2, T0, T1))
                .when(new Revise(ID, TEN, T1))
                .expectEvents(new DefinitionRevised(ID, "acme", "rule", "r1", TEN, 3, T0, T1));
    }

    @Test
    void retiringKeepsTheLastBodyAndCountsAVersion() {
        fixture.given(defined(), new DefinitionRevised(ID, "acme", "rule", "r1", TWENTY, 2, T0, T1))
                .when(new Retire(ID, T1))
                .expectEvents(new DefinitionRetired(ID, "acme", "rule", "r1", TWENTY, 3, T0, T1));
    }

    @Test
    void aRetiredDefinitionCanBeNeitherRevisedNorRetiredNorDefinedAgain() {
        DefinitionRetired retired = new DefinitionRetired(ID, "acme", "rule", "r1", TEN, 2, T0, T1);
        fixture.given(defined(), retired).when(new Revise(ID, TWENTY, T1))
                .expectException(DefinitionMessages.DefinitionNotFound.class);
        fixture.given(defined(), retired).when(new Retire(ID, T1))
                .expectException(DefinitionMessages.DefinitionNotFound.class);
        fixture.given(defined(), retired).when(new Define(ID, "acme", "rule", "r1", TEN, T1))
                .expectException(DefinitionMessages.DefinitionExists.class);
    }
}
