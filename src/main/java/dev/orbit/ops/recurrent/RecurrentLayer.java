package dev.orbit.ops.recurrent;

import static org.bytedeco.pytorch.global.torch.abs;
import static org.bytedeco.pytorch.global.torch.clamp;
import static org.bytedeco.pytorch.global.torch.exp;
import static org.bytedeco.pytorch.global.torch.gt;
import static org.bytedeco.pytorch.global.torch.log1p;
import static org.bytedeco.pytorch.global.torch.relu;
import static org.bytedeco.pytorch.global.torch.sigmoid;
import static org.bytedeco.pytorch.global.torch.tanh;
import static org.bytedeco.pytorch.global.torch.where;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Attr;
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

/**
 * What RNN, GRU and LSTM share: X [seq, batch, input] (layout 1: [batch, seq, input]); W, R, B stacked per direction
 * (forward, reverse, or both); sequence_lens (a batch entry's steps past its length leave its state alone and give
 * zeros in Y); initial states; the activation list with its alpha/beta; the clip on activation inputs. The steps
 * run with libtorch ops one by one, so autograd differentiates through the recurrence. Outputs: Y [seq, directions,
 * batch, hidden] and the last states [directions, batch, hidden] (layout 1: batch first in both).
 */
abstract class RecurrentLayer implements Op {
    /** How many states the cell carries (1: h; LSTM 2: h and c) and how many gates its W stacks. */
    abstract int states();

    abstract int gates();

    /** The default activations of one direction (f, g[, h]). */
    abstract List<String> defaultActivations();

    /** One step of one direction: the new states from x_t [batch, input] and the previous states. */
    abstract Tensor[] step(Cell cell, Tensor x, Tensor[] prev);

    /** One direction's weights: W [gates·H, input], R [gates·H, H], the two biases, peepholes (LSTM), activations. */
    record Cell(Node node, long hidden, Tensor w, Tensor r, Tensor wb, Tensor rb, Tensor p, List<Activation> act, float clip) {
        Tensor gateInput(Tensor pre) { return clip > 0 ? clamp(pre, new ScalarOptional(new Scalar(-clip)), new ScalarOptional(new Scalar(clip))) : pre; }

        Tensor apply(int k, Tensor pre) { return act.get(k).apply(gateInput(pre)); }

        /** Gate k of a stack along its last axis (pre-activations [batch, gates·H], biases, peepholes). */
        Tensor gate(Tensor stacked, int k) { return stacked.narrow(stacked.dim() - 1, k * hidden, hidden); }

        /** Gate k's rows [k·H, (k+1)·H) of R [gates·H, H]. */
        Tensor recurrence(int k) { return r.narrow(0, k * hidden, hidden); }
    }

    /** An ONNX recurrent activation with its alpha and beta. */
    record Activation(String name, double alpha, double beta) {
        Tensor apply(Tensor x) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "sigmoid" -> sigmoid(x);
                case "tanh" -> tanh(x);
                case "relu" -> relu(x);
                case "affine" -> x.mul(OpSupport.scalar(alpha)).add(OpSupport.scalar(beta));
                case "leakyrelu" -> where(gt(x, new Scalar(0.0)), x, x.mul(OpSupport.scalar(alpha)));
                case "thresholdedrelu" -> where(gt(x, OpSupport.scalar(alpha)), x, torch.zeros_like(x));
                case "scaledtanh" -> tanh(x.mul(OpSupport.scalar(beta))).mul(OpSupport.scalar(alpha));
                case "hardsigmoid" -> clamp(x.mul(OpSupport.scalar(alpha)).add(OpSupport.scalar(beta)),
                        new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(1.0)));
                case "elu" -> where(gt(x, new Scalar(0.0)), x, exp(x).sub(new Scalar(1.0)).mul(OpSupport.scalar(alpha)));
                case "softsign" -> x.div(abs(x).add(new Scalar(1.0)));
                case "softplus" -> log1p(exp(x));
                default -> throw new ModelFormatException("recurrent activation '" + name + "' is not an ONNX activation");
            };
        }

        static double defaultAlpha(String name) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "leakyrelu" -> 0.01;
                case "thresholdedrelu", "elu", "scaledtanh", "affine" -> 1.0;
                case "hardsigmoid" -> 0.2;
                default -> 0;
            };
        }

        static double defaultBeta(String name) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "hardsigmoid" -> 0.5;
                case "scaledtanh" -> 1.0;
                default -> 0;
            };
        }
    }

    private static int directions(Node node) {
        return switch (node.attributes().getString("direction", "forward")) {
            case "forward", "reverse" -> 1;
            case "bidirectional" -> 2;
            case String d -> throw new ModelFormatException(node.opType() + " node '" + node.label() + "': direction '" + d + "' is not forward, reverse or bidirectional");
        };
    }

    private static boolean batchFirst(Node node) { return node.attributes().getInt("layout", 0) == 1; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        ValueType r = ctx.input(2);
        Dim hidden = node.attributes().has("hidden_size") ? Dim.of(node.attributes().getInt("hidden_size", 0))
                : r != null && r.shape() != null && r.shape().rank() == 3 ? r.shape().dim(2) : Dim.unknown();
        Dim nd = Dim.of(directions(node));
        boolean bf = batchFirst(node);
        Dim seq = x.shape().dim(bf ? 1 : 0);
        Dim batch = x.shape().dim(bf ? 0 : 1);
        ValueType y = new ValueType(x.dtype(), bf ? Shape.of(batch, seq, nd, hidden) : Shape.of(seq, nd, batch, hidden));
        ValueType last = new ValueType(x.dtype(), bf ? Shape.of(batch, nd, hidden) : Shape.of(nd, batch, hidden));
        List<ValueType> out = new ArrayList<>();
        out.add(y);
        for (int s = 0; s < states(); s++) out.add(last);
        return out;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        boolean bf = batchFirst(node);
        Tensor x = ctx.require(node, 0);
        if (bf) x = x.transpose(0, 1);
        Tensor w = ctx.require(node, 1);
        Tensor r = ctx.require(node, 2);
        Tensor b = ctx.input(3);
        Tensor lens = ctx.input(4);
        int nd = directions(node);
        long hidden = node.attributes().has("hidden_size") ? node.attributes().getInt("hidden_size", 0) : r.size(2);
        long seq = x.size(0);
        long batch = x.size(1);
        if (w.dim() != 3 || w.size(0) != nd || w.size(1) != gates() * hidden || r.size(1) != gates() * hidden || r.size(2) != hidden) {
            throw new ModelFormatException(node.opType() + " node '" + node.label() + "': W " + java.util.Arrays.toString(OpSupport.sizes(w))
                    + " and R " + java.util.Arrays.toString(OpSupport.sizes(r)) + " do not fit " + nd + " direction(s) of " + gates()
                    + " gates of hidden size " + hidden);
        }
        List<Activation> acts = activations(node, nd);
        float clip = node.attributes().getFloat("clip", 0);
        List<Tensor[]> init = new ArrayList<>();
        for (int s = 0; s < states(); s++) {
            Tensor t = ctx.input(5 + s);
            if (t != null && bf) t = t.transpose(0, 1);
            init.add(t == null ? null : new Tensor[] {t});
        }
        Tensor mask = lens == null ? null : stepMask(lens, seq, x);
        String dir = node.attributes().getString("direction", "forward");
        List<Tensor> ys = new ArrayList<>();
        List<List<Tensor>> lasts = new ArrayList<>();
        for (int s = 0; s < states(); s++) lasts.add(new ArrayList<>());
        int perDir = defaultActivations().size();
        for (int d = 0; d < nd; d++) {
            boolean reverse = dir.equals("reverse") || d == 1;
            Tensor wb = b == null ? null : b.select(0, d).narrow(0, 0, gates() * hidden);
            Tensor rb = b == null ? null : b.select(0, d).narrow(0, gates() * hidden, gates() * hidden);
            Tensor p = states() == 2 && ctx.input(7) != null ? ctx.input(7).select(0, d) : null;
            Cell cell = new Cell(node, hidden, w.select(0, d), r.select(0, d), wb, rb, p, acts.subList(d * perDir, (d + 1) * perDir), clip);
            Tensor[] state = new Tensor[states()];
            for (int s = 0; s < states(); s++) {
                state[s] = init.get(s) == null ? torch.zeros(new long[] {batch, hidden}, new org.bytedeco.pytorch.TensorOptions(x.scalar_type()))
                        : init.get(s)[0].select(0, d);
            }
            Tensor[] ydir = new Tensor[(int) seq];
            for (long i = 0; i < seq; i++) {
                long t = reverse ? seq - 1 - i : i;
                Tensor[] next = step(cell, x.select(0, t), state);
                if (mask != null) {
                    // past a batch entry's length its state stays and its output is zero
                    Tensor m = mask.select(0, t);
                    for (int s = 0; s < states(); s++) next[s] = where(m, next[s], state[s]);
                    ydir[(int) t] = where(m, next[0], torch.zeros_like(next[0]));
                } else {
                    ydir[(int) t] = next[0];
                }
                state = next;
            }
            ys.add(torch.stack(new TensorVector(ydir), 0));
            for (int s = 0; s < states(); s++) lasts.get(s).add(state[s]);
        }
        Tensor y = torch.stack(new TensorVector(ys.toArray(Tensor[]::new)), 1); // [seq, nd, batch, H]
        List<Tensor> out = new ArrayList<>();
        out.add(bf ? y.permute(2, 0, 1, 3) : y);
        for (int s = 0; s < states(); s++) {
            Tensor last = torch.stack(new TensorVector(lasts.get(s).toArray(Tensor[]::new)), 0);
            out.add(bf ? last.transpose(0, 1) : last);
        }
        return out;
    }

    /** [seq, batch, 1] true where step t is within batch entry b's length. */
    private static Tensor stepMask(Tensor lens, long seq, Tensor x) {
        Tensor steps = torch.arange(new Scalar(seq), new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)).reshape(seq, 1);
        return torch.lt(steps, lens.to(torch.ScalarType.Long).reshape(1, -1)).unsqueeze(2);
    }

    private List<Activation> activations(Node node, int nd) {
        List<String> names = node.attributes().get("activations").map(a -> a instanceof Attr.Strs(List<String> v) ? v : null).orElse(null);
        if (names == null) {
            names = new ArrayList<>();
            for (int d = 0; d < nd; d++) names.addAll(defaultActivations());
        }
        if (names.size() != nd * defaultActivations().size()) {
            throw new ModelFormatException(node.opType() + " node '" + node.label() + "': " + names.size() + " activations, not "
                    + nd * defaultActivations().size());
        }
        float[] alpha = node.attributes().getFloats("activation_alpha", null);
        float[] beta = node.attributes().getFloats("activation_beta", null);
        List<Activation> out = new ArrayList<>();
        // alpha and beta list one value per activation that takes one, in order
        int ai = 0;
        int bi = 0;
        for (String n : names) {
            boolean takesAlpha = Activation.defaultAlpha(n) != 0;
            boolean takesBeta = Activation.defaultBeta(n) != 0 || n.equalsIgnoreCase("affine");
            double a = takesAlpha && alpha != null && ai < alpha.length ? alpha[ai++] : Activation.defaultAlpha(n);
            double b = takesBeta && beta != null && bi < beta.length ? beta[bi++] : Activation.defaultBeta(n);
            out.add(new Activation(n, a, b));
        }
        return out;
    }

    /** x Wᵀ + h Rᵀ (+ both biases), all gates at once: [batch, gates·H]. */
    static Tensor affine(Cell c, Tensor x, Tensor h) {
        Tensor pre = torch.matmul(x, c.w().t()).add(torch.matmul(h, c.r().t()));
        if (c.wb() != null) pre = pre.add(c.wb()).add(c.rb());
        return pre;
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        // a hidden unit's permutation would have to act on W's and R's gate rows, R's columns, B and the states
        // together, and no rescaling passes the gates' sigmoid and tanh: the analysis models neither, so all stays
        rules.freezeInputs(node, SpaceRules.label(node) + ": the recurrence mixes hidden units through R and saturating gates");
    }
}
