package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

/**
 * The MLP's intermediate channels permuted and scaled, per layer: new channel c is old channel {@code perm[c]},
 * multiplied by {@code scale[c]}. SwiGLU (decoders): gate rows only permute (silu is not homogeneous), up rows
 * permute and scale by τ, down columns permute and scale by 1/τ — exact for any non-zero τ since the product
 * silu(gate)·up is linear in up. GPT-2 and BERT (GELU): permutations only; a checkpoint holds no graph in which
 * GELU could be rewritten as τ·GELU(x/τ), so {@link #obstacle} refuses τ ≠ 1 there.
 */
public record MlpChannels(List<long[]> perm, List<double[]> scale) implements CheckpointMove {

    @Override public String obstacle(Architecture a) {
        if (perm.size() != a.layers() || scale.size() != a.layers()) return "one permutation and one scale per layer are needed";
        for (int i = 0; i < a.layers(); i++) {
            for (double t : scale.get(i)) {
                if (t == 0 || !Double.isFinite(t)) return "layer " + i + ": scales must be finite and non-zero";
                if (!(a instanceof DecoderArchitecture) && t != 1) return "GELU MLPs admit permutations only (layer " + i + " scales by " + t + ")";
            }
        }
        return null;
    }

    @Override public List<String> touched(Architecture arch) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < arch.layers(); i++) {
            switch (arch) {
                case DecoderArchitecture a -> {
                    // the gate only permutes: without a permutation it stays as stored (copied, not recomputed)
                    boolean permuted = !isIdentity(perm.get(i));
                    if (permuted) names.add(a.layer(i, "mlp.gate_proj.weight"));
                    names.add(a.layer(i, "mlp.up_proj.weight"));
                    names.add(a.layer(i, "mlp.down_proj.weight"));
                    if (a.mlpBias()) {
                        if (permuted) names.add(a.layer(i, "mlp.gate_proj.bias"));
                        names.add(a.layer(i, "mlp.up_proj.bias"));
                    }
                }
                case Gpt2Architecture g -> names.addAll(List.of(g.layer(i, "mlp.c_fc.weight"), g.layer(i, "mlp.c_fc.bias"), g.layer(i, "mlp.c_proj.weight")));
                case BertArchitecture b -> names.addAll(List.of(b.layer(i, "intermediate.dense.weight"), b.layer(i, "intermediate.dense.bias"),
                        b.layer(i, "output.dense.weight")));
            }
        }
        return names;
    }

    @Override public java.util.Set<Integer> axes(Architecture arch, String name) {
        String suffix = Layers.suffix(arch, Layers.of(arch, name), name);
        return switch (suffix) {
            case "mlp.down_proj.weight", "mlp.c_fc.weight", "output.dense.weight" -> java.util.Set.of(1);
            default -> java.util.Set.of(0);
        };
    }

    @Override public java.util.Optional<AxisMap> axisMap(Architecture arch, String name) {
        int layer = Layers.of(arch, name);
        long[] p = perm.get(layer);
        double[] t = scale.get(layer);
        return java.util.Optional.of(switch (Layers.suffix(arch, layer, name)) {
            case "mlp.gate_proj.weight", "mlp.gate_proj.bias" -> new AxisMap(0, p, null);
            case "mlp.up_proj.weight", "mlp.up_proj.bias", "mlp.c_fc.bias", "intermediate.dense.weight", "intermediate.dense.bias" ->
                    new AxisMap(0, p, t);
            case "mlp.down_proj.weight", "output.dense.weight" -> new AxisMap(1, p, reciprocal(t));
            case "mlp.c_fc.weight" -> new AxisMap(1, p, t);
            case "mlp.c_proj.weight" -> new AxisMap(0, p, reciprocal(t));
            default -> throw new IllegalArgumentException("the MLP move does not touch " + name);
        });
    }

    @Override public Tensor move(Architecture arch, String name, Weights w) {
        int layer = Layers.of(arch, name);
        long[] p = perm.get(layer);
        double[] t = scale.get(layer);
        Tensor x = w.get(name);
        String suffix = Layers.suffix(arch, layer, name);
        return switch (suffix) {
            case "mlp.gate_proj.weight", "mlp.gate_proj.bias" -> Edits.permute(x, 0, p);
            case "mlp.up_proj.weight", "mlp.up_proj.bias" -> Edits.scale(Edits.permute(x, 0, p), 0, t);
            case "mlp.down_proj.weight" -> Edits.scale(Edits.permute(x, 1, p), 1, reciprocal(t));
            // GELU families: τ is 1 for an exact move; other τ are applied as asked (and refused by obstacle)
            case "mlp.c_fc.weight" -> Edits.scale(Edits.permute(x, 1, p), 1, t);
            case "mlp.c_fc.bias", "intermediate.dense.weight", "intermediate.dense.bias" -> Edits.scale(Edits.permute(x, 0, p), 0, t);
            case "mlp.c_proj.weight" -> Edits.scale(Edits.permute(x, 0, p), 0, reciprocal(t));
            case "output.dense.weight" -> Edits.scale(Edits.permute(x, 1, p), 1, reciprocal(t));
            default -> throw new IllegalArgumentException("the MLP move does not touch " + name);
        };
    }

    private static boolean isIdentity(long[] p) {
        for (int i = 0; i < p.length; i++) if (p[i] != i) return false;
        return true;
    }

    private static double[] reciprocal(double[] t) {
        double[] r = new double[t.length];
        for (int i = 0; i < t.length; i++) r[i] = 1 / t[i];
        return r;
    }
}
