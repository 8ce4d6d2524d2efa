package io.laurel.events;

/** Record keys. All of one user's records share a key, so they land in one partition, in order. */
public final class Keys {
    private Keys() {
    }

    public static String user(String tenant, String userId) {
        return tenant + "/" + userId;
    }

    public static String catalog(String tenant, String kind, String id) {
        return tenant + "/" + kind + "/" + id;
    }
}
