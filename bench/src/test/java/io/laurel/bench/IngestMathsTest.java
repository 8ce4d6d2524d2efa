package io.laurel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class IngestMathsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void batchAnswersAreCountedByStatus() throws Exception {
        String answer = """
                {"results":[{"index":0,"status":"accepted","event_id":"a"},
                            {"index":1,"status":"duplicate","event_id":"a"},
                            {"index":2,"status":"rejected","error":{"code":"SCHEMA_VIOLATION"}},
                            {"index":3,"status":"accepted","event_id":"b"}]}""";
        IngestLoad.BatchCounts c = IngestLoad.BatchCounts.of(json.readTree(answer), 5);
        assertThat(c).isEqualTo(new IngestLoad.BatchCounts(2, 1, 1, 1)); // index 4 never answered
        assertThat(c.plus(c)).isEqualTo(new IngestLoad.BatchCounts(4, 2, 2, 2));
    }

    @Test
    void batchResultsOutOfRangeRepeatedOrUnknownAreMissing() throws Exception {
        String answer = """
                {"results":[{"index":0,"status":"accepted"},{"index":0,"status":"accepted"},
                            {"index":7,"status":"accepted"},{"index":1,"status":"weird"},{"status":"accepted"}]}""";
        assertThat(IngestLoad.BatchCounts.of(json.readTree(answer), 2)).isEqualTo(new IngestLoad.BatchCounts(1, 0, 0, 1));
        assertThat(IngestLoad.BatchCounts.of(json.readTree("{}"), 3)).isEqualTo(new IngestLoad.BatchCounts(0, 0, 0, 3));
    }

    @Test
    void benchEventsMatchTheirSchema() throws Exception {
        var e = json.readTree(IngestLoad.event(1234, 1000, "p-"));
        assertThat(e.path("event_type").asText()).isEqualTo(IngestLoad.EVENT_TYPE);
        assertThat(e.path("user_id").asText()).isEqualTo("p-234");
        assertThat(e.path("event_data").path("amount").isNumber()).isTrue();
        assertThat(e.path("event_data").path("amount").asDouble()).isCloseTo(235.34, within(1e-9));
        assertThat(e.path("event_data").path("currency").asText()).isEqualTo("GBP");
        assertThat(e.path("event_data").path("sku").asText()).isEqualTo("sku-234");
        var schema = json.readTree(IngestLoad.SCHEMA);
        assertThat(schema.path("required")).extracting(n -> n.asText()).containsExactly("amount", "currency");
    }

    @Test
    void targetsAreJudgedOnTheMeasuredFigures() {
        IngestLoad.Batch slow = batch(12_000, 10_000_000_000L);   // 1,200 events/s
        IngestLoad.Batch fast = batch(210_000, 10_000_000_000L);  // 21,000 events/s
        IngestLoad.OpenLoop quick = openLoop(new long[]{1_000_000, 19_999_999}, 0);
        IngestLoad.OpenLoop slowP99 = openLoop(new long[]{1_000_000, 20_000_000}, 0);
        IngestLoad.OpenLoop lost = openLoop(new long[]{1_000_000, 2_000_000}, 1);

        assertThat(results(slow, quick, 0.7).batchTargetMet()).isFalse();
        assertThat(results(fast, quick, 0.7).batchTargetMet()).isTrue();
        assertThat(results(fast, quick, 0.7).singleTargetMet()).isTrue();
        assertThat(results(fast, slowP99, 0.7).singleTargetMet()).isFalse(); // "< 20 ms" is strict
        assertThat(results(fast, lost, 0.7).singleTargetMet()).isFalse();    // an unanswered request fails it
        assertThat(results(fast, quick, 0.5).singleTargetMet()).isFalse();   // not measured at 70%
    }

    @Test
    void ingestOptions() {
        Options d = Options.parse();
        assertThat(d.scenario()).isEqualTo(Options.Scenario.ALL);
        assertThat(d.ingestDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.openLoopDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.openLoopFraction()).isEqualTo(0.7);
        assertThat(d.batchSize()).isEqualTo(100);
        assertThat(d.batchConcurrency()).isEqualTo(4);
        assertThat(d.kafkaEvents()).isEqualTo(50_000);
        Options o = Options.parse("--scenario=ingest", "--open-loop-fraction=0.5", "--batch-size=1000",
                "--kafka-events=10_000", "--ingest-seconds=3", "--open-loop-seconds=4", "--batch-concurrency=2");
        assertThat(o.scenario()).isEqualTo(Options.Scenario.INGEST);
        assertThat(o.scenario().e2e()).isFalse();
        assertThat(o.scenario().ingest()).isTrue();
        assertThat(Options.parse("--scenario=e2e").scenario().ingest()).isFalse();
        assertThat(Options.Scenario.ALL.e2e() && Options.Scenario.ALL.ingest()).isTrue();
        assertThat(o.openLoopFraction()).isEqualTo(0.5);
        assertThat(o.batchSize()).isEqualTo(1000);
        assertThat(o.kafkaEvents()).isEqualTo(10_000);
        assertThat(o.ingestDuration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.openLoopDuration()).isEqualTo(Duration.ofSeconds(4));
        assertThat(o.batchConcurrency()).isEqualTo(2);
        assertThatThrownBy(() -> Options.parse("--scenario=fast")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.parse("--batch-size=1001")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.parse("--open-loop-fraction=0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.parse("--open-loop-fraction=1.2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.parse("--open-loop-fraction=x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gcPausesAreThoseThatEndedInTheWindow() {
        List<long[]> pauses = List.of(new long[]{1_000, 40}, new long[]{2_000, 90}, new long[]{3_000, 15},
                new long[]{4_000, 200});
        assertThat(GcPauses.summarize(pauses, 1_000, 3_000)).isEqualTo(new GcPauses.Summary(2, 105, 90));
        assertThat(GcPauses.summarize(pauses, 999, 1_000)).isEqualTo(new GcPauses.Summary(1, 40, 40));
        assertThat(GcPauses.summarize(pauses, 4_000, 9_000)).isEqualTo(new GcPauses.Summary(0, 0, 0));
        assertThat(GcPauses.summarize(List.of(), 0, 9_000).known()).isTrue();
        assertThat(GcPauses.Summary.UNKNOWN.known()).isFalse();
    }

    @Test
    void residualLagIsCountedPerProjection() {
        assertThat(Report.residual(List.of())).isEqualTo("none");
        assertThat(Report.residual(List.of("scoring t.events-0=1", "scoring t.events-1=1", "event_log t.events-0=1")))
                .isEqualTo("`scoring`: 2, `event_log`: 1");
    }

    @Test
    void saturationIsNotedOnlyWhenTheOpenLoopRunLeftNoHeadroom() {
        CpuMeter.Usage capacity = new CpuMeter.Usage(2_930_000_000L, 1.0, 0.0);
        assertThat(Report.saturationNote(capacity, 1_000, new CpuMeter.Usage(3_000_000_000L, 0.80, 0.0), 700)).isEmpty();
        assertThat(Report.saturationNote(capacity, 1_000, NO_CPU, 700)).isEmpty();
        assertThat(Report.saturationNote(capacity, 1_000, new CpuMeter.Usage(2_933_000_000L, 0.99, 0.0), 700))
                .contains("99% busy", "100% during the capacity run", "4.19 ms of CPU per event", "2.93 ms at capacity");
    }

    private static final CpuMeter.Usage NO_CPU = new CpuMeter.Usage(-1, Double.NaN, Double.NaN);

    private static IngestLoad.Batch batch(int accepted, long nanos) {
        return new IngestLoad.Batch(100, 4, accepted / 100, accepted, new IngestLoad.BatchCounts(accepted, 0, 0, 0), 0,
                List.of(), nanos, new long[]{1}, NO_CPU);
    }

    private static IngestLoad.OpenLoop openLoop(long[] latencies, int notCompleted) {
        return new IngestLoad.OpenLoop(new OpenLoopSchedule(100, latencies.length + notCompleted), latencies.length, 0,
                List.of(), notCompleted, latencies, latencies, new long[]{0}, 1_000_000_000L, NO_CPU);
    }

    private static IngestResults results(IngestLoad.Batch batch, IngestLoad.OpenLoop open, double fraction) {
        IngestLoad.ClosedLoop capacity = new IngestLoad.ClosedLoop("capacity", 16, 1_000, 1_000, 0, List.of(),
                1_000_000_000L, new long[]{1}, NO_CPU);
        IngestLoad.Quiet q = new IngestLoad.Quiet(true, 0, 0, 0, List.of());
        KafkaIngest.Result kafka = new KafkaIngest.Result(10, 100, 1, 2, 10, 0, 0,
                new KafkaIngest.Status("running", 10, 0, 0, null), NO_CPU);
        return new IngestResults(capacity, fraction, open, new OpenLoopSchedule(100, 1), new long[]{1}, batch, kafka,
                q, q, q, q);
    }
}
