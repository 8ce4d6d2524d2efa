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

    @Bean
    public ConfigurerModule walletProcessors() {
        return configurer -> configurer.eventProcessing(ep -> ep
                .registerSubscribingEventProcessor(VIEW)
                .registerListenerInvocationErrorHandler(VIEW, c -> PropagatingErrorHandler.instance())
                .registerTrackingEventProcessor(FORWARDER)
                .registerListenerInvocationErrorHandler(FORWARDER, c -> PropagatingErrorHandler.instance()));
    }
}
