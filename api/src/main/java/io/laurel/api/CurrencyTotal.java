package io.laurel.api;

/** What a recalculation changes in one currency. */
public record CurrencyTotal(String currency, long pointsGained, long pointsLost, long net) {
}
