package dev.orbit.verify;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Model;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.io.LimitExceededException;
import dev.orbit.io.ReadLimits;
import dev.orbit.io.Text;
import dev.orbit.tensor.NdArray;

/**
 * Checked before a model runs natively (libtorch in Orbit's evaluator, ONNX Runtime): with the concrete
 * input shapes, every value whose shape inference knows must fit {@link ReadLimits#maxBytes()}. A small file
 * whose ConstantOfShape, Expand or Reshape asks for terabytes is refused here, with exit 3, instead of inside a
 * native allocator (which may succeed under overcommit and let the kernel kill the process later). Values whose
 * size depends on data cannot be known before running; libtorch and ONNX Runtime report those allocation
 * failures as errors, which Orbit maps to exit 3.
 */
public final class EvaluationBudget {
    private EvaluationBudget() {}

    /**
     * The bytes of the largest value with a known shape (-1 when the shapes are inconsistent, which the run
     * reports); throws if one exceeds the limit.
     */
    public static long check(Model model, Map<String, NdArray> feeds) {
        return check(model, feeds, ReadLimits.current().maxBytes());
    }

    public static long check(Model model, Map<String, NdArray> feeds, long maxBytes) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (var e : feeds.entrySet()) shapes.put(e.getKey(), Shape.of(e.getValue().shape()));
        return checkShapes(model, shapes, maxBytes);
    }

    /**
     * The same check before a run whose inputs do not exist yet (training, gradients, Jacobians): every graph
     * input with its declared shape, a batch of {@code batch} on a leading dimension the declaration leaves open.
     */
    public static long checkBatch(Model model, long batch) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (var in : model.graph().inputs()) {
            Shape declared = in.type().shape();
            if (declared == null || declared.rank() == 0) continue;
            java.util.List<Dim> dims = new java.util.ArrayList<>(declared.dims());
            if (!dims.getFirst().isKnown()) dims.set(0, Dim.of(batch));
            shapes.put(in.name(), new Shape(dims));
        }
        return checkShapes(model, shapes, ReadLimits.current().maxBytes());
    }

    /** The check with given input shapes (dimensions may be unknown: values they decide are skipped). */
    public static long checkShapes(Model model, Map<String, Shape> shapes, long maxBytes) {
        Map<String, ValueType> types;
        try {
            types = ShapeInference.infer(model, shapes);
        } catch (ShapeException e) {
            // inconsistent shapes: the run itself reports them, with the input named where that is the cause
            return -1;
        }
        long largest = 0;
        for (var e : types.entrySet()) {
            ValueType t = e.getValue();
            if (t == null || t.shape() == null || !t.shape().isFullyKnown()) continue;
            long bytes = t.dtype().byteSize;
            for (Dim d : t.shape().dims()) {
                long size = ((Dim.Known) d).size();
                if (size < 0) throw new LimitExceededException("value " + Text.quote(e.getKey()) + " gets a negative dimension " + t.shape());
                bytes = size == 0 || bytes == 0 ? 0 : (bytes > Long.MAX_VALUE / size ? -1 : bytes * size);
                if (bytes < 0) break;
            }
            if (bytes < 0 || bytes > maxBytes) {
                throw new LimitExceededException("value " + Text.quote(e.getKey()) + " of shape " + t.shape() + " would take "
                        + (bytes < 0 ? "more than 2^63" : Long.toString(bytes)) + " bytes, more than the limit of " + maxBytes
                        + " (raise it with --max-bytes)");
            }
            largest = Math.max(largest, bytes);
        }
        return largest;
    }
}
