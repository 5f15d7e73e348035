package dev.orbit.ops;

import static dev.orbit.ops.OpCheck.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinearActivationArithmeticOpsTest {
    @Test
    void gemmWithTransposeAlphaBeta() {
        node("Gemm").input("a", randn(1, 3, 5)).param("b", randn(2, 4, 5)).param("c", randn(3, 4))
                .attr("transB", 1L).attr("alpha", 0.5f).attr("beta", 2f).symbolicBatch().check();
        node("Gemm").input("a", randn(1, 5, 3)).param("b", randn(2, 5, 4)).param("c", randn(3, 4))
                .attr("transA", 1L).check();
        node("Gemm").input("a", randn(1, 3, 5)).param("b", randn(2, 5, 4)).check();
    }

    @Test
    void matmulBatchedAndBroadcast() {
        node("MatMul").input("a", randn(1, 2, 3, 4, 5)).param("b", randn(2, 5, 6)).symbolicBatch().check();
        node("MatMul").input("a", randn(1, 3, 5)).input("b", randn(2, 1, 5, 2)).check();
        node("MatMul").input("a", randn(1, 4, 5)).param("b", randn(2, 5)).check();
    }

    @Test
    void erfAgreesToTheRuntimesApproximation() {
        // ONNX Runtime evaluates Erf with a polynomial approximation: absolute error ~3e-7, which is
        // ~7e-5 relative where erf(x) is near 0; libtorch's erf is accurate to float32 rounding
        node("Erf").input("x", randn(1, 3, 4, 7)).absTolerance(1e-6).check();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Relu", "Sigmoid", "Tanh", "Softplus", "Softsign", "HardSwish", "Elu", "Selu", "Sin", "Cos", "Abs", "Neg", "Exp"})
    void unaryActivations(String op) {
        node(op).input("x", randn(3, 4, 7)).symbolicBatch().check();
    }

    @Test
    void parameterisedActivations() {
        node("LeakyRelu").input("x", randn(3, 4, 7)).attr("alpha", 0.1f).check();
        node("Elu").input("x", randn(3, 4, 7)).attr("alpha", 0.7f).check();
        node("HardSigmoid").input("x", randn(3, 4, 7)).attr("alpha", 0.3f).attr("beta", 0.4f).check();
        node("HardSigmoid").input("x", randn(3, 4, 7)).check();
        node("PRelu").input("x", randn(3, 2, 3, 4, 4)).param("s", uniform(4, 0, 1, 3, 1, 1)).check();
        node("Gelu").input("x", randn(3, 4, 7)).opset(20).check();
        node("Gelu").input("x", randn(3, 4, 7)).attr("approximate", "tanh").opset(20).check();
        node("Clip").input("x", randn(3, 4, 7)).param("lo", scalarFloat(-0.5f)).param("hi", scalarFloat(0.5f)).check();
        node("Clip").input("x", randn(3, 4, 7)).skipInput().param("hi", scalarFloat(0.5f)).check();
        node("Clip").input("x", randn(3, 4, 7)).attr("min", -0.2f).attr("max", 0.3f).opset(9).check();
    }

    @Test
    void binaryArithmeticBroadcasts() {
        for (String op : new String[] {"Add", "Sub", "Mul", "Div"}) {
            node(op).input("a", randn(1, 2, 3, 4)).param("b", uniform(2, 0.5f, 2f, 4)).symbolicBatch().check();
            node(op).input("a", randn(1, 2, 1, 4)).input("b", uniform(3, 0.5f, 2f, 3, 1)).check();
        }
        node("Pow").input("a", uniform(1, 0.1f, 3f, 2, 5)).param("e", scalarFloat(2f)).check();
        node("Sqrt").input("a", uniform(1, 0.1f, 3f, 2, 5)).check();
        node("Log").input("a", uniform(1, 0.1f, 3f, 2, 5)).check();
        node("Reciprocal").input("a", uniform(1, 0.1f, 3f, 2, 5)).check();
    }

    @Test
    void integerDivisionTruncates() {
        node("Div").input("a", longs(7, -7, 9, 1)).param("b", longs(2, 2, -4, 3)).check();
    }
}
