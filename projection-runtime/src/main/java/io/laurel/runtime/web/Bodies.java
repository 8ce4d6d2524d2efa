package io.laurel.runtime.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.json.LaurelJson;
import io.laurel.runtime.web.ProblemException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.io.IOException;

/** Reads request bodies as JSON with a size limit: 413 past it, 400 MALFORMED_JSON when unreadable. */
public final class Bodies {
    private Bodies() {
    }

    public static Mono<JsonNode> json(ServerWebExchange exchange, long maxBytes) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(tooLarge(maxBytes));
        }
        return DataBufferUtils.join(exchange.getRequest().getBody(), (int) Math.min(maxBytes, Integer.MAX_VALUE))
                .onErrorMap(org.springframework.core.io.buffer.DataBufferLimitException.class, e -> tooLarge(maxBytes))
                .map(Bodies::bytes)
                .defaultIfEmpty(new byte[0])
                .map(Bodies::parse);
    }

    public static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw ProblemException.badRequest("MALFORMED_JSON", "The request body is empty; a JSON object is expected.");
        }
        try {
            JsonNode node = LaurelJson.mapper().readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ProblemException.badRequest("MALFORMED_JSON", "The request body holds no JSON value.");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw ProblemException.badRequest("MALFORMED_JSON", "The request body is not valid JSON" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("MALFORMED_JSON", "The request body could not be read: " + e.getMessage());
        }
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private static ProblemException tooLarge(long maxBytes) {
        return new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "Payload too large",
                "The request body is larger than " + maxBytes + " bytes.");
    }
}
