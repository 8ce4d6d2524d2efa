package io.laurel.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU spent between two points: by this JVM (client, platform and broker; PostgreSQL runs in processes
 * of its own), and by the whole machine from {@code /proc/stat}, to tell a CPU-bound run from a waiting one.
 */
final class CpuMeter {
    private final long jvmStart;
    private final long[] machineStart;
    private final long uptimeStart;

    /**
     * What was measured: JVM CPU nanoseconds; the machine's busy and stolen shares (NaN when unknown); the
     * JVM's collector pauses in the meantime.
     */
    record Usage(long jvmCpuNanos, double machineBusy, double machineSteal, GcPauses.Summary gc) {
        Usage(long jvmCpuNanos, double machineBusy, double machineSteal) {
            this(jvmCpuNanos, machineBusy, machineSteal, GcPauses.Summary.UNKNOWN);
        }
    }

    private CpuMeter(long jvmStart, long[] machineStart, long uptimeStart) {
        this.jvmStart = jvmStart;
        this.machineStart = machineStart;
        this.uptimeStart = uptimeStart;
    }

    static CpuMeter start() {
        return new CpuMeter(jvmCpu(), machine(), GcPauses.uptimeMillis());
    }

    Usage stop() {
        long jvm = jvmCpu();
        long[] m = machine();
        double busy = Double.NaN;
        double steal = Double.NaN;
        if (machineStart != null && m != null) {
            long total = m[0] - machineStart[0];
            if (total > 0) {
                busy = (double) (m[1] - machineStart[1]) / total;
                steal = (double) (m[2] - machineStart[2]) / total;
            }
        }
        return new Usage(jvmStart < 0 || jvm < 0 ? -1 : jvm - jvmStart, busy, steal,
                GcPauses.between(uptimeStart, GcPauses.uptimeMillis()));
    }

    private static long jvmCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** {total, busy (not idle, not iowait), steal} jiffies of the first line of /proc/stat; null if unreadable. */
    static long[] machine() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            return parseCpuLine(line);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static long[] parseCpuLine(String line) {
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + line);
        }
        long total = 0;
        long[] v = new long[f.length - 1];
        for (int i = 1; i < f.length; i++) {
            v[i - 1] = Long.parseLong(f[i]);
        }
        // user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already in user/nice
        for (int i = 0; i < Math.min(8, v.length); i++) {
            total += v[i];
        }
        long idle = v[3] + (v.length > 4 ? v[4] : 0);
        long steal = v.length > 7 ? v[7] : 0;
        return new long[]{total, total - idle, steal};
    }
}
