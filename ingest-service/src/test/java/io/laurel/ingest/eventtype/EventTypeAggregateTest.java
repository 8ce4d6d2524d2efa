package io.laurel.ingest.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.laurel.ingest.eventtype.EventTypeMessages.ChangeEventType;
import io.laurel.ingest.eventtype.EventTypeMessages.DeclareEventType;
import io.laurel.ingest.eventtype.EventTypeMessages.DeleteEventType;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeChanged;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeclared;
import io.laurel.ingest.eventtype.EventTypeMessages.EventTypeDeleted;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

/** The event-type aggregate, given its past events, when a command arrives, then these events or this refusal. */
class EventTypeAggregateTest {
    private static final String ID = EventTypeMessages.aggregateId("acme", "deposit_made");
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-05-02T10:00:00Z");
    private static final JsonNode SCHEMA = JsonNodeFactory.instance.objectNode().put("type", "object");
    private static final JsonNode SCHEMA_2 = JsonNodeFactory.instance.objectNode().put("type", "object")
            .put("additionalProperties", false);

    private AggregateTestFixture<EventTypeAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(EventTypeAggregate.class);
    }

    private static EventTypeDeclared declared(int version, boolean system) {
        return new EventTypeDeclared(ID, "acme", "deposit_made", "id-1", "A deposit", SCHEMA, system, version, T0, T0);
    }

    private static DeclareEventType declare() {
        return new DeclareEventType(ID, "acme", "deposit_made", "id-1", "A deposit", SCHEMA, false, T0);
    }

    @Test
    void aNewNameIsDeclaredAtVersionOne() {
        fixture.givenNoPriorActivity()
                .when(declare())
                .expectSuccessfulHandlerExecution()
                .expectEvents(declared(1, false));
    }

    @Test
    void aNameTakenInTheTenantIsRefused() {
        fixture.given(declared(1, false))
                .when(declare())
                .expectException(EventTypeMessages.EventTypeExists.class)
                .expectNoEvents();
    }

    @Test
    void aChangeMakesTheNextVersionAndKeepsWhatItDoesNotName() {
        fixture.given(declared(1, false))
                .when(new ChangeEventType(ID, null, SCHEMA_2, T1))
                .expectEvents(new EventTypeChanged(ID, "acme", "deposit_made", "id-1", "A deposit", SCHEMA_2, false, 2,
                        T0, T1));
    }

    @Test
    void successiveChangesKeepCountingVersions() {
        fixture.given(declared(1, false),
                        new EventTypeChanged(ID, "acme", "deposit_made", "id-1", "v2", SCHEMA, false, 2, T0, T1))
                .when(new ChangeEventType(ID, "v3", null, T1))
                .expectEvents(new EventTypeChanged(ID, "acme", "deposit_made", "id-1", "v3", SCHEMA, false, 3, T0, T1));
    }

    @Test
    void aDeclaredTypeCanBeDeleted() {
        fixture.given(declared(1, false))
                .when(new DeleteEventType(ID, T1))
                .expectEvents(new EventTypeDeleted(ID, "acme", "deposit_made", 2, T1));
    }

    @Test
    void aSystemTypeCanBeNeitherChangedNorDeleted() {
        fixture.given(declared(1, true))
                .when(new DeleteEventType(ID, T1))
                .expectException(EventTypeMessages.SystemEventType.class)
                .expectNoEvents();
        fixture.given(declared(1, true))
                .when(new ChangeEventType(ID, "x", null, T1))
                .expectException(EventTypeMessages.SystemEventType.class)
                .expectNoEvents();
    }

    @Test
    void aDeletedTypeCannotBeChangedOrDeletedAgain() {
        fixture.given(declared(1, false), new EventTypeDeleted(ID, "acme", "deposit_made", 2, T1))
                .when(new ChangeEventType(ID, "x", null, T1))
                .expectException(EventTypeMessages.EventTypeNotFound.class);
        fixture.given(declared(1, false), new EventTypeDeleted(ID, "acme", "deposit_made", 2, T1))
                .when(new DeleteEventType(ID, T1))
                .expectException(EventTypeMessages.EventTypeNotFound.class);
    }

    @Test
    void aDeletedNameMayBeDeclaredAgainAndItsVersionsGoOn() {
        fixture.given(declared(1, false), new EventTypeDeleted(ID, "acme", "deposit_made", 2, T1))
                .when(new DeclareEventType(ID, "acme", "deposit_made", "id-2", "Again", SCHEMA, false, T1))
                .expectEvents(new EventTypeDeclared(ID, "acme", "deposit_made", "id-2", "Again", SCHEMA, false, 3, T1, T1));
    }
}
