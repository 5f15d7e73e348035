package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.symmetry.Sampling;

/**
 * What {@code orbit teleport} does to a checkpoint folder, from the same options as for ONNX: the change of basis
 * on the free neuron spaces is the SwiGLU channel scaling (up ×τ, down ÷τ; GELU families have no free scaling in a
 * checkpoint), {@code permute} adds MLP channel and head permutations, {@code attention} per-kv-head value maps of
 * condition κ and the query/key maps the family allows (RoPE-commuting blocks with scales in [1/S, S], Qwen3's q/k
 * norm gains, general GL(hd) of condition κ for GPT-2 and BERT), {@code rotation} the residual rotation (decoders).
 *
 * @param rotation null for none
 */
public record CheckpointTeleport(Sampling.Cob cob, boolean permute, boolean attention, double condition, double headScale,
        MoveSampler.Rotation rotation, long seed) {

    /** The moves, in the order they are composed, each with a line saying what it is. */
    public record Step(CheckpointMove move, String description) {}

    public List<Step> steps(Architecture a) {
        List<Step> out = new ArrayList<>();
        boolean swiglu = a instanceof DecoderArchitecture;
        if (swiglu || permute) {
            out.add(new Step(MoveSampler.mlp(a, cob, permute, seed),
                    "MLP channels: " + (permute ? "permuted" : "in place") + (swiglu ? ", up ×τ / down ÷τ, τ ~ " + describe(cob) : " (GELU: no scaling)")));
        }
        if (permute) out.add(new Step(MoveSampler.heads(a, seed + 1), "heads: kv heads with their query groups, query heads within groups"));
        if (attention) {
            out.add(new Step(MoveSampler.values(a, condition, seed + 2), "values: GL(hd) per kv head, condition " + condition + ", inverse on o_proj"));
            out.add(switch (a) {
                case DecoderArchitecture d when d.qkNorm() -> new Step(MoveSampler.qkNorm(d, headScale, seed + 3),
                        "queries/keys: q_norm gain ×s, k_norm gain ÷s per frequency pair, |s| in [1/" + headScale + ", " + headScale + "]");
                case DecoderArchitecture d -> new Step(MoveSampler.rotaryQueryKeys(d, headScale, seed + 3),
                        "queries/keys: RoPE-commuting ρ·R(φ) blocks per frequency pair and kv head, |ρ| in [1/" + headScale + ", " + headScale + "]");
                default -> new Step(MoveSampler.queryKeys(a, condition, seed + 3), "queries/keys: GL(hd) per head, condition " + condition);
            });
        }
        if (rotation != null) {
            out.add(new Step(MoveSampler.rotation(a, rotation, seed + 4), "residual stream: norm gains folded, rotated by a random "
                    + (rotation == MoveSampler.Rotation.HAAR ? "Haar Q" : "Hadamard " + hadamard(a.hiddenSize()))));
        }
        return out;
    }

    static String hadamard(int d) {
        var s = dev.orbit.numeric.Hadamard.split(d);
        return s == null ? "(none of order " + d + ")" : s.small() == 1 ? "H_" + d : "H_" + s.small() + " ⊗ H_" + s.powerOfTwo();
    }

    private static String describe(Sampling.Cob c) {
        return switch (c.kind()) {
            case INTRA -> "U[" + (1 - c.range()) + ", " + (1 + c.range()) + "]";
            case INTER -> "±U[" + (1 - c.range()) + ", " + (1 + c.range()) + "]";
            case POSITIVE -> "U[0, " + c.range() + "]";
            case NEGATIVE -> "U[-" + c.range() + ", 0]";
            case CENTERED -> "U[" + (c.centre() - c.range()) + ", " + (c.centre() + c.range()) + "]";
        };
    }
}
