package io.laurel.standalone;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Services never import each other; they share common-events, the projection runtime and the testkit.
 * common-events has no Spring and no I/O beyond Kafka's serde interfaces. The engines have no Spring, Kafka or SQL.
 * Every projection of the services receives decoded records.
 */
class ModularArchitectureTest {
    private static final JavaClasses LAUREL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.laurel");
    private static final String[] SERVICES = {"ingest", "scoring", "badge", "leaderboard"};

    @Test
    void servicesDoNotDependOnEachOther() {
        for (String service : SERVICES) {
            for (String other : SERVICES) {
                if (!service.equals(other)) {
                    noClasses().that().resideInAPackage("io.laurel." + service + "..")
                            .should().dependOnClassesThat().resideInAPackage("io.laurel." + other + "..")
                            .because("services share only common-events and the projection runtime")
                            .check(LAUREL);
                }
            }
        }
    }

    @Test
    void commonEventsHasNoSpringAndDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("io.laurel.events..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.laurel.runtime..",
                        "io.laurel.ingest..", "io.laurel.scoring..", "io.laurel.badge..", "io.laurel.leaderboard..",
                        "java.sql..", "java.net..")
                .check(LAUREL);
    }

    @Test
    void theApiRecordsAndTheClientHaveNoSpringAndKnowNoService() {
        noClasses().that().resideInAnyPackage("io.laurel.api..", "io.laurel.client..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.laurel.runtime..",
                        "io.laurel.events..", "io.laurel.ingest..", "io.laurel.scoring..", "io.laurel.badge..",
                        "io.laurel.leaderboard..", "org.apache.kafka..", "java.sql..")
                .because("an application adds laurel-client alone: Jackson, Reactor and the JDK's HTTP client")
                .check(LAUREL);
    }

    @Test
    void theRuntimeKnowsNoService() {
        noClasses().that().resideInAPackage("io.laurel.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("io.laurel.ingest..", "io.laurel.scoring..",
                        "io.laurel.badge..", "io.laurel.leaderboard..", "io.laurel.standalone..")
                .check(LAUREL);
    }

    /** The engines: plain Java over records, unit-tested with many cases, used by folds, dry runs and benches alike. */
    static final String[] ENGINES = {
            "io.laurel.scoring.rule..",              // rules: points, conditions, caps, reversal
            "io.laurel.badge.rule..",                // badges and levels
            "io.laurel.badge.challenge.engine..",    // challenges
            "io.laurel.events.expression..",         // conditions and points expressions
            "io.laurel.leaderboard.ranking.."};      // rankings, tie strategies, the in-memory board index

    @Test
    void theEnginesAreFreeOfSpringKafkaAndSql() {
        noClasses().that().resideInAnyPackage(ENGINES)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                        "java.sql..", "javax.sql..", "io.r2dbc..", "org.postgresql..", "reactor..", "org.axonframework..",
                        "io.laurel.runtime..", "java.net..")
                .because("the engines decide; the projections and controllers around them do the I/O")
                .check(LAUREL);
    }

    @Test
    void everyProjectionOfTheServicesReceivesDecodedRecords() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that().implement(io.laurel.runtime.projection.Projection.class)
                .and().resideOutsideOfPackage("io.laurel.runtime..")
                .should().implement(io.laurel.runtime.projection.DecodedProjection.class)
                .because("the runtime decodes each record with its topic's serde and dead-letters what does not decode")
                .check(LAUREL);
        org.assertj.core.api.Assertions.assertThat(LAUREL.stream()
                        .filter(c -> c.isAssignableTo(io.laurel.runtime.projection.DecodedProjection.class)
                                && !c.isInterface()).count())
                .as("the services' projections").isGreaterThanOrEqualTo(6);
    }

    @Test
    void everyEnginePackageHoldsClasses() {
        for (String engine : ENGINES) {
            String pkg = engine.substring(0, engine.length() - 2);
            org.assertj.core.api.Assertions.assertThat(LAUREL.stream().filter(c -> c.getPackageName().equals(pkg)).count())
                    .as("classes in %s", pkg).isGreaterThanOrEqualTo(2);
        }
    }
}
