package io.laurel.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FormatTest {

    @Test
    void tablesAlignTheirColumns() {
        String table = Format.table(List.of(new String[]{"NAME", "LAG"}, new String[]{"scoring", "12"},
                new String[]{"badges", "0"}));
        assertThat(table).isEqualTo("NAME     LAG\nscoring  12\nbadges   0\n");
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertThat(Format.duration(null)).isEqualTo("unknown");
        assertThat(Format.duration(0L)).isEqualTo("0 s");
        assertThat(Format.duration(59L)).isEqualTo("59 s");
        assertThat(Format.duration(185L)).isEqualTo("3 min 05 s");
        assertThat(Format.duration(7_620L)).isEqualTo("2 h 07 min");
        assertThat(Format.duration(-3L)).isEqualTo("0 s");
    }

    @Test
    void theBarFillsWithTheFractionAndIsClamped() {
        assertThat(Format.bar(0.0, 10)).isEqualTo("[----------]   0%");
        assertThat(Format.bar(0.456, 10)).isEqualTo("[####------]  45%");
        assertThat(Format.bar(1.0, 10)).isEqualTo("[##########] 100%");
        assertThat(Format.bar(1.7, 10)).isEqualTo("[##########] 100%");
        assertThat(Format.bar(-1, 10)).isEqualTo("[----------]   0%");
        assertThat(Format.bar(Double.NaN, 4)).isEqualTo("[----]   0%");
    }

    @Test
    void countsHaveThousandsSeparators() {
        assertThat(Format.count(1_234_567)).isEqualTo("1,234,567");
        assertThat(Format.count(0)).isEqualTo("0");
    }

    @Test
    void aProgressLineSaysWhatIsKnown() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String running = RebuildCommand.line(json.readTree("""
                {"status":"running","progress":0.25,"records_processed":2500,"records_total":10000,
                 "records_per_second":1250.4,"eta_seconds":6}"""), false);
        assertThat(running).isEqualTo("running 25%  2,500 of 10,000 records, 1,250 records/s, eta 6 s");
        String early = RebuildCommand.line(json.readTree("""
                {"status":"running","progress":0.0,"records_processed":0,"records_total":null,
                 "records_per_second":null,"eta_seconds":null}"""), false);
        assertThat(early).isEqualTo("running 0%  0 records, rate unknown, eta unknown");
        String bar = RebuildCommand.line(json.readTree("""
                {"status":"running","progress":0.5,"records_processed":5,"records_total":10,
                 "records_per_second":1,"eta_seconds":5}"""), true);
        assertThat(bar).startsWith("[###############---------------]  50%  5 of 10 records").endsWith("running");
    }
}
