package io.laurel.standalone;

/**
 * The tag of the test classes that run one at a time, after the others and with nothing beside them (standalone's
 * pom.xml, failsafe execution {@code alone}): ClusterIT (eleven processes that keep both cores busy, and a takeover
 * timed against a 10 s bound), OutageIT (answers timed against an 8 s bound through outages) and TenantQuotaIT
 * (latency at p99). The other integration tests run in two JVMs side by side: their Spring contexts and the
 * standalones that StandaloneKillIT and StandaloneOwnsItsDatabaseIT start wait on the broker, the database or their
 * own start much of the time.
 */
final class RunsAlone {
    static final String TAG = "alone";

    private RunsAlone() {
    }
}
