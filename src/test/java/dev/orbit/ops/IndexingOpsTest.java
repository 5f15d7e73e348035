package dev.orbit.ops;

import static dev.orbit.ops.OpCheck.*;
import static dev.orbit.ops.ShapeOpsTest.n;
import static dev.orbit.ops.ShapeOpsTest.scalarLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.tensor.NdArray;

class IndexingOpsTest {
    private static final long MAX = Long.MAX_VALUE;
    private static final long MIN = Long.MIN_VALUE;

    @Test
    void concatAlongAnyAxis() {
        node("Concat").input("a", randn(1, 2, 3, 4)).input("b", randn(2, 2, 1, 4)).param("c", randn(3, 2, 2, 4))
                .attr("axis", 1L).symbolicBatch().check();
        node("Concat").input("a", randn(1, 2, 3)).input("b", randn(2, 2, 5)).attr("axis", -1L).opset(11).check();
        node("Concat").input("a", randn(1, 2, 3)).input("b", randn(2, 4, 3)).attr("axis", 0L).opset(9).check();
        node("Concat").input("a", longs(1, 2)).param("b", longs(3)).attr("axis", 0L).check();
        OpCheck bad = node("Concat").input("a", randn(1, 2, 3)).input("b", randn(2, 4, 3)).attr("axis", 1L);
        assertThrows(ShapeException.class, () -> ShapeInference.infer(bad.model()));
    }

    private static OpCheck split(long opset, int outputs, Object... attrs) {
        List<String> outs = java.util.stream.IntStream.range(0, outputs).mapToObj(i -> "y" + i).toList();
        OpCheck c = graph(n("Split", List.of("x"), outs, attrs)).opset(opset);
        outs.forEach(c::output);
        return c;
    }

    private static OpCheck splitWithSizes(long opset, long... sizes) {
        List<String> outs = java.util.stream.IntStream.range(0, sizes.length).mapToObj(i -> "y" + i).toList();
        OpCheck c = graph(n("Split", List.of("x", "s"), outs, "axis", -1L)).constant("s", longs(sizes)).opset(opset);
        outs.forEach(c::output);
        return c;
    }

    @Test
    void splitEquallyOrBySizesAcrossOpsets() {
        split(11, 2, "axis", 1L, "split", new long[] {2, 4}).feed("x", randn(1, 3, 6)).symbolicBatch().check();
        split(11, 3, "axis", 1L).feed("x", randn(1, 3, 6)).check();
        splitWithSizes(13, 1, 3, 2).feed("x", randn(1, 3, 6)).symbolicBatch().check();
        split(13, 2, "axis", -1L).feed("x", randn(1, 3, 6)).check();
        split(18, 3, "axis", 0L, "num_outputs", 3L).feed("x", randn(1, 9, 2)).check();
        // opset 18: a dimension that does not divide leaves the last part smaller (7 → 3, 3, 1)
        split(18, 3, "axis", 1L, "num_outputs", 3L).feed("x", randn(1, 2, 7)).check();
        assertThrows(ShapeException.class, () -> split(13, 4, "axis", 1L).feed("x", randn(1, 2, 7)).model());
    }

    @Test
    void sliceWithAttributesBeforeOpset10() {
        node("Slice").input("x", randn(1, 4, 6)).attr("starts", 1L, -4L).attr("ends", 3L, MAX).opset(9).check();
        node("Slice").input("x", randn(1, 4, 6)).attr("starts", new long[] {2}).attr("ends", new long[] {100})
                .attr("axes", new long[] {-1}).opset(9)
                .symbolicBatch().check();
    }

    private static OpCheck slice(NdArray x, long[] starts, long[] ends, long[] axes, long[] steps) {
        OpCheck c = node("Slice").input("x", x).param("st", longs(starts)).param("en", longs(ends));
        if (axes != null) c.param("ax", longs(axes));
        else if (steps != null) c.skipInput();
        if (steps != null) c.param("sp", longs(steps));
        return c.opset(13);
    }

    @Test
    void sliceWithInputsStepsAndClamping() {
        NdArray x = randn(1, 5, 7, 4);
        slice(x, new long[] {1, 0}, new long[] {4, MAX}, new long[] {1, 2}, null).symbolicBatch().check();
        slice(x, new long[] {0, 1}, new long[] {-1, 3}, null, null).check();
        slice(x, new long[] {0, 1}, new long[] {MAX, 7}, new long[] {0, 1}, new long[] {2, 3}).check();
        slice(x, new long[] {-10}, new long[] {10}, new long[] {-2}, new long[] {1}).check();
        // negative steps, including INT64 bounds: whole axis reversed, then every other element backwards
        slice(x, new long[] {-1}, new long[] {MIN}, new long[] {1}, new long[] {-1}).symbolicBatch().check();
        slice(x, new long[] {MAX, 5}, new long[] {MIN, 0}, new long[] {1, 0}, new long[] {-2, -3}).check();
        slice(x, new long[] {2}, new long[] {-100}, new long[] {-1}, new long[] {-1}).check();
        slice(x, new long[] {3}, new long[] {3}, new long[] {1}, new long[] {1}).check();
        slice(x, new long[] {0}, new long[] {MAX}, null, new long[] {1}).opset(10).check();
        OpCheck sym = slice(x, new long[] {-1}, new long[] {MIN}, new long[] {0}, new long[] {-1}).symbolicBatch();
        assertEquals(Shape.of(Dim.symbol("batch"), Dim.of(7), Dim.of(4)),
                ShapeInference.infer(sym.model()).get("y").shape(), "a whole reversed axis keeps its symbol");
    }

    @Test
    void gatherWithConstantAndComputedIndices() {
        node("Gather").input("x", randn(1, 5, 3)).param("i", longs(4, 0, -1, 2)).symbolicBatch().check();
        node("Gather").input("x", randn(1, 5, 3)).param("i", scalarLong(-2)).attr("axis", 1L).symbolicBatch().check();
        node("Gather").input("x", randn(1, 2, 5, 3)).param("i", NdArray.ofLongs(new long[] {0, 4, -5, 1}, 2, 2))
                .attr("axis", -2L).opset(11).check();
        // indices computed at run time, as int64 and as int32
        node("Gather").input("x", randn(1, 6, 4)).input("i", longs(5, -6, 3)).attr("axis", 0L).check();
        graph(n("Cast", List.of("i"), List.of("i32"), "to", 6L), n("Gather", List.of("x", "i32"), List.of("y"), "axis", 1L))
                .feed("x", randn(1, 6, 4)).feed("i", longs(3, -1, 0)).output("y").opset(9).check();
        OpCheck outOfRange = node("Gather").input("x", randn(1, 5, 3)).param("i", longs(5));
        assertThrows(ShapeException.class, () -> ShapeInference.infer(outOfRange.model()));
    }
}
