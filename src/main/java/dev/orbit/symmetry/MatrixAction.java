package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.numeric.Matrices;
import dev.orbit.tensor.NdArray;

/**
 * Applies the matrix parts of an element to parameters: per parameter axis, every block it carries is
 * multiplied in one pass (AxisTransform), in float64, stored in the parameter's own type.
 */
final class MatrixAction {
    private MatrixAction() {}

    private record AxisKey(String parameter, int axis) {}

    /** Returns the parameters with every matrix part applied; {@code params} is not modified. */
    static Map<String, NdArray> apply(Map<String, NdArray> params, SymmetryAnalysis a, List<MatrixPart> parts) {
        Map<AxisKey, List<AxisTransform.Block>> work = new LinkedHashMap<>();
        for (MatrixPart part : parts) {
            switch (part) {
                case PairTransform p -> {
                    LinearPair pair = a.pairs().get(p.pair());
                    int group = pair.heads() / pair.kvHeads();
                    double[][][] duals = new double[p.blocks().length][][];
                    for (int g = 0; g < duals.length; g++) duals[g] = Matrices.transpose(Matrices.inverse(p.blocks()[g]));
                    // the query-indexed side has one block per query head, each using its key/value head's matrix
                    for (boolean left : new boolean[] {true, false}) {
                        int n = pair.queryIndexed(left) ? pair.heads() : pair.kvHeads();
                        for (int h = 0; h < n; h++) {
                            int g = pair.queryIndexed(left) ? h / group : h;
                            add(work, left ? pair.left() : pair.right(), (long) h * pair.headDim(), left ? p.blocks()[g] : duals[g]);
                        }
                    }
                }
                case HeadScaling s -> {
                    AttentionBlock b = a.attentions().get(s.attention());
                    for (int h = 0; h < b.heads(); h++) {
                        long at = (long) h * b.headDim();
                        add(work, b.query(), at, constant(b.headDim(), s.query()[h]));
                        add(work, b.key(), at, constant(b.headDim(), s.key()[h]));
                        add(work, b.value(), at, constant(b.headDim(), s.value()[h]));
                        add(work, b.output(), at, constant(b.headDim(), 1 / (s.query()[h] * s.key()[h] * s.value()[h])));
                    }
                }
                case StreamRotation r -> {
                    ResidualStream st = a.streams().get(r.stream());
                    add(work, st.writers(), 0, r.matrix());
                    add(work, st.readers(), 0, Matrices.transpose(Matrices.inverse(r.matrix())));
                }
            }
        }
        Map<String, NdArray> out = new LinkedHashMap<>(params);
        // one pass per (parameter, axis); blocks on different axes of one tensor commute
        for (var e : work.entrySet()) {
            String name = e.getKey().parameter();
            NdArray w = out.get(name);
            if (w == null) throw new IllegalArgumentException("parameter '" + name + "' does not exist in this model");
            out.put(name, AxisTransform.apply(w, e.getKey().axis(), mergeOverlapping(e.getValue())));
        }
        return out;
    }

    private static void add(Map<AxisKey, List<AxisTransform.Block>> work, List<BlockTouch> touches, long at, double[][] m) {
        for (BlockTouch t : touches) {
            work.computeIfAbsent(new AxisKey(t.parameter(), t.axis()), k -> new ArrayList<>()).add(new AxisTransform.Block(t.offset() + at, m));
        }
    }

    /** Blocks at the same offset and size (a pair and a scaling on one head) combine by multiplication, in order. */
    private static List<AxisTransform.Block> mergeOverlapping(List<AxisTransform.Block> blocks) {
        Map<Long, double[][]> byOffset = new LinkedHashMap<>();
        for (AxisTransform.Block b : blocks) {
            double[][] prev = byOffset.get(b.offset());
            if (prev == null) {
                byOffset.put(b.offset(), b.matrix());
            } else if (prev.length == b.matrix().length) {
                byOffset.put(b.offset(), Matrices.multiply(prev, b.matrix()));
            } else {
                throw new IllegalArgumentException("blocks of different sizes overlap at offset " + b.offset());
            }
        }
        List<AxisTransform.Block> out = new ArrayList<>();
        byOffset.forEach((o, m) -> out.add(new AxisTransform.Block(o, m)));
        out.sort(java.util.Comparator.comparingLong(AxisTransform.Block::offset));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i - 1).offset() + out.get(i - 1).matrix().length > out.get(i).offset()) {
                throw new IllegalArgumentException("blocks overlap on one parameter axis");
            }
        }
        return out;
    }

    private static double[][] constant(int n, double c) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) m[i][i] = c;
        return m;
    }
}
