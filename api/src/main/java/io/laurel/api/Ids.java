package io.laurel.api;

/** The forms of ids the API takes, for the constraints of its records. */
public final class Ids {
    /** A catalog definition's id: 1 to 63 letters, digits, '_', '.' and '-', starting with a letter or digit. */
    public static final String DEFINITION_ID = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}";
    public static final String DEFINITION_ID_MESSAGE =
            "must be 1 to 63 letters, digits, '_', '.' and '-', starting with a letter or digit";
    /** A currency: lower-case letters, digits, '_' or '-', starting with a letter. */
    public static final String CURRENCY = "[a-z][a-z0-9_-]{0,39}";
    public static final String CURRENCY_MESSAGE = "must be lower-case letters, digits, '_' or '-', starting with a letter";

    private Ids() {
    }
}
