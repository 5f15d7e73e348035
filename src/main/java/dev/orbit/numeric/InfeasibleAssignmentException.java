package dev.orbit.numeric;

/** No assignment of every row to a distinct column avoids the forbidden (infinite-cost) pairs. */
public final class InfeasibleAssignmentException extends IllegalArgumentException {
    public InfeasibleAssignmentException(String message) {
        super(message);
    }
}
