package dev.orbit.checkpoint;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

/**
 * A move of a checkpoint along its orbit, written as a pure function one tensor at a time: {@link #move} gives the
 * new float64 value of one tensor, reading what it needs (that tensor, and for the residual rotation the norm gain
 * it folds) from the original weights. So a streaming writer can read, move and write tensor after tensor.
 * {@link #obstacle} says when the move does not preserve the function for an architecture (or null when it does);
 * {@link #move} itself does not refuse, which lets tests show that a forbidden move really breaks the function.
 */
public sealed interface CheckpointMove permits ResidualRotation, MlpChannels, ValueMaps, RotaryQueryKeyMaps, QkNormScaling,
        QueryKeyMaps, HeadPermutation {

    /** Names of the tensors this move changes (or adds), in model order. */
    List<String> touched(Architecture a);

    /** The moved value (float64, owned) of tensor {@code name}, one of {@link #touched}. */
    Tensor move(Architecture a, String name, Weights original);

    /** The architecture of the moved checkpoint (the residual rotation unties a tied head). */
    default Architecture after(Architecture a) { return a; }

    /** Why this move does not preserve {@code a}'s function, or {@code null} when it is exact. */
    String obstacle(Architecture a);

    /**
     * The axes of tensor {@code name} along which the move depends on the position: 0 when it permutes, scales or
     * mixes rows, 1 when it does so to columns. A 2-D tensor the move leaves alone along axis 0 can be moved in row
     * chunks (and along axis 1, in column chunks), which is how the streaming writer keeps a 1 GB embedding from
     * becoming one 4 GB float64 array. Such a move may read other 2-D tensors only row-aligned with {@code name}
     * (the residual rotation's head reads the embedding's same rows). Default: both axes (never chunked).
     */
    default java.util.Set<Integer> axes(Architecture a, String name) { return java.util.Set.of(0, 1); }

    /**
     * When the move only permutes and scales {@code name} along one axis, reading nothing else: that map, which the
     * writer applies straight from the stored bytes ({@link AxisMap}). Default: none (the move is evaluated).
     */
    default java.util.Optional<AxisMap> axisMap(Architecture a, String name) { return java.util.Optional.empty(); }
}
