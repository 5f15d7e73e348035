package dev.orbit.symmetry;

import dev.orbit.ops.Role;

/**
 * One parameter axis a neuron space acts on. Along {@code axis}, entries {@code offset .. offset +
 * size·repeat} belong to the space: entry offset + c·repeat + k is channel c (k < repeat; repeat > 1 after a
 * Flatten, where each channel spans its spatial positions).
 */
public record ParamTouch(String parameter, int axis, Role role, long offset, long repeat) {}
