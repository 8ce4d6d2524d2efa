package io.laurel.events.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IsoInstantsTest {
    private final ObjectMapper mapper = LaurelJson.mapper();

    @Test
    void formatsExactlyAsIsoInstantAndParsesBackForRandomInstants() {
        SplittableRandom random = new SplittableRandom(42);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(random.nextLong(min, max + 1), nanos);
            String expected = DateTimeFormatter.ISO_INSTANT.format(t);
            assertThat(IsoInstants.format(t)).isEqualTo(expected);
            assertThat(IsoInstants.parseOrNull(expected)).isEqualTo(t);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-05-01T10:00:00Z", "2026-05-01T10:00:00.1Z", "2026-05-01T10:00:00.12Z",
            "2024-02-29T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z", "2026-05-01t10:00:00z"})
    void parsesTheUtcShapeLikeInstantParse(String text) {
        assertThat(IsoInstants.parseOrNull(text)).isEqualTo(Instant.parse(text.toUpperCase()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-04-31T10:00:00Z",
            "2026-05-01T24:00:00Z", "2026-05-01T10:60:00Z", "2026-05-01T10:00:60Z", "2026-05-01T10:00:00.Z",
            "2026-05-01T10:00:00.1234567890Z", "2026-05-01T10:00:00+02:00", "2026-05-01 10:00:00Z",
            "2026-5-01T10:00:00Z", "2026-05-01T10:00:0xZ", "2026-05-01T10:00:00", "not a time at all"})
    void leavesEveryOtherShapeToTheFullParser(String text) {
        assertThat(IsoInstants.parseOrNull(text)).isNull();
    }

    @Test
    void theMapperStillAcceptsOffsetsAndRejectsImpossibleDates() throws Exception {
        assertThat(mapper.readValue("\"2026-05-01T12:00:00+02:00\"", Instant.class))
                .isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(mapper.readValue("\"2026-05-01T10:00:00.250Z\"", Instant.class))
                .isEqualTo(Instant.parse("2026-05-01T10:00:00.250Z"));
        assertThatThrownBy(() -> mapper.readValue("\"2026-02-30T10:00:00Z\"", Instant.class))
                .isInstanceOf(com.fasterxml.jackson.databind.JsonMappingException.class);
        assertThat(mapper.writeValueAsString(Instant.parse("2026-05-01T10:00:00.250Z")))
                .isEqualTo("\"2026-05-01T10:00:00.250Z\"");
    }
}
