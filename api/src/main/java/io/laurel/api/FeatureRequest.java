package io.laurel.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/admin/features} ({@code id} required) and {@code PUT …/{id}}: a feature users unlock, once, by
 * {@code unlock}.
 */
public record FeatureRequest(
        @Pattern(regexp = Ids.DEFINITION_ID, message = Ids.DEFINITION_ID_MESSAGE) String id,
        @Size(min = 1, max = 200, message = "must be a string of 1 to 200 characters") String name,
        @Size(max = 1000, message = "must be a string of at most 1000 characters") String description,
        @NotNull(message = "is required: {\"kind\": \"points|badge|level|challenge|manual\", …}") @Valid Unlock unlock)
        implements Checked {

    /**
     * What unlocks the feature: {@code points} ({@code threshold} earned in {@code currency}, default points),
     * {@code badge} ({@code badge_id} awarded), {@code level} ({@code level} of the level set {@code level_set}
     * reached), {@code challenge} ({@code challenge_id} completed) or {@code manual} ({@code POST
     * /v1/features/{id}/grants}).
     */
    public record Unlock(
            @NotNull(message = KIND) @Pattern(regexp = "points|badge|level|challenge|manual", message = KIND) String kind,
            @Pattern(regexp = Ids.CURRENCY, message = Ids.CURRENCY_MESSAGE) String currency,
            @Min(value = 1, message = "must be a whole number of at least 1") Long threshold,
            @Pattern(regexp = Ids.DEFINITION_ID, message = Ids.DEFINITION_ID_MESSAGE) String badgeId,
            @Pattern(regexp = Ids.DEFINITION_ID, message = Ids.DEFINITION_ID_MESSAGE) String levelSet,
            @Min(value = 0, message = "must be a whole number of at least 0") @Max(value = Integer.MAX_VALUE) Integer level,
            @Pattern(regexp = Ids.DEFINITION_ID, message = Ids.DEFINITION_ID_MESSAGE) String challengeId) {
        private static final String KIND = "is required: points, badge, level, challenge or manual";

        public static Unlock points(String currency, long threshold) {
            return new Unlock("points", currency, threshold, null, null, null, null);
        }

        public static Unlock badge(String badgeId) {
            return new Unlock("badge", null, null, badgeId, null, null, null);
        }

        public static Unlock level(String levelSet, int level) {
            return new Unlock("level", null, null, null, levelSet, level, null);
        }

        public static Unlock challenge(String challengeId) {
            return new Unlock("challenge", null, null, null, null, null, challengeId);
        }

        public static Unlock manual() {
            return new Unlock("manual", null, null, null, null, null, null);
        }
    }

    @Override
    public List<FieldError> check() {
        List<FieldError> errors = new ArrayList<>();
        if (unlock == null || unlock.kind() == null) {
            return errors;
        }
        switch (unlock.kind()) {
            case "points" -> require(errors, unlock.threshold(), "threshold", "is required: the points to earn, at least 1");
            case "badge" -> require(errors, unlock.badgeId(), "badge_id", "is required: the badge that unlocks it");
            case "level" -> {
                require(errors, unlock.levelSet(), "level_set", "is required: the level set");
                require(errors, unlock.level(), "level", "is required: the level number to reach");
            }
            case "challenge" -> require(errors, unlock.challengeId(), "challenge_id",
                    "is required: the challenge to complete");
            default -> {
                // manual: nothing more
            }
        }
        return errors;
    }

    private static void require(List<FieldError> errors, Object value, String field, String message) {
        if (value == null) {
            errors.add(new FieldError("/unlock/" + field, message));
        }
    }
}
