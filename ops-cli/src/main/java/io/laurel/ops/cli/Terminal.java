package io.laurel.ops.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is a terminal a live progress bar can redraw. */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+: a Console exists even when output is redirected; isTerminal() tells the difference
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: System.console() is null unless both ends are a terminal
        }
    }
}
