package dev.orbit.graph;

/** A named value with its type: a graph input or output, or an annotated intermediate. */
public record ValueInfo(String name, ValueType type, String docString) {
    public ValueInfo(String name, ValueType type) { this(name, type, ""); }
}
