import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed-rate (open-loop) HTTP load in a process of its own: request i is due i / rate seconds after the start
 * and is sent at that time on a virtual thread of its own, whatever happened to the earlier ones; its response
 * time is measured from its due time, so queueing anywhere counts (no coordinated omission). wrk, which the other
 * runs use, only knows closed loops. Requests go over persistent HTTP/1.1 connections on plain blocking sockets (an
 * idle one is reused, a new one opened when none is idle), so the load generator stays light.
 *
 * <p>Run with a JDK 21+, no dependencies:
 * {@code java OpenLoop.java URL RATE SECONDS [METHOD] [BODY] [BEARER] [WARMUP_SECONDS]}. A BODY containing {@code %d}
 * gets the request's number (for distinct users). The schedule first runs WARMUP_SECONDS (default 3) at the same
 * rate without measuring (connections opened, the client's own code compiled), then SECONDS measured. Prints one
 * line of figures.
 */
public class OpenLoop {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java OpenLoop.java URL RATE SECONDS [METHOD] [BODY] [BEARER]");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        double seconds = Double.parseDouble(args[2]);
        String method = args.length > 3 ? args[3] : "GET";
        String body = args.length > 4 ? args[4] : "";
        String bearer = args.length > 5 ? args[5] : null;
        double warmup = args.length > 6 ? Double.parseDouble(args[6]) : 3;
        int skipped = (int) Math.floor(rate * warmup);
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String headers = "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + (bearer == null || bearer.isEmpty() ? "" : "Authorization: Bearer " + bearer + "\r\n")
                + "Accept: application/json\r\n";
        int count = skipped + (int) Math.floor(rate * seconds);
        ConcurrentLinkedQueue<Conn> idle = new ConcurrentLinkedQueue<>();
        long[] done = new long[count];
        Arrays.fill(done, Long.MIN_VALUE);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger failedWarm = new AtomicInteger();
        long[] lateness = new long[count];
        CountDownLatch all = new CountDownLatch(count);
        long start = System.nanoTime() + 200_000_000L;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long due = start + Math.round(i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int n = i;
                threads.execute(() -> {
                    lateness[n] = System.nanoTime() - due;
                    String payload = body.contains("%d") ? body.replace("%d", Integer.toString(n)) : body;
                    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
                    byte[] request = (method + " " + target + " HTTP/1.1\r\n" + headers
                            + (bytes.length > 0 ? "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n" : "")
                            + "\r\n" + payload).getBytes(StandardCharsets.UTF_8);
                    try {
                        Conn c = idle.poll();
                        if (c == null) {
                            c = new Conn(uri.getHost(), uri.getPort());
                        }
                        int status = c.exchange(request);
                        idle.offer(c);
                        if (status >= 300) {
                            (n < skipped ? failedWarm : failed).incrementAndGet();
                        }
                        done[n] = System.nanoTime();
                    } catch (IOException e) {
                        (n < skipped ? failedWarm : failed).incrementAndGet();
                    } finally {
                        all.countDown();
                    }
                });
            }
            all.await(60, TimeUnit.SECONDS);
        }
        long[] lat = new long[count];
        int k = 0;
        int measured = count - skipped;
        for (int i = skipped; i < count; i++) {
            if (done[i] != Long.MIN_VALUE) {
                lat[k++] = done[i] - (start + Math.round(i * 1e9 / rate));
            }
        }
        int answered = k;
        lat = Arrays.copyOf(lat, k);
        Arrays.sort(lat);
        long[] late = Arrays.copyOfRange(lateness, skipped, count);
        Arrays.sort(late);
        System.out.printf("open-loop %s %s: %d due at %.0f/s over %.0f s, %d answered, %d failed; from the due time"
                        + " p50 %.1f ms, p99 %.1f ms, max %.1f ms; sender lateness p99 %.1f ms; %d connections%n", method,
                uri.getPath(), measured, rate, seconds, answered, failed.get(), pct(lat, 0.50), pct(lat, 0.99), pct(lat, 1.0),
                pct(late, 0.99), idle.size());
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    /** One persistent HTTP/1.1 connection, one request at a time; answers need a Content-Length or chunks. */
    private static final class Conn {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Conn(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            if (status == null || status.length() < 12) {
                socket.close();
                throw new IOException("no answer");
            }
            long length = -1;
            boolean chunked = false;
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.regionMatches(true, 0, "Content-Length", 0, colon)) {
                    length = Long.parseLong(h.substring(colon + 1).trim());
                } else if (colon > 0 && h.regionMatches(true, 0, "Transfer-Encoding", 0, colon)) {
                    chunked = h.toLowerCase().contains("chunked");
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    in.skipNBytes(size);
                    line();
                }
                line();
            } else if (length > 0) {
                in.skipNBytes(length);
            }
            return Integer.parseInt(status.substring(9, 12));
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int n = b.length();
                    return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
                }
                b.append((char) c);
            }
            return b.isEmpty() ? null : b.toString();
        }
    }
}
