package io.laurel.badge.rule;

import java.util.Set;

/** A batch's users as keys {@code tenant \u001F user}, and split into the two arrays a PostgreSQL {@code unnest} takes. */
public final class TenantUsers {
    private TenantUsers() {
    }

    public static String key(String tenant, String userId) {
        return tenant + '\u001F' + userId;
    }

    /** {@code [tenants, users]}, in the same order. */
    public static String[][] split(Set<String> tenantUsers) {
        String[] tenants = new String[tenantUsers.size()];
        String[] users = new String[tenantUsers.size()];
        int i = 0;
        for (String tu : tenantUsers) {
            int sep = tu.indexOf('\u001F');
            tenants[i] = tu.substring(0, sep);
            users[i++] = tu.substring(sep + 1);
        }
        return new String[][]{tenants, users};
    }
}
