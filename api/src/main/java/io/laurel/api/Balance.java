package io.laurel.api;

/** A user's points of one currency. */
public record Balance(String currency, long earned, long redeemed, long available, Long held) {
}
