package dev.orbit.ops.pool;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.max_pool1d;
import static org.bytedeco.pytorch.global.torch.max_pool2d;
import static org.bytedeco.pytorch.global.torch.max_pool3d;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.ops.conv.WindowGeometry;

/** MaxPool over 1 to 3 spatial axes (float inputs; no Indices output). */
public final class MaxPool extends PoolOp {
    @Override
    public String opType() { return "MaxPool"; }

    @Override
    boolean global() { return false; }

    @Override
    Tensor pool(Node node, Tensor x, long[] spatialAxes) {
        if (node.outputs().size() > 1 && !node.output(1).isEmpty()) {
            throw new UnsupportedOpException("MaxPool node '" + node.label()
                    + "': the Indices output is not supported; drop the second output");
        }
        if (!isFloat(x)) {
            throw new UnsupportedOpException("MaxPool node '" + node.label() + "': only float inputs are supported");
        }
        int n = (int) x.dim() - 2;
        WindowGeometry g = WindowGeometry.of(node, kernel(node, n), true);
        long[][] w = windows(node, g, x);
        Tensor padded = pad(x, w, new Scalar(Double.NEGATIVE_INFINITY));
        long[] zeros = new long[n];
        return switch (n) {
            case 1 -> max_pool1d(padded, g.kernel(), g.strides(), zeros, g.dilations(), false);
            case 2 -> max_pool2d(padded, g.kernel(), g.strides(), zeros, g.dilations(), false);
            case 3 -> max_pool3d(padded, g.kernel(), g.strides(), zeros, g.dilations(), false);
            default -> throw new UnsupportedOpException("MaxPool node '" + node.label() + "': " + n
                    + " spatial axes are not supported (1 to 3 are)");
        };
    }

    /** The channels pass; a negative factor would turn max into min. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.pass(node);
        rules.positiveScalingOnly(rules.layout(node.input(0)), label(node) + ": a negative factor would turn max into min");
    }
}
