package io.laurel.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A lean HTTP/1.1 GET client for the query benchmarks: persistent connections (one request at a time on
 * each, taken from an idle pool, a new one opened when none is idle), blocking sockets with TCP_NODELAY,
 * meant for virtual threads. It does what wrk does and little else, so that at a thousand requests a
 * second on two cores the load generator is not what is being measured.
 */
final class RawHttp implements Closeable {
    record Response(int status, String body) {
    }

    private final String host;
    private final int port;
    private final byte[] headers;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

    /** @param authorization the value of the Authorization header, or null for none */
    RawHttp(String host, int port, String authorization) {
        this.host = host;
        this.port = port;
        this.headers = ("Host: " + host + ":" + port + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Accept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    Response get(String path) throws IOException {
        Connection c = idle.poll();
        boolean reused = c != null;
        if (c == null) {
            c = new Connection(host, port);
        }
        try {
            return release(c, c.get(path, headers));
        } catch (IOException e) {
            c.close();
            if (reused) {
                // the server may have closed an idle connection: once more on a new one
                Connection fresh = new Connection(host, port);
                return release(fresh, fresh.get(path, headers));
            }
            throw e;
        }
    }

    private Response release(Connection c, Response r) {
        if (c.reusable) {
            idle.offer(c);
        } else {
            c.close();
        }
        return r;
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }

    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private boolean reusable = true;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        }

        Response get(String path, byte[] headers) throws IOException {
            byte[] line = ("GET " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[line.length + headers.length];
            System.arraycopy(line, 0, request, 0, line.length);
            System.arraycopy(headers, 0, request, line.length, headers.length);
            out.write(request);
            out.flush();
            String status = readLine();
            if (status == null || !status.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = readLine(); h != null && !h.isEmpty(); h = readLine()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    close = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(readLine().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(readLine().split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes((int) size));
                    readLine();
                }
                readLine();
            } else if (length >= 0) {
                body.write(in.readNBytes((int) length));
            } else {
                throw new IOException("an answer without a length");
            }
            reusable = !close;
            return new Response(code, body.toString(StandardCharsets.UTF_8));
        }

        private String readLine() throws IOException {
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

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
