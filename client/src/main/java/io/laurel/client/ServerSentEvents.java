package io.laurel.client;

import io.laurel.api.LeaderboardPage;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The live leaderboard over Server-Sent Events: {@code event:}/{@code data:} lines, a blank line ends an event. */
final class ServerSentEvents {
    private ServerSentEvents() {
    }

    static Flux<LeaderboardPage> stream(Transport t, String leaderboardId, int limit, String userId) {
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        params.put("limit", limit);
        params.put("user_id", userId);
        String path = Transport.query("/v1/leaderboards/" + Transport.enc(leaderboardId) + "/stream", params);
        return Flux.<String, Stream<String>>using(() -> open(t, path), lines -> Flux.fromIterable(events(lines)),
                        Stream::close)
                .subscribeOn(Schedulers.boundedElastic())
                .map(data -> read(t, data));
    }

    private static Stream<String> open(Transport t, String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.base() + path.substring(1)))
                .header("Accept", "text/event-stream").GET();
        if (t.apiKey() != null) {
            b.header("Authorization", "Bearer " + t.apiKey());
        }
        HttpResponse<Stream<String>> response = t.http().send(b.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() >= 400) {
            String body;
            try (Stream<String> lines = response.body()) {
                body = String.join("\n", lines.toList());
            }
            throw new LaurelApiException(t.problem(response.statusCode(), body));
        }
        return response.body();
    }

    /** The data of each event (comments and keep-alives skipped), read as they arrive. */
    static Iterable<String> events(Stream<String> lines) {
        Iterator<String> in = lines.iterator();
        return () -> new Iterator<>() {
            private String next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                List<String> data = new ArrayList<>();
                while (in.hasNext()) {
                    String line = in.next();
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            next = String.join("\n", data);
                            return true;
                        }
                    } else if (line.startsWith("data:")) {
                        data.add(line.substring(line.startsWith("data: ") ? 6 : 5));
                    }
                }
                if (!data.isEmpty()) {
                    next = String.join("\n", data);
                    return true;
                }
                return false;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                String out = next;
                next = null;
                return out;
            }
        };
    }

    private static LeaderboardPage read(Transport t, String data) {
        try {
            return t.json.readValue(data, LeaderboardPage.class);
        } catch (IOException e) {
            throw new LaurelException("cannot read a leaderboard update: " + e.getMessage(), e);
        }
    }
}
