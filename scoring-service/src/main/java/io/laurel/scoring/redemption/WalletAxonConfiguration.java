package io.laurel.scoring.redemption;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The wallets' event processors: the view is subscribing (updated in the deciding transaction), the
 * forwarder to Kafka is tracking and retries rather than skips an event it could not publish.
 */
@Configuration(proxyBeanMethods = false)
public class WalletAxonConfiguration {
    public static final String VIEW = "wallet-view";
    public static final String FORWARDER = "wallet-forwarder";
    public static final String CACHE = "walletCache";

    /**
     * The 10,000 most recently used wallets stay in memory between commands instead of being replayed from
     * their events each time (a wallet with many redemptions would otherwise load them all per command); a
     * wallet changed by another instance is evicted on the write conflict and reloaded.
     */
    @Bean(CACHE)
    public org.axonframework.common.caching.Cache walletCache() {
        return new LruCache(10_000);
    }

    @Bean
    public ConfigurerModule walletProcessors() {
        return configurer -> configurer.eventProcessing(ep -> ep
                .registerSubscribingEventProcessor(VIEW)
                .registerListenerInvocationErrorHandler(VIEW, c -> PropagatingErrorHandler.instance())
                .registerTrackingEventProcessor(FORWARDER)
                .registerListenerInvocationErrorHandler(FORWARDER, c -> PropagatingErrorHandler.instance()));
    }
}
