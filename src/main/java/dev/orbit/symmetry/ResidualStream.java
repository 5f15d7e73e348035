package dev.orbit.symmetry;

import java.util.List;

/**
 * A residual stream of width {@code size}: the values joined by residual additions, the writers whose outputs
 * add into it (covariant: W → W·Q) and the linear maps that read it (contravariant: W → Qᵀ·W), possibly through
 * gain-free RMSNorms (‖xQ‖ = ‖x‖, so RMSNorm(xQ) = RMSNorm(x)·Q). Rotatable when every boundary is such a
 * linear map; otherwise {@code reason} names what blocks it (a norm gain not yet folded, a LayerNorm's mean
 * subtraction, a network input or output, an unknown op). {@code values}: the activations that carry it, each
 * with the stream on its last axis (they all move as x → x·Q).
 */
public record ResidualStream(int id, int size, List<BlockTouch> writers, List<BlockTouch> readers, int norms,
                             boolean rotatable, String reason, String origin, List<String> values) {
    public ResidualStream {
        writers = List.copyOf(writers);
        readers = List.copyOf(readers);
        values = List.copyOf(values);
    }
}
