package io.laurel.runtime.web;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A check run on every authenticated request right after its key is known, before it is routed or its body read:
 * a per-tenant rate limit, say, whose refusals should cost as little as possible.
 */
@FunctionalInterface
public interface RequestGate {
    /** The answer to give instead of handling the request (a 429, say), or null to let it through. */
    ProblemException check(Caller caller, ServerHttpRequest request);
}
