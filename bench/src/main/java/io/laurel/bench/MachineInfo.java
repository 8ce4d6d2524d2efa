package io.laurel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the figures were measured on, read from the JVM and {@code /proc}. */
record MachineInfo(int processors, String memory, String cpu, String jdk, String os, String maxHeap) {

    static MachineInfo current() {
        Runtime rt = Runtime.getRuntime();
        String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> {
                    long kb = Long.parseLong(v.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }).orElse("unknown");
        String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        String jdk = System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.vm.name", "")
                + " " + Runtime.version();
        String distro = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME").map(v -> v.replace("\"", ""))
                .orElse(System.getProperty("os.name"));
        String os = distro + ", kernel " + System.getProperty("os.version") + ", " + System.getProperty("os.arch");
        String heap = String.format(Locale.ROOT, "%.1f GiB", rt.maxMemory() / 1024.0 / 1024.0 / 1024.0);
        return new MachineInfo(rt.availableProcessors(), memory, cpu, jdk.trim(), os, heap);
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int sep = line.indexOf(line.contains("=") && !line.contains(":") ? '=' : ':');
                if (sep > 0 && line.substring(0, sep).trim().equals(key)) {
                    return java.util.Optional.of(line.substring(sep + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the caller falls back
        }
        return java.util.Optional.empty();
    }
}
