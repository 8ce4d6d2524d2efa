package io.laurel.ingest.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.laurel.events.catalog.CatalogDefinition;
import io.laurel.ingest.catalog.CatalogWriter;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Changes one kind of catalog definition through its aggregate and answers once this process's catalog shows the
 * change: what every admin controller of a definition kind does after validating.
 *
 * @param <T> the kind's definition
 */
public final class DefinitionWrites<T extends CatalogDefinition> {
    private final String kind;
    private final DefinitionCommands commands;
    private final CatalogWriter writer;
    private final BiFunction<String, String, Optional<T>> find;
    private final Predicate<T> live;

    /**
     * @param find the definition of a tenant by id, retired or not, from the local catalog
     * @param live whether a definition found is in force (not retired)
     */
    public DefinitionWrites(String kind, DefinitionCommands commands, CatalogWriter writer,
                            BiFunction<String, String, Optional<T>> find, Predicate<T> live) {
        this.kind = kind;
        this.commands = commands;
        this.writer = writer;
        this.find = find;
        this.live = live;
    }

    /** Defines it (409 {@code {KIND}_EXISTS}) and answers it once visible (503 {@code CATALOG_DELAYED} otherwise). */
    public T define(String tenant, String id, JsonNode body) {
        commands.define(tenant, kind, id, body);
        return visible(tenant, id, d -> true);
    }

    /** Revises it (404 {@code {KIND}_NOT_FOUND}) and answers its next version once visible. */
    public T revise(String tenant, String id, JsonNode body) {
        int before = find.apply(tenant, id).map(CatalogDefinition::version).orElse(0);
        commands.revise(tenant, kind, id, body);
        return visible(tenant, id, d -> d.version() > before);
    }

    /** Retires it (404 {@code {KIND}_NOT_FOUND}) and waits, at most {@link CatalogWriter#VISIBLE_WITHIN}, until it is no longer in force here. */
    public void retire(String tenant, String id) {
        commands.retire(tenant, kind, id);
        writer.awaitVisible(() -> find.apply(tenant, id).filter(live).isEmpty(), CatalogWriter.VISIBLE_WITHIN);
    }

    private T visible(String tenant, String id, Predicate<T> done) {
        writer.requireVisible(() -> find.apply(tenant, id).filter(live).filter(done).isPresent());
        return find.apply(tenant, id).orElseThrow();
    }
}
