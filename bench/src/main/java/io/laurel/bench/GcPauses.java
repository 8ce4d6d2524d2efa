package io.laurel.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The stop-the-world pauses of this JVM's collector, from the notifications of its
 * {@link GarbageCollectorMXBean}s (for G1: young and full collections, and the remark and cleanup pauses of
 * concurrent cycles). Client, platform and broker share this JVM, so every pause stops all three: the
 * reports put them next to the latencies they inflate.
 */
final class GcPauses {
    /** {end, duration} of every pause, in milliseconds of JVM uptime. */
    private static final ConcurrentLinkedQueue<long[]> PAUSES = new ConcurrentLinkedQueue<>();
    private static final boolean LISTENING = install();

    private GcPauses() {
    }

    /** The pauses that ended within a window: how many, their sum and the longest (-1 each when unknown). */
    record Summary(int count, long totalMillis, long maxMillis) {
        static final Summary UNKNOWN = new Summary(-1, -1, -1);

        boolean known() {
            return count >= 0;
        }
    }

    private static boolean install() {
        boolean any = false;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                        PAUSES.add(new long[]{info.getEndTime(), info.getDuration()});
                    }
                }, null, null);
                any = true;
            }
        }
        return any;
    }

    /** Milliseconds since the JVM started, the clock of the pauses. */
    static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** The pauses of this JVM that ended after {@code fromUptime} and at or before {@code toUptime}. */
    static Summary between(long fromUptime, long toUptime) {
        return LISTENING ? summarize(PAUSES, fromUptime, toUptime) : Summary.UNKNOWN;
    }

    /** The pauses ({end, duration}) that ended after {@code from} and at or before {@code to}. */
    static Summary summarize(Collection<long[]> pauses, long from, long to) {
        int count = 0;
        long total = 0;
        long max = 0;
        for (long[] p : pauses) {
            if (p[0] > from && p[0] <= to) {
                count++;
                total += p[1];
                max = Math.max(max, p[1]);
            }
        }
        return new Summary(count, total, max);
    }
}
