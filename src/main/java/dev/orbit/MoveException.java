package dev.orbit;

/**
 * A move this model does not allow: no attention for {@code attention(...)}, no residual stream that rotates
 * exactly for {@code rotateResidual(...)}, a rotation that does not fit the stream. {@link #part()} says which part
 * of the move was refused; the message says why.
 */
public final class MoveException extends IllegalArgumentException {
    /** The part of a teleport that was refused. */
    public enum Part { ATTENTION, RESIDUAL_STREAM, ROTATION }

    private final Part part;

    public MoveException(Part part, String message) {
        super(message);
        this.part = part;
    }

    public Part part() { return part; }
}
