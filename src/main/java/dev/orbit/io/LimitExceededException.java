package dev.orbit.io;

import dev.orbit.graph.ModelFormatException;

/** A file declares more than {@link ReadLimits} allows: refused before anything is allocated (exit 3). */
public final class LimitExceededException extends ModelFormatException {
    public LimitExceededException(String message) { super(message); }
}
