package dev.orbit.hyperbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.GradientCheck;
import dev.orbit.train.Gradients;

/** libtorch's autograd through both length products against finite differences (float64), and the seed's closed form. */
class LengthProductGradientTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"h2, horocycle", "h2, affine", "h2, geodesic", "h3, affine", "euclid, identity", "euclid, affine"})
    void gradientsAndHessianVectorProductsMatchFiniteDifferences(String space, String embedding) {
        LayerFixture f = LayerFixture.of(space, embedding, true, 4, 3, 21);
        NdArray x = LayerFixture.inputs(3, 4, 8);
        // with respect to the inputs, the weight points and the embedding parameters
        GradientCheck check = new GradientCheck(f.model(), Map.of(LayerFixture.X, x), 5);
        check.checkGradient();
        if (!space.equals("euclid")) check.checkHessianVector(); // |·| is piecewise linear: its Hessian is 0 a.e.
    }

    /**
     * The seed's test case: S = [[a, b], [c, d]] maps positive reals to positive reals; for points iS(x), iS(y) on the
     * imaginary axis d_H = ln(S(x)/S(y)) when S(x) > S(y), so ∂d/∂y = −S'(y)/S(y) = −1/((ay + b)(cy + d)). The input y
     * goes through S (standard ops), then the geodesic embedding t ↦ i·eᵗ of ln S(y); the weight point is iS(x).
     */
    @Test
    void theSeedsImaginaryAxisGradient() {
        double[][] maps = {{2, 1, 0.5, 0.75}, {1, 0.3, -0.2, 0.94}, {3, 2, 1, 1}};
        for (double[] s : maps) {
            assertEquals(1, s[0] * s[3] - s[1] * s[2], 1e-15, "det 1");
            double px = 3.0; // below the pole −d/c of the second map, so S stays positive and increasing
            double sx = (s[0] * px + s[1]) / (s[2] * px + s[3]);
            for (double y : new double[] {0.05, 0.4, 1.3}) {
                double sy = (s[0] * y + s[1]) / (s[2] * y + s[3]);
                assertTrue(sx > sy);
                Model m = seedModel(s, Math.log(sx));
                try (PointerScope scope = new PointerScope()) {
                    Tensor in = NdArray.ofDoubles(new double[] {y}, 1, 1).toTorch();
                    in.set_requires_grad(true);
                    Map<String, Tensor> params = new java.util.LinkedHashMap<>();
                    for (var e : m.graph().parameters().entrySet()) params.put(e.getKey(), e.getValue().toTorch());
                    Tensor d = new Evaluator(m).forward(Map.of("y", in), params, false).get("d");
                    assertEquals(Math.log(sx / sy), d.item_double(), 1e-14);
                    double grad = Gradients.grad(d.sum(), List.of(in), false).getFirst().item_double();
                    double want = -1 / ((s[0] * y + s[1]) * (s[2] * y + s[3]));
                    assertEquals(want, grad, 1e-12 * Math.abs(want), "∂d/∂y at y = " + y);
                }
            }
        }
    }

    private static Model seedModel(double[] s, double logSx) {
        Map<String, NdArray> p = new java.util.LinkedHashMap<>();
        p.put("a", NdArray.ofDoubles(new double[] {s[0]}));
        p.put("b", NdArray.ofDoubles(new double[] {s[1]}));
        p.put("c", NdArray.ofDoubles(new double[] {s[2]}));
        p.put("dd", NdArray.ofDoubles(new double[] {s[3]}));
        p.put("w", NdArray.ofDoubles(new double[] {0, logSx}, 1, 1, 2));
        List<Node> nodes = List.of(
                new Node("num", "Add", List.of("ay", "b"), List.of("num"), Attributes.NONE),
                new Node("ay", "Mul", List.of("y", "a"), List.of("ay"), Attributes.NONE),
                new Node("cy", "Mul", List.of("y", "c"), List.of("cy"), Attributes.NONE),
                new Node("den", "Add", List.of("cy", "dd"), List.of("den"), Attributes.NONE),
                new Node("s", "Div", List.of("num", "den"), List.of("s"), Attributes.NONE),
                new Node("logs", "Log", List.of("s"), List.of("logs"), Attributes.NONE),
                new Node("lp", HyperbolicLengthProduct.OP, HyperbolicLengthProduct.DOMAIN, List.of("logs", "w"), List.of("d"),
                        Attributes.NONE.with("embedding", new Attr.Str("geodesic")), ""));
        var in = new ValueInfo("y", new ValueType(DType.FLOAT64, Shape.of(Dim.of(1), Dim.of(1))));
        var out = new ValueInfo("d", new ValueType(DType.FLOAT64, Shape.of(Dim.of(1), Dim.of(1))));
        return new Model(new Graph("seed", List.of(in), List.of(out), nodes, p, Map.of(), ""),
                Map.of("", 17L, HyperbolicLengthProduct.DOMAIN, 1L), Model.ModelInfo.orbit());
    }
}
