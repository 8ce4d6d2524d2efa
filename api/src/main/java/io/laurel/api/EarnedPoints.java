package io.laurel.api;

/** Points earned in one currency, as the badge service folds the journal (redemptions do not lower them). */
public record EarnedPoints(String currency, long earned) {
}
