package io.laurel.standalone;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Services never import each other; they share common-events, the projection runtime and the testkit.
 * common-events has no Spring and no I/O beyond Kafka's serde interfaces.
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
    void theRuntimeKnowsNoService() {
        noClasses().that().resideInAPackage("io.laurel.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("io.laurel.ingest..", "io.laurel.scoring..",
                        "io.laurel.badge..", "io.laurel.leaderboard..", "io.laurel.standalone..")
                .check(LAUREL);
    }
}
