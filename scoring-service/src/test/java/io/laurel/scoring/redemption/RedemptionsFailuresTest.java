package io.laurel.scoring.redemption;

import io.laurel.runtime.web.ProblemException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wallet written by two instances at once: both the taken sequence number and, for a new wallet's first event, the
 * other instance's stream creation are contention (tried again by {@code Redemptions}, then 409 WALLET_BUSY), never a
 * 500.
 */
class RedemptionsFailuresTest {
    @Test
    void contentionOnANewOrAnExistingWalletIsWalletBusy() {
        for (Throwable t : new Throwable[]{new ConcurrencyException("sequence taken"),
                new AggregateStreamCreationException("the wallet's stream was created by another instance")}) {
            assertThat(Redemptions.problem(t)).as(t.toString()).isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(HttpStatus.CONFLICT);
                assertThat(p.code()).isEqualTo("WALLET_BUSY");
            });
        }
    }

    @Test
    void aWalletsOwnRefusalsKeepTheirCodes() {
        assertThat(Redemptions.problem(new WalletMessages.RedemptionNotFound("r-1")))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.code()).isEqualTo("REDEMPTION_NOT_FOUND"));
        IllegalStateException other = new IllegalStateException("database down");
        assertThat(Redemptions.problem(other)).isSameAs(other);
    }
}
