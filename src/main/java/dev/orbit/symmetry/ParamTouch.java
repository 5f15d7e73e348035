package dev.orbit.symmetry;

import dev.orbit.ops.Role;

/**
 * One parameter axis a neuron space acts on. Along {@code axis}, entries {@code offset .. offset +
 * (size/unit)·repeat} belong to the space: entry offset + e·repeat + k is unit e (k &lt; repeat; repeat &gt; 1
 * after a Flatten, where each channel spans its spatial positions). A unit is one channel, or with {@code unit}
 * &gt; 1 a block of that many consecutive channels that only ever moves whole (a per-head constant such as a
 * relative-position score bias, indexed by head while the space holds heads × head_dim channels): such touches
 * are permuted only.
 */
public record ParamTouch(String parameter, int axis, dev.orbit.ops.Role role, long offset, long repeat, long unit) {
    public ParamTouch {
        if (unit < 1) throw new IllegalArgumentException("unit must be positive: " + unit);
        if (unit > 1 && role != Role.PERMUTE_ONLY) throw new IllegalArgumentException("a block touch is permuted only");
    }

    public ParamTouch(String parameter, int axis, Role role, long offset, long repeat) {
        this(parameter, axis, role, offset, repeat, 1);
    }
}
