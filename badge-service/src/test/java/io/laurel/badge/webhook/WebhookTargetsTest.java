package io.laurel.badge.webhook;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which webhook targets are refused (literal addresses only: no DNS needed). */
class WebhookTargetsTest {
    private final WebhookTargets strict = new WebhookTargets(List.of());

    @Test
    void publicAddressesAreDelivered() {
        assertThat(strict.refusal("https://93.184.216.34/hooks")).isNull();
        assertThat(strict.refusal("http://8.8.8.8:8080/x?y=1")).isNull();
        assertThat(strict.refusal("https://[2606:4700:4700::1111]/x")).isNull();
    }

    @Test
    void theMachinesOwnAndPrivateNetworksAreRefused() {
        assertThat(strict.refusal("http://127.0.0.1:15432/x")).contains("loopback");
        assertThat(strict.refusal("http://127.9.9.9/x")).contains("loopback");
        assertThat(strict.refusal("http://[::1]/x")).contains("loopback");
        assertThat(strict.refusal("http://169.254.169.254/latest/meta-data/")).contains("link-local");
        assertThat(strict.refusal("http://[fe80::1]/x")).contains("link-local");
        assertThat(strict.refusal("http://10.0.0.1/x")).contains("private");
        assertThat(strict.refusal("http://172.16.5.4/x")).contains("private");
        assertThat(strict.refusal("http://172.31.255.255/x")).contains("private");
        assertThat(strict.refusal("http://172.32.0.1/x")).isNull();
        assertThat(strict.refusal("http://192.168.0.10/x")).contains("private");
        assertThat(strict.refusal("http://[fd12:3456::1]/x")).contains("private");
        assertThat(strict.refusal("http://100.64.0.1/x")).contains("carrier-grade NAT");
        assertThat(strict.refusal("http://100.128.0.1/x")).isNull();
        assertThat(strict.refusal("http://224.0.0.251/x")).contains("multicast");
        assertThat(strict.refusal("http://[ff02::1]/x")).contains("multicast");
        assertThat(strict.refusal("http://0.0.0.0/x")).contains("unspecified");
        assertThat(strict.refusal("http://255.255.255.255/x")).contains("reserved");
        assertThat(strict.refusal("http://[::ffff:10.0.0.1]/x")).contains("private");
        // IPv4 inside IPv6: NAT64, 6to4 and IPv4-compatible forms reach the same private networks
        assertThat(strict.refusal("http://[64:ff9b::a00:1]/x")).contains("private");
        assertThat(strict.refusal("http://[64:ff9b::7f00:1]/x")).contains("loopback");
        assertThat(strict.refusal("http://[2002:a9fe:a9fe::1]/x")).contains("link-local");
        assertThat(strict.refusal("http://[::a00:1]/x")).contains("private");
        assertThat(strict.refusal("http://[64:ff9b::808:808]/x")).isNull();
        assertThat(strict.refusal("http://[2002:808:808::1]/x")).isNull();
    }

    @Test
    void aHostThatDoesNotResolveIsTheOnlyRefusalADeliveryRetries() {
        assertThat(WebhookTargets.unresolved("its host does not resolve: hooks.example")).isTrue();
        assertThat(WebhookTargets.unresolved(strict.refusal("http://10.0.0.1/x"))).isFalse();
        assertThat(WebhookTargets.unresolved(null)).isFalse();
    }

    @Test
    void onlyHttpWithAHostAndNoCredentials() {
        assertThat(strict.refusal("ftp://8.8.8.8/x")).contains("http");
        assertThat(strict.refusal("file:///etc/passwd")).contains("http");
        assertThat(strict.refusal("http:///x")).contains("no host");
        assertThat(strict.refusal("http://u:p@8.8.8.8/x")).contains("credentials");
        assertThat(strict.refusal("http://exa mple.com/")).contains("not a valid URL");
    }

    @Test
    void theAllowListLetsOnPremiseReceiversThrough() {
        WebhookTargets onPrem = new WebhookTargets(List.of("10.20.0.0/16", "127.0.0.1", " receiver.internal ", "fd00::/8"));
        assertThat(onPrem.refusal("http://10.20.3.4/x")).isNull();
        assertThat(onPrem.refusal("http://10.21.3.4/x")).contains("private");
        assertThat(onPrem.refusal("http://127.0.0.1:9000/x")).isNull();
        assertThat(onPrem.refusal("http://127.0.0.2:9000/x")).contains("loopback");
        assertThat(onPrem.refusal("http://RECEIVER.internal/x")).isNull();
        assertThat(onPrem.refusal("http://[fd00::5]/x")).isNull();
        assertThat(onPrem.refusal("http://169.254.169.254/x")).contains("link-local");
    }

    @Test
    void aBadAllowListEntryStopsTheStart() {
        assertThatThrownBy(() -> new WebhookTargets(List.of("10.0.0.0/33"))).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> new WebhookTargets(List.of("10.0.0.0/x"))).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> new WebhookTargets(List.of("host/8"))).hasMessageContaining("not an address");
    }
}
