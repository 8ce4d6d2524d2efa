package io.laurel.scoring.rule;

/** An event the engine cannot score (a change of a score event that does not exist, ...): dead-lettered. */
public class UnscorableEventException extends RuntimeException {
    public UnscorableEventException(String message) {
        super(message);
    }
}
