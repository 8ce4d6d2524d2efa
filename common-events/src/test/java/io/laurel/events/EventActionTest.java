package io.laurel.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventActionTest {

    @Test
    void wireNamesAreLowerCase() {
        assertThat(EventAction.CREATE.wireName()).isEqualTo("create");
        assertThat(EventAction.REMOVE.wireName()).isEqualTo("remove");
    }

    @Test
    void wireNamesParseBack() {
        for (EventAction action : EventAction.values()) {
            assertThat(EventAction.fromWire(action.wireName())).isSameAs(action);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "CREATE", "Create", "cReAtE"})
    void createParsesCaseInsensitively(String wire) {
        assertThat(EventAction.fromWire(wire)).isEqualTo(EventAction.CREATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"remove", "REMOVE", "Remove"})
    void removeParsesCaseInsensitively(String wire) {
        assertThat(EventAction.fromWire(wire)).isEqualTo(EventAction.REMOVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "delete", "update", " create", "create ", "removed", "c"})
    void unknownWireNameIsRejected(String wire) {
        assertThatThrownBy(() -> EventAction.fromWire(wire)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("create or remove");
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> EventAction.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
