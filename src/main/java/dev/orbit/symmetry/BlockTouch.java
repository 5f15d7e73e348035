package dev.orbit.symmetry;

/**
 * A run of a parameter axis that a matrix acts on: entries {@code offset .. offset + n} along {@code axis},
 * where n is the matrix size (per head: block h starts at offset + h·headDim).
 */
public record BlockTouch(String parameter, int axis, long offset) {}
