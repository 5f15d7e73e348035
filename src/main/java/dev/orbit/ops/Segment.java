package dev.orbit.ops;

/** A run of {@code size·repeat} entries of a channel axis that belongs to one neuron space. */
public record Segment(int space, long size, long repeat) {
    public long length() { return size * repeat; }
}
