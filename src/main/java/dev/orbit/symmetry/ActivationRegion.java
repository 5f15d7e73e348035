package dev.orbit.symmetry;

import java.util.List;

/**
 * A connected sub-graph of per-channel elementwise ops (one activation, or a decomposed one such as
 * x·clip(x+3,0,6)/6). Teleportation rewrites it as τ·f(x/τ): a per-channel Mul on every entry and every exit.
 * {@code positivelyHomogeneous}: f(τx) = τf(x) for τ > 0, so positive factors need no rewrite.
 */
public record ActivationRegion(int id, List<String> nodes, List<String> entries, List<String> exits, int axis,
                               List<Integer> spaces, List<Long> sizes, List<Long> repeats,
                               boolean positivelyHomogeneous) {}
