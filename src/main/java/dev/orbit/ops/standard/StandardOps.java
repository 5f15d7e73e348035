package dev.orbit.ops.standard;

import java.util.List;

import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.activation.Clip;
import dev.orbit.ops.activation.ClipWithAttributes;
import dev.orbit.ops.activation.Cos;
import dev.orbit.ops.activation.Elu;
import dev.orbit.ops.activation.Erf;
import dev.orbit.ops.activation.Gelu;
import dev.orbit.ops.activation.HardSigmoid;
import dev.orbit.ops.activation.HardSwish;
import dev.orbit.ops.activation.Identity;
import dev.orbit.ops.activation.LeakyRelu;
import dev.orbit.ops.activation.PRelu;
import dev.orbit.ops.activation.PRelu6;
import dev.orbit.ops.activation.Relu;
import dev.orbit.ops.activation.Selu;
import dev.orbit.ops.activation.Sigmoid;
import dev.orbit.ops.activation.Sin;
import dev.orbit.ops.activation.Softplus;
import dev.orbit.ops.activation.Softsign;
import dev.orbit.ops.activation.Tanh;
import dev.orbit.ops.arithmetic.Abs;
import dev.orbit.ops.arithmetic.Add;
import dev.orbit.ops.arithmetic.Div;
import dev.orbit.ops.arithmetic.Exp;
import dev.orbit.ops.arithmetic.Log;
import dev.orbit.ops.arithmetic.Mul;
import dev.orbit.ops.arithmetic.Neg;
import dev.orbit.ops.arithmetic.Pow;
import dev.orbit.ops.arithmetic.Reciprocal;
import dev.orbit.ops.arithmetic.Sqrt;
import dev.orbit.ops.arithmetic.Sub;
import dev.orbit.ops.constant.Constant;
import dev.orbit.ops.constant.ConstantOfShape;
import dev.orbit.ops.constant.Range;
import dev.orbit.ops.conv.Conv;
import dev.orbit.ops.conv.ConvTranspose;
import dev.orbit.ops.indexing.Concat;
import dev.orbit.ops.indexing.Gather;
import dev.orbit.ops.indexing.Slice;
import dev.orbit.ops.indexing.Split;
import dev.orbit.ops.length.EuclideanLengthProduct;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.ops.linear.Gemm;
import dev.orbit.ops.linear.MatMul;
import dev.orbit.ops.norm.BatchNormalization;
import dev.orbit.ops.norm.InstanceNormalization;
import dev.orbit.ops.norm.LayerNormalization;
import dev.orbit.ops.pad.Pad;
import dev.orbit.ops.pool.AveragePool;
import dev.orbit.ops.pool.GlobalAveragePool;
import dev.orbit.ops.pool.GlobalMaxPool;
import dev.orbit.ops.pool.MaxPool;
import dev.orbit.ops.reduce.ReduceMax;
import dev.orbit.ops.reduce.ReduceMean;
import dev.orbit.ops.reduce.ReduceMin;
import dev.orbit.ops.reduce.ReduceSum;
import dev.orbit.ops.resize.Resize10;
import dev.orbit.ops.resize.Resize;
import dev.orbit.ops.resize.Upsample;
import dev.orbit.ops.shape.Cast;
import dev.orbit.ops.shape.Dropout;
import dev.orbit.ops.shape.Expand;
import dev.orbit.ops.shape.Flatten;
import dev.orbit.ops.shape.Reshape;
import dev.orbit.ops.shape.Shape;
import dev.orbit.ops.shape.Squeeze;
import dev.orbit.ops.shape.Transpose;
import dev.orbit.ops.shape.Unsqueeze;
import dev.orbit.ops.softmax.LogSoftmax2D;
import dev.orbit.ops.softmax.LogSoftmax;
import dev.orbit.ops.softmax.Softmax2D;
import dev.orbit.ops.softmax.Softmax;

/**
 * Every op Orbit ships, one line each: the registry the evaluator, shape inference, the symmetry analysis and the
 * trainer use unless they are given another. Extend it with {@code StandardOps.registry().with(myOp)}. It lives
 * apart from the op contract ({@code dev.orbit.ops}) because it imports every family package.
 */
public final class StandardOps {
    private static final OpRegistry REGISTRY = OpRegistry.of(List.of(
            // activations: elementwise ops with φ, φ′, gain and kernel rule (the activation vocabulary)
            new Relu(),
            new LeakyRelu(),
            new PRelu6(),
            new PRelu(),
            new Elu(),
            new Selu(),
            new Sigmoid(),
            new Tanh(),
            new Erf(),
            new Gelu(),
            new Softplus(),
            new Softsign(),
            new HardSigmoid(),
            new HardSwish(),
            new ClipWithAttributes(),
            new Clip(),
            new Sin(),
            new Cos(),
            new Identity(),
            // arithmetic
            new Add(),
            new Sub(),
            new Mul(),
            new Div(),
            new Pow(),
            new Sqrt(),
            new Neg(),
            new Abs(),
            new Exp(),
            new Log(),
            new Reciprocal(),
            // linear maps
            new Gemm(),
            new MatMul(),
            new Conv(),
            new ConvTranspose(),
            // pooling and normalisation
            new MaxPool(),
            new AveragePool(),
            new GlobalAveragePool(),
            new GlobalMaxPool(),
            new BatchNormalization(),
            new InstanceNormalization(),
            new LayerNormalization(),
            new Softmax2D(),
            new Softmax(),
            new LogSoftmax2D(),
            new LogSoftmax(),
            // reductions
            new ReduceMean(),
            new ReduceSum(),
            new ReduceMax(),
            new ReduceMin(),
            // moving and picking elements
            new Flatten(),
            new Reshape(),
            new Squeeze(),
            new Unsqueeze(),
            new Transpose(),
            new Dropout(),
            new Shape(),
            new Cast(),
            new Expand(),
            new Concat(),
            new Split(),
            new Slice(),
            new Gather(),
            new Pad(),
            new Resize10(),
            new Resize(),
            new Upsample(),
            // constants
            new Constant(),
            new ConstantOfShape(),
            new Range(),
            // Orbit's own domain: length products
            new HyperbolicLengthProduct(),
            new EuclideanLengthProduct()));

    private StandardOps() {}

    public static OpRegistry registry() { return REGISTRY; }
}
