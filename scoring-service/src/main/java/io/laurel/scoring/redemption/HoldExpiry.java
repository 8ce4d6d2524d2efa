package io.laurel.scoring.redemption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Releases holds that were neither confirmed nor released in time. Checks every second; the release is
 * a wallet command like any other, so a confirmation racing it is decided in order and only one wins.
 */
@Component
public class HoldExpiry {
    private static final Logger log = LoggerFactory.getLogger(HoldExpiry.class);
    private final WalletView view;
    private final Redemptions redemptions;
    private ScheduledExecutorService timer;

    public HoldExpiry(WalletView view, Redemptions redemptions) {
        this.view = view;
        this.redemptions = redemptions;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hold-expiry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::releaseExpired, 1, 1, TimeUnit.SECONDS);
    }

    /** Releases the holds due now; returns how many. */
    public int releaseExpired() {
        int released = 0;
        try {
            for (WalletView.Redemption r : view.expired(Instant.now(), 100)) {
                try {
                    redemptions.release(r, "expired");
                    released++;
                } catch (RuntimeException e) {
                    log.debug("hold {} not released: {}", r.id(), e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            log.warn("expired holds could not be read: {}", e.getMessage());
        }
        return released;
    }

    @PreDestroy
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
