package dev.orbit.checkpoint;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.numeric.Matrices;

/** Shared checks and conversions for the per-head moves. */
final class HeadMaps {
    private HeadMaps() {}

    static Tensor[] tensors(List<double[][]> maps) {
        Tensor[] out = new Tensor[maps.size()];
        for (int i = 0; i < out.length; i++) out[i] = Edits.matrix(maps.get(i));
        return out;
    }

    /** The key/value head's map repeated for every query head of its group. */
    static Tensor[] perQueryHead(AttentionLayout l, Tensor[] perKv) {
        Tensor[] out = new Tensor[l.heads()];
        for (int j = 0; j < out.length; j++) out[j] = perKv[j / l.groupSize()];
        return out;
    }

    static String checkSizes(Architecture a, List<List<double[][]>> maps, String what) {
        if (maps.size() != a.layers()) return what + ": one list per layer is needed";
        for (int i = 0; i < a.layers(); i++) {
            AttentionLayout l = AttentionLayout.of(a, i);
            if (maps.get(i).size() != l.kvHeads()) return what + ": layer " + i + " needs " + l.kvHeads() + " matrices";
            for (double[][] m : maps.get(i)) {
                if (!Matrices.isSquare(m, l.headDim())) return what + ": matrices must be " + l.headDim() + "×" + l.headDim();
                try {
                    Matrices.inverse(m);
                } catch (IllegalArgumentException e) {
                    return what + ": layer " + i + " has a singular matrix";
                }
            }
        }
        return null;
    }

    static boolean isPermutation(long[] p, int n) {
        if (p.length != n) return false;
        boolean[] seen = new boolean[n];
        for (long v : p) {
            if (v < 0 || v >= n || seen[(int) v]) return false;
            seen[(int) v] = true;
        }
        return true;
    }
}
