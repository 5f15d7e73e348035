package dev.orbit.ops.detection;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * NonMaxSuppression: per batch entry and class, boxes in falling score order (ties by index) above
 * score_threshold, each kept unless its IoU with a kept box exceeds iou_threshold, at most
 * max_output_boxes_per_class (absent or 0: none). Boxes are corners [y1, x1, y2, x2] in either order
 * (center_point_box 0) or [x_c, y_c, w, h] (1). Output: [kept, 3] int64 rows (batch, class, box), by batch, class,
 * then selection order. Greedy and data-dependent, it runs on the CPU in float64.
 */
public final class NonMaxSuppression implements Op {
    @Override
    public String opType() { return "NonMaxSuppression"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(new ValueType(DType.INT64, Shape.of(Dim.unknown(), Dim.of(3))));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor boxesT = ctx.require(node, 0);
        Tensor scoresT = ctx.require(node, 1);
        if (boxesT.dim() != 3 || boxesT.size(2) != 4 || scoresT.dim() != 3 || scoresT.size(0) != boxesT.size(0)
                || scoresT.size(2) != boxesT.size(1)) {
            throw new ModelFormatException(label(node) + ": boxes " + java.util.Arrays.toString(OpSupport.sizes(boxesT)) + " and scores "
                    + java.util.Arrays.toString(OpSupport.sizes(scoresT)) + " are not [B, N, 4] and [B, C, N]");
        }
        double[] boxes = NdArray.fromTorch(boxesT.to(ScalarType.Double).contiguous()).toDoubleArray();
        double[] scores = NdArray.fromTorch(scoresT.to(ScalarType.Double).contiguous()).toDoubleArray();
        long[] max = ctx.longs(2);
        long limit = max == null || max.length == 0 ? 0 : max[0];
        double iouLimit = ctx.input(3) == null ? 0 : NdArray.fromTorch(ctx.input(3).to(ScalarType.Double)).toDoubleArray()[0];
        Double scoreFloor = ctx.input(4) == null ? null : NdArray.fromTorch(ctx.input(4).to(ScalarType.Double)).toDoubleArray()[0];
        boolean centre = node.attributes().getInt("center_point_box", 0) != 0;
        int b = (int) boxesT.size(0);
        int n = (int) boxesT.size(1);
        int c = (int) scoresT.size(1);
        List<long[]> kept = new ArrayList<>();
        for (int bi = 0; bi < b; bi++) {
            double[][] corners = new double[n][];
            for (int i = 0; i < n; i++) corners[i] = corners(boxes, (bi * n + i) * 4, centre);
            for (int ci = 0; ci < c; ci++) {
                int base = (bi * c + ci) * n;
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < n; i++) if (scoreFloor == null || scores[base + i] > scoreFloor) order.add(i);
                order.sort(Comparator.<Integer>comparingDouble(i -> -scores[base + i]).thenComparingInt(i -> i));
                List<Integer> chosen = new ArrayList<>();
                for (int i : order) {
                    if (chosen.size() >= limit) break;
                    boolean suppressed = false;
                    for (int j : chosen) if (iou(corners[i], corners[j]) > iouLimit) suppressed = true;
                    if (!suppressed) chosen.add(i);
                }
                for (int i : chosen) kept.add(new long[] {bi, ci, i});
            }
        }
        long[] flat = new long[kept.size() * 3];
        for (int k = 0; k < kept.size(); k++) System.arraycopy(kept.get(k), 0, flat, 3 * k, 3);
        return OpSupport.one(NdArray.ofLongs(flat, kept.size(), 3).toTorch());
    }

    /** [y_min, x_min, y_max, x_max] of the box at {@code at}. */
    private static double[] corners(double[] b, int at, boolean centre) {
        if (centre) {
            double xc = b[at], yc = b[at + 1], w = b[at + 2], h = b[at + 3];
            return new double[] {yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2};
        }
        return new double[] {Math.min(b[at], b[at + 2]), Math.min(b[at + 1], b[at + 3]), Math.max(b[at], b[at + 2]), Math.max(b[at + 1], b[at + 3])};
    }

    private static double iou(double[] a, double[] b) {
        double ih = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double iw = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (ih <= 0 || iw <= 0) return 0;
        double inter = ih * iw;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": selects boxes by comparing scores and overlaps, a discrete data-dependent choice");
    }
}
