package io.laurel.ingest.inbound;

/** Record headers of Kafka ingest ({@code laurel.events.inbound}) and of its rejections. */
public final class InboundHeaders {
    /** The API key (scope events:write) of the tenant the event belongs to. Never forwarded. */
    public static final String API_KEY = "laurel-api-key";
    /** Optional: the tenant; when present it must be the key's tenant. */
    public static final String TENANT = "laurel-tenant";

    public static final String REJECTED_CODE = "laurel_rejected-code";
    public static final String REJECTED_STATUS = "laurel_rejected-status";
    public static final String REJECTED_DETAIL = "laurel_rejected-detail";
    public static final String REJECTED_ERRORS = "laurel_rejected-errors";
    public static final String REJECTED_AT = "laurel_rejected-at";
    public static final String ORIGINAL_PARTITION = "laurel_rejected-original-partition";
    public static final String ORIGINAL_OFFSET = "laurel_rejected-original-offset";

    private InboundHeaders() {
    }
}
