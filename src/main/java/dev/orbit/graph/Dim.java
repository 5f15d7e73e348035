package dev.orbit.graph;

/** One dimension of a value's shape: a number, a named symbol (e.g. the batch), or unknown. */
public sealed interface Dim {
    /** A number. Negative only inside integer vectors that describe shapes (Reshape's -1, Slice ends). */
    record Known(long size) implements Dim {
        @Override public String toString() { return Long.toString(size); }
    }

    record Symbolic(String name) implements Dim {
        @Override public String toString() { return name; }
    }

    record Unknown() implements Dim {
        @Override public String toString() { return "?"; }
    }

    static Dim of(long size) { return new Known(size); }

    static Dim symbol(String name) { return new Symbolic(name); }

    static Dim unknown() { return new Unknown(); }

    default boolean isKnown() { return this instanceof Known; }

    /** The size; only for known dimensions. */
    default long size() {
        if (this instanceof Known(long s)) return s;
        throw new IllegalStateException("dimension " + this + " is not a number");
    }
}
