package dev.orbit.ops.conv;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.constant_pad_nd;
import static org.bytedeco.pytorch.global.torch.convolution;

import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.Role;
import dev.orbit.ops.Segment;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.NdArray;

/**
 * Conv over any number of spatial axes. Asymmetric or negative pads are applied to the input explicitly, so
 * libtorch only sees symmetric padding. 2-D float convolutions with one group or a depthwise kernel go through
 * {@link UnfoldConvolution} instead (oneDNN is capped at SSE4.1 here). With a constant kernel it creates a neuron space
 * on its output channels.
 */
public final class Conv extends ConvolutionOp {
    @Override
    public String opType() { return "Conv"; }

    @Override
    boolean transposed() { return false; }

    @Override
    Tensor compute(Node node, Tensor x, Tensor w, Tensor b, long[] kernel, long group) {
        int n = kernel.length;
        if (x.size(1) != w.size(1) * group) {
            throw OpSupport.shapeError(node, "X has " + x.size(1) + " channels but W " + Arrays.toString(OpSupport.sizes(w))
                    + " with group " + group + " expects " + w.size(1) * group);
        }
        WindowGeometry g = WindowGeometry.of(node, kernel, false);
        long[] begin = new long[n];
        long[] end = new long[n];
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long[] r = g.resolve(i, x.size(i + 2));
            begin[i] = r[0];
            end[i] = r[1];
            out[i] = r[2];
        }
        if (UnfoldConvolution.covers(x, w, group, out)) {
            return UnfoldConvolution.apply(x, w, b, begin, end, g.strides(), g.dilations(), out, group > 1);
        }
        long[] padding = begin;
        if (!Arrays.equals(begin, end) || Arrays.stream(begin).anyMatch(p -> p < 0)) {
            x = constant_pad_nd(x, WindowGeometry.torchPads(begin, end), new Scalar(0.0));
            padding = new long[n];
        }
        return convolution(x, w, OpSupport.optional(b), g.strides(), padding, g.dilations(), false, new long[n], group);
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { convRule(rules, node); }

    private static void convRule(SpaceRules rules, Node n) {
        String x = n.input(0);
        String w = n.input(1);
        if (!rules.isParam(w)) {
            rules.freezeInputs(n, label(n) + ": kernel is not constant");
            return;
        }
        NdArray k = rules.parameter(w);
        long group = n.attributes().getInt("group", 1);
        long out = k.dim(0);
        long inPerGroup = k.dim(1);
        Layout lx = rules.layout(x);
        if (lx != null && (lx.axis() != 1 || lx.length() != inPerGroup * group)) {
            rules.freeze(x, label(n) + ": input channels do not line up with the kernel");
            lx = null;
        }
        int s = rules.newSpace(out, label(n));
        rules.touch(s, w, 0, Role.COVARIANT, 0, 1);
        Layout lo = new Layout(1, List.of(new Segment(s, out, 1)));
        if (group == 1) {
            if (lx != null) rules.touchLayout(lx, w, 1, Role.CONTRAVARIANT);
        } else if (lx != null && inPerGroup == 1 && lx.segments().size() == 1 && lx.segments().getFirst().repeat() == 1) {
            // depthwise: output channel o reads input channel o / (out/in); one kernel axis carries both sides
            long multiplier = out / group;
            Segment in = lx.segments().getFirst();
            rules.touch(in.space(), w, 0, Role.CONTRAVARIANT, 0, multiplier);
            if (multiplier == 1) {
                rules.linkPerm(s, in.space());
            } else {
                rules.forbidPermutation(s, label(n) + ": depthwise multiplier " + multiplier + " ties channels in blocks");
                rules.forbidPermutation(in.space(), label(n) + ": depthwise multiplier " + multiplier + " ties channels in blocks");
            }
        } else {
            String why = label(n) + ": grouped convolution (" + group + " groups) mixes channels only within groups";
            rules.forbidPermutation(s, why);
            rules.forbidPermutation(lx, why);
            rules.forbidScaling(lx, why);
        }
        rules.bias(n, n.input(2), lo, 0, 1);
        rules.setLayout(n.output(0), lo);
    }
}
