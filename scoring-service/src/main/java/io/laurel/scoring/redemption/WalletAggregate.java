package io.laurel.scoring.redemption;

import io.laurel.scoring.redemption.WalletMessages.Confirm;
import io.laurel.scoring.redemption.WalletMessages.HoldConfirmed;
import io.laurel.scoring.redemption.WalletMessages.HoldReleased;
import io.laurel.scoring.redemption.WalletMessages.InsufficientPoints;
import io.laurel.scoring.redemption.WalletMessages.NotHeld;
import io.laurel.scoring.redemption.WalletMessages.Outcome;
import io.laurel.scoring.redemption.WalletMessages.PointsHeld;
import io.laurel.scoring.redemption.WalletMessages.Redeem;
import io.laurel.scoring.redemption.WalletMessages.RedemptionCompleted;
import io.laurel.scoring.redemption.WalletMessages.RedemptionNotFound;
import io.laurel.scoring.redemption.WalletMessages.Release;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * Decides redemptions for one wallet under its invariant: what is redeemed plus what is held never
 * exceeds what was earned. Commands on one wallet are handled one at a time (and a concurrent write from
 * another instance is a conflict on the event sequence), so racing requests cannot both spend the same
 * points. A redemption id seen before returns its first outcome: retries are safe.
 */
@Aggregate(cache = WalletAxonConfiguration.CACHE)
public class WalletAggregate {
    @AggregateIdentifier
    private String walletId;
    private String tenant;
    private String userId;
    private String currency;
    private long redeemed;
    private long heldTotal;
    private final Map<String, Long> held = new HashMap<>();
    private final Map<String, String> descriptions = new HashMap<>();
    private final Map<String, String> status = new HashMap<>();

    public WalletAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Outcome handle(Redeem c) {
        String known = status.get(c.redemptionId());
        if (known != null) {
            return new Outcome(c.redemptionId(), known);
        }
        if (c.points() < 1) {
            throw new IllegalArgumentException("a redemption spends at least 1 point");
        }
        long available = c.earned() - redeemed - heldTotal;
        if (c.points() > available) {
            throw new InsufficientPoints(Math.max(0, available), c.points());
        }
        if (c.holdUntil() != null) {
            apply(new PointsHeld(c.walletId(), c.tenant(), c.userId(), c.currency(), c.redemptionId(), c.points(),
                    c.description(), c.holdUntil(), c.at()));
            return new Outcome(c.redemptionId(), RedemptionStatus.HELD);
        }
        apply(new RedemptionCompleted(c.walletId(), c.tenant(), c.userId(), c.currency(), c.redemptionId(), c.points(),
                c.description(), c.at()));
        return new Outcome(c.redemptionId(), RedemptionStatus.COMPLETED);
    }

    @CommandHandler
    public Outcome handle(Confirm c) {
        String s = require(c.redemptionId());
        if (s.equals(RedemptionStatus.COMPLETED)) {
            return new Outcome(c.redemptionId(), s);
        }
        if (!s.equals(RedemptionStatus.HELD)) {
            throw new NotHeld(c.redemptionId(), s);
        }
        apply(new HoldConfirmed(walletId, tenant, userId, currency, c.redemptionId(), held.get(c.redemptionId()),
                descriptions.get(c.redemptionId()), c.at()));
        return new Outcome(c.redemptionId(), RedemptionStatus.COMPLETED);
    }

    @CommandHandler
    public Outcome handle(Release c) {
        String s = require(c.redemptionId());
        if (s.equals(RedemptionStatus.RELEASED)) {
            return new Outcome(c.redemptionId(), s);
        }
        if (!s.equals(RedemptionStatus.HELD)) {
            throw new NotHeld(c.redemptionId(), s);
        }
        apply(new HoldReleased(walletId, tenant, userId, currency, c.redemptionId(), held.get(c.redemptionId()),
                c.reason(), c.at()));
        return new Outcome(c.redemptionId(), RedemptionStatus.RELEASED);
    }

    private String require(String redemptionId) {
        String s = status.get(redemptionId);
        if (s == null) {
            throw new RedemptionNotFound(redemptionId);
        }
        return s;
    }

    @EventSourcingHandler
    void on(RedemptionCompleted e) {
        identify(e.walletId(), e.tenant(), e.userId(), e.currency());
        redeemed += e.points();
        status.put(e.redemptionId(), RedemptionStatus.COMPLETED);
    }

    @EventSourcingHandler
    void on(PointsHeld e) {
        identify(e.walletId(), e.tenant(), e.userId(), e.currency());
        heldTotal += e.points();
        held.put(e.redemptionId(), e.points());
        descriptions.put(e.redemptionId(), e.description());
        status.put(e.redemptionId(), RedemptionStatus.HELD);
    }

    @EventSourcingHandler
    void on(HoldConfirmed e) {
        Long points = held.remove(e.redemptionId());
        heldTotal -= points == null ? 0 : points;
        redeemed += e.points();
        descriptions.remove(e.redemptionId());
        status.put(e.redemptionId(), RedemptionStatus.COMPLETED);
    }

    @EventSourcingHandler
    void on(HoldReleased e) {
        Long points = held.remove(e.redemptionId());
        heldTotal -= points == null ? 0 : points;
        descriptions.remove(e.redemptionId());
        status.put(e.redemptionId(), RedemptionStatus.RELEASED);
    }

    private void identify(String walletId, String tenant, String userId, String currency) {
        this.walletId = walletId;
        this.tenant = tenant;
        this.userId = userId;
        this.currency = currency;
    }
}
