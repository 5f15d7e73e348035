package dev.orbit.io;

import dev.orbit.graph.ModelFormatException;

/** A path named by a file, or a file in a folder the user gave, that would lead outside that folder (exit 3). */
public final class UnsafePathException extends ModelFormatException {
    public UnsafePathException(String message) { super(message); }
}
