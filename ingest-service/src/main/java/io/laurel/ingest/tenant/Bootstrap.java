package io.laurel.ingest.tenant;

import io.laurel.runtime.secrets.SecretKeyFile;
import io.laurel.events.catalog.ApiKeyDefinition;
import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.events.catalog.TenantDefinition;
import io.laurel.ingest.catalog.CatalogWriter;
import io.laurel.runtime.catalog.CatalogView;
import io.laurel.runtime.config.LaurelProperties;
import io.laurel.runtime.web.ApiKeys;
import io.laurel.runtime.web.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * On first start: tenant {@code default}, its system event types, and the bootstrap key (every scope,
 * may manage tenants). The key is {@code LAUREL_ADMIN_KEY} when set (a changed value replaces the old
 * key); otherwise it is generated, printed once and saved to {@code <data dir>/admin-key}.
 */
@Component
public class Bootstrap {
    public static final String DEFAULT_TENANT = "default";
    public static final String BOOTSTRAP_KEY_ID = "bootstrap";
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final String adminKey;

    public Bootstrap(CatalogView catalog, CatalogWriter writer, LaurelProperties props) throws IOException {
        if (!catalog.catchUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the catalog topic could not be read within 60 s");
        }
        String configured = props.getAdminKey();
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("LAUREL_ADMIN_KEY");
        }
        Path keyFile = props.getDataDir().resolve("admin-key");
        boolean generated = false;
        String key;
        if (configured != null && !configured.isBlank()) {
            key = configured.trim();
        } else {
            // written before the catalog learns its hash: two instances starting together keep the same key
            SecretKeyFile.Secret saved;
            try {
                saved = SecretKeyFile.readOrCreate(keyFile, ApiKeys::newSecret);
            } catch (IOException e) {
                if (Files.exists(keyFile)) {
                    throw e; // there is a key, unreadable: replacing it would lock its holders out
                }
                log.warn("could not save the bootstrap key to {}: {}", keyFile, e.toString());
                saved = new SecretKeyFile.Secret(ApiKeys.newSecret(), true);
            }
            key = saved.value();
            generated = saved.created();
        }
        String hash = ApiKeys.hash(key);
        writer.change(() -> {
            List<CatalogDefinition> changes = new ArrayList<>();
            Instant now = Instant.now();
            if (catalog.tenant(DEFAULT_TENANT).isEmpty()) {
                changes.add(new TenantDefinition(DEFAULT_TENANT, "Default", null, 1, now, now));
            }
            var existing = catalog.apiKeys(DEFAULT_TENANT).stream()
                    .filter(k -> k.id().equals(BOOTSTRAP_KEY_ID)).findFirst();
            Set<String> all = Arrays.stream(Scope.values()).map(Scope::value).collect(Collectors.toSet());
            if (existing.isEmpty() || !existing.get().keyHash().equals(hash) || !existing.get().scopes().equals(all)) {
                int version = existing.map(k -> k.version() + 1).orElse(1);
                Instant created = existing.map(ApiKeyDefinition::createdAt).orElse(now);
                changes.add(new ApiKeyDefinition(DEFAULT_TENANT, BOOTSTRAP_KEY_ID, "bootstrap", hash, all, true,
                        version, created, now));
            }
            return CatalogWriter.Change.of(null, changes);
        });
        if (generated) {
            log.info("Bootstrap API key of tenant 'default' (shown once; saved to {}): {}", keyFile.toAbsolutePath(), key);
        } else {
            log.info("Bootstrap API key of tenant 'default' is {}", configured != null && !configured.isBlank()
                    ? "the value of LAUREL_ADMIN_KEY" : "the one saved in " + keyFile.toAbsolutePath());
        }
        this.adminKey = key;
    }

    /** The system event types go through the catalog aggregates, which take commands once Axon has started. */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    public void systemEventTypes(org.springframework.boot.context.event.ApplicationReadyEvent ready) {
        SystemEventTypes types = ready.getApplicationContext().getBean(SystemEventTypes.class);
        types.ensure(DEFAULT_TENANT);
        // tenants created by an earlier version get the system types added since
        for (var t : ready.getApplicationContext().getBean(CatalogView.class).tenants()) {
            if (!DEFAULT_TENANT.equals(t.tenant())) {
                try {
                    types.ensure(t.tenant());
                } catch (RuntimeException e) {
                    log.warn("could not declare the system event types of tenant '{}': {}", t.tenant(), e.toString());
                }
            }
        }
    }

    /** The bootstrap key's secret, for the standalone's start-up banner. */
    public String adminKey() {
        return adminKey;
    }
}
