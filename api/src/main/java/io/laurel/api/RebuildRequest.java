package io.laurel.api;

/** {@code POST /v1/ops/projections/{name}/rebuild}: switch auto or manual. */
public record RebuildRequest(@com.fasterxml.jackson.annotation.JsonProperty("switch") String switchMode) {
}
