package dev.orbit.symmetry;

/** A run of {@code size·repeat} entries of a channel axis that belongs to one neuron space. */
record Segment(int space, long size, long repeat) {
    long length() { return size * repeat; }
}
