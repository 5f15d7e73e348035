package dev.orbit.symmetry;

import java.util.List;

/**
 * One neuron space (a hidden channel axis) and the group acting on it: permutations (shared by every space of
 * its {@code permClass}) and diagonal scalings. {@code exactWithoutRewrite} is true when positive factors
 * need no activation rewrite (only positively homogeneous activations such as ReLU touch the space).
 */
public record NeuronSpace(int id, long size, String origin, int permClass, boolean permutable, String permReason,
                          Scaling scaling, String scaleReason, boolean exactWithoutRewrite,
                          List<ParamTouch> touches, List<Integer> regions) {
    public boolean isFree() { return permutable || scaling != Scaling.NONE; }
}
