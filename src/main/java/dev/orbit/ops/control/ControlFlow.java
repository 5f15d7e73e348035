package dev.orbit.ops.control;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.SpaceRules;

/** What If, Loop and Scan share: scalar tensors for a body's counters, stacking per-iteration outputs, the freeze. */
final class ControlFlow {
    private ControlFlow() {}

    static Tensor longScalar(long v) { return torch.scalar_tensor(new Scalar(v), new TensorOptions(ScalarType.Long)); }

    static Tensor boolScalar(boolean v) { return longScalar(v ? 1 : 0).to(ScalarType.Bool); }

    /** A condition tensor's truth (one element, any integer or boolean type). */
    static boolean truth(Tensor t) { return t.to(ScalarType.Bool).reshape(-1).get(0).item_bool(); }

    /** Per-iteration values stacked along a new axis; with no iteration, an empty tensor of the body's declared type. */
    static Tensor stack(List<Tensor> parts, int axis, ValueType declared) {
        if (parts.isEmpty()) {
            List<Long> dims = new ArrayList<>();
            dims.add(0L);
            if (declared.shape() != null) {
                for (Dim d : declared.shape().dims()) dims.add(d instanceof Dim.Known(long n) ? n : 0L);
            }
            long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
            return torch.zeros(shape, new TensorOptions(declared.dtype().torchType));
        }
        return torch.stack(new TensorVector(parts.toArray(Tensor[]::new)), axis);
    }

    /** A type with one more (unknown-length) axis inserted at {@code axis}: a stacked per-iteration output. */
    static ValueType stacked(ValueType t, int axis, Dim length) {
        if (t == null) return null;
        if (t.shape() == null) return ValueType.unknown(t.dtype());
        List<Dim> dims = new ArrayList<>(t.shape().dims());
        dims.add(Math.min(Math.max(axis, 0), dims.size()), length);
        return new ValueType(t.dtype(), new Shape(dims));
    }

    /** A type with one axis removed: one step of a scanned input. */
    static ValueType sliced(ValueType t, int axis) {
        if (t == null || t.shape() == null) return t == null ? null : ValueType.unknown(t.dtype());
        List<Dim> dims = new ArrayList<>(t.shape().dims());
        if (axis < 0 || axis >= dims.size()) return ValueType.unknown(t.dtype());
        dims.remove(axis);
        return new ValueType(t.dtype(), new Shape(dims));
    }

    /**
     * Control flow freezes everything it touches: which branch runs, or how often a body runs, depends on the data,
     * and a move does not reach into sub-graphs. What the sub-graphs read by name is frozen by the analysis itself
     * (a node's implicit inputs); the outputs carry no space, so what reads them starts afresh.
     */
    static void freeze(Node node, SpaceRules rules, String why) {
        rules.freezeInputs(node, SpaceRules.label(node) + ": " + why + "; a move does not reach into its sub-graphs");
    }
}
