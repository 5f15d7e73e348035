package dev.orbit.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.ActivationRegion;
import dev.orbit.symmetry.BlockTouch;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.LinearPair;
import dev.orbit.symmetry.MatrixPart;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.PairTransform;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.StreamRotation;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * The continuous coordinates of a model's orbit that the orbit optimiser moves, and the action they define as a
 * differentiable libtorch function of those coordinates:
 * <ul>
 *   <li>a log-scale vector θ per scalable space, factor τ = exp(θ) (positive: the sign stays as it is, and positive
 *       factors keep positively homogeneous activations exact without a rewrite);</li>
 *   <li>a matrix X per key/value head of each GL(d) attention pair, A = exp(X), so A⁻ᵀ = exp(−Xᵀ) needs no inverse;</li>
 *   <li>a matrix Y per rotatable residual stream, S = (Y − Yᵀ)/2 and the Cayley rotation Q = (I − S)⁻¹(I + S).</li>
 * </ul>
 * All at zero is the identity. Parts the optimiser leaves alone are listed with the reason ({@link #skipped()}):
 * spaces that need an activation rewrite (the rewrite would make the graph itself depend on θ), rotary pairs
 * (a smaller group) and per-head scalings. Coordinates are float64 leaf tensors; make this inside a PointerScope,
 * which frees them.
 */
public final class GroupParameters {
    /** Made per use: a TensorOptions created inside a PointerScope dies with it. */
    private static TensorOptions f64() { return new TensorOptions(torch.ScalarType.Double); }

    private final SymmetryAnalysis analysis;
    private final Map<Integer, Tensor> logScales = new TreeMap<>();
    private final Map<Integer, Tensor> pairLogs = new TreeMap<>();
    private final Map<Integer, Tensor> streamGenerators = new TreeMap<>();
    private final List<String> skipped = new ArrayList<>();

    /** How many log-scales a space gets: one per neuron, or one for the whole space (a uniform factor). */
    public enum Scales { PER_NEURON, PER_SPACE }

    private final Scales scaleMode;

    /** The coordinates of every part of {@code model}'s group the optimiser can move, all zero (the identity). */
    public GroupParameters(Model model, SymmetryAnalysis a, Scales scales) {
        this.analysis = a;
        this.scaleMode = scales;
        Set<String> rewritten = new HashSet<>();
        for (Node n : model.graph().nodes()) if (n.isRewrite()) rewritten.add(n.label());
        for (NeuronSpace s : a.spaces()) {
            if (s.scaling() == Scaling.NONE || a.outputSpaces().contains(s.id())) continue;
            String why = rewriteReason(s, a, rewritten);
            if (why != null) {
                skipped.add("space " + s.id() + ": " + why);
                continue;
            }
            logScales.put(s.id(), leaf(torch.zeros(new long[] {scales == Scales.PER_NEURON ? s.size() : 1}, f64())));
        }
        for (LinearPair p : a.pairs()) {
            if (p.group() != LinearPair.Group.GL) {
                skipped.add("pair " + p.id() + ": rotary embeddings allow only a·I + b·J blocks, not optimised");
                continue;
            }
            pairLogs.put(p.id(), leaf(torch.zeros(new long[] {p.blocks(), p.headDim(), p.headDim()}, f64())));
        }
        for (int i = 0; i < a.streams().size(); i++) {
            ResidualStream st = a.streams().get(i);
            if (st.rotatable()) streamGenerators.put(i, leaf(torch.zeros(new long[] {st.size(), st.size()}, f64())));
        }
        if (!a.attentions().isEmpty()) skipped.add("per-head attention scalings are not optimised (their constraints α_q·α_k = 1 are kept by the GL(d) pairs)");
    }

    /** Null when positive factors on {@code s} keep every activation it passes through exactly as it is. */
    private static String rewriteReason(NeuronSpace s, SymmetryAnalysis a, Set<String> rewritten) {
        if (!s.exactWithoutRewrite()) return "its activation would need the τ·σ(x/τ) rewrite";
        for (ActivationRegion r : a.regions()) {
            if (!r.spaces().contains(s.id())) continue;
            if (!r.positivelyHomogeneous()) return "its activation would need the τ·σ(x/τ) rewrite";
            for (String node : r.nodes()) if (rewritten.contains(node)) return "its activation already carries rewrite constants";
        }
        return null;
    }

    private static Tensor leaf(Tensor t) {
        t.set_requires_grad(true);
        return t;
    }

    /** The coordinates, in a fixed order (scales by space, pairs, streams). */
    public List<Tensor> coordinates() {
        List<Tensor> all = new ArrayList<>(logScales.values());
        all.addAll(pairLogs.values());
        all.addAll(streamGenerators.values());
        return all;
    }

    /** How many real numbers the optimiser moves. */
    public long dimension() {
        long n = 0;
        for (Tensor t : coordinates()) n += t.numel();
        return n;
    }

    /** Parts of the group left at the identity, each with its reason. */
    public List<String> skipped() { return List.copyOf(skipped); }

    /**
     * The moved parameters as differentiable functions of the coordinates. {@code base}: parameter name → float64
     * tensor (no grad needed); names the group does not touch come back as they are.
     */
    public Map<String, Tensor> act(Map<String, Tensor> base) {
        Map<String, Tensor> out = new LinkedHashMap<>(base);
        for (var e : logScales.entrySet()) {
            NeuronSpace s = analysis.space(e.getKey());
            Tensor th = scaleMode == Scales.PER_NEURON ? e.getValue() : e.getValue().repeat_interleave(s.size());
            Tensor up = torch.exp(th);
            Tensor down = torch.exp(th.neg());
            for (ParamTouch t : s.touches()) {
                if (t.role() == Role.PERMUTE_ONLY || t.unit() > 1) continue;
                Tensor w = out.get(t.parameter());
                if (w == null) continue;
                Tensor f = t.role() == Role.COVARIANT ? up : down;
                out.put(t.parameter(), torch.mul(w, axisFactor(w, t, f)));
            }
        }
        for (var e : pairLogs.entrySet()) {
            LinearPair p = analysis.pairs().get(e.getKey());
            Tensor x = e.getValue();
            Tensor a = torch.matrix_exp(x);
            Tensor dual = torch.matrix_exp(x.mT().neg());
            int group = p.heads() / p.kvHeads();
            for (boolean left : new boolean[] {true, false}) {
                int n = p.queryIndexed(left) ? p.heads() : p.kvHeads();
                for (int h = 0; h < n; h++) {
                    int g = p.queryIndexed(left) ? h / group : h;
                    for (BlockTouch t : left ? p.left() : p.right()) {
                        Tensor m = (left ? a : dual).select(0, g);
                        out.put(t.parameter(), block(out.get(t.parameter()), t.axis(), t.offset() + (long) h * p.headDim(), m));
                    }
                }
            }
        }
        for (var e : streamGenerators.entrySet()) {
            ResidualStream st = analysis.streams().get(e.getKey());
            Tensor q = cayley(e.getValue());
            for (BlockTouch t : st.writers()) out.put(t.parameter(), block(out.get(t.parameter()), t.axis(), t.offset(), q));
            for (BlockTouch t : st.readers()) out.put(t.parameter(), block(out.get(t.parameter()), t.axis(), t.offset(), q)); // Q⁻ᵀ = Q
        }
        return out;
    }

    /** The factor along one touched axis, ones elsewhere, shaped to broadcast against {@code w}. */
    private static Tensor axisFactor(Tensor w, ParamTouch t, Tensor f) {
        long[] shape = w.sizes().vec().get();
        long len = shape[t.axis()];
        Tensor seg = t.repeat() > 1 ? f.repeat_interleave(t.repeat()) : f;
        long segLen = seg.size(0);
        List<Tensor> parts = new ArrayList<>();
        if (t.offset() > 0) parts.add(torch.ones(new long[] {t.offset()}, f64()));
        parts.add(seg);
        long rest = len - t.offset() - segLen;
        if (rest > 0) parts.add(torch.ones(new long[] {rest}, f64()));
        Tensor v = parts.size() == 1 ? seg : torch.cat(new TensorVector(parts.toArray(Tensor[]::new)), 0);
        long[] view = new long[shape.length];
        java.util.Arrays.fill(view, 1);
        view[t.axis()] = len;
        return v.reshape(view);
    }

    /** Entries offset..offset+n of {@code axis} multiplied by m (row-vector convention x·M), the rest kept. */
    private static Tensor block(Tensor w, int axis, long offset, Tensor m) {
        long n = m.size(0);
        long len = w.size(axis);
        Tensor moved = torch.matmul(w.narrow(axis, offset, n).movedim(axis, -1), m).movedim(-1, axis);
        List<Tensor> parts = new ArrayList<>();
        if (offset > 0) parts.add(w.narrow(axis, 0, offset));
        parts.add(moved);
        if (offset + n < len) parts.add(w.narrow(axis, offset + n, len - offset - n));
        return parts.size() == 1 ? moved : torch.cat(new TensorVector(parts.toArray(Tensor[]::new)), axis);
    }

    private static Tensor cayley(Tensor y) {
        Tensor s = torch.mul(torch.sub(y, y.mT()), new Scalar(0.5));
        Tensor eye = torch.eye(y.size(0), f64());
        return torch.linalg_solve(torch.sub(eye, s), torch.add(eye, s));
    }

    /**
     * Keeps the coordinates inside the trust region, in place: every log-scale within ±{@code maxLogScale}; each
     * pair's X rescaled so ‖X‖_F ≤ ½·ln κ, which bounds cond(exp X) ≤ e^{2‖X‖₂} ≤ κ. Rotations need no bound.
     */
    public void project(TrustRegion region) {
        try (var ng = new org.bytedeco.pytorch.NoGradGuard()) {
            for (Tensor t : logScales.values()) {
                t.clamp_(new org.bytedeco.pytorch.ScalarOptional(new Scalar(-region.maxLogScale())),
                        new org.bytedeco.pytorch.ScalarOptional(new Scalar(region.maxLogScale())));
            }
            double bound = 0.5 * Math.log(region.maxCondition());
            for (Tensor x : pairLogs.values()) {
                for (int g = 0; g < x.size(0); g++) {
                    Tensor b = x.select(0, g);
                    double norm = torch.linalg_vector_norm(b).item_double();
                    if (norm > bound) b.mul_(new Scalar(bound / norm));
                }
            }
        }
    }

    /** The coordinates' current values, copied (for undoing a rejected step). */
    public List<Tensor> save() { return coordinates().stream().map(t -> t.detach().clone()).toList(); }

    /** Sets the coordinates to saved values. */
    public void restore(List<Tensor> saved) {
        List<Tensor> c = coordinates();
        try (var ng = new org.bytedeco.pytorch.NoGradGuard()) {
            for (int i = 0; i < c.size(); i++) c.get(i).copy_(saved.get(i));
        }
    }

    /** θ ← θ + step·d for every coordinate, in place. */
    public void add(List<Tensor> direction, double step) {
        List<Tensor> c = coordinates();
        try (var ng = new org.bytedeco.pytorch.NoGradGuard()) {
            for (int i = 0; i < c.size(); i++) c.get(i).add_(direction.get(i), new Scalar(step));
        }
    }

    /** The group element the coordinates stand for: positive scales, exp(X) per pair head, Cayley rotations. */
    public GroupElement element() {
        Map<Integer, double[]> scales = new TreeMap<>();
        for (var e : logScales.entrySet()) {
            double[] th = NdArray.fromTorch(e.getValue().detach()).toDoubleArray();
            if (java.util.Arrays.stream(th).allMatch(v -> v == 0)) continue;
            double[] tau = new double[Math.toIntExact(analysis.space(e.getKey()).size())];
            for (int i = 0; i < tau.length; i++) tau[i] = Math.exp(th[th.length == 1 ? 0 : i]);
            scales.put(e.getKey(), tau);
        }
        List<MatrixPart> parts = new ArrayList<>();
        try (var ng = new org.bytedeco.pytorch.NoGradGuard()) {
            for (var e : pairLogs.entrySet()) {
                Tensor x = e.getValue().detach();
                if (torch.linalg_vector_norm(x).item_double() == 0) continue;
                Tensor a = torch.matrix_exp(x);
                double[][][] blocks = new double[(int) a.size(0)][][];
                for (int g = 0; g < blocks.length; g++) blocks[g] = matrix(a.select(0, g));
                parts.add(new PairTransform(e.getKey(), blocks));
            }
            for (var e : streamGenerators.entrySet()) {
                Tensor y = e.getValue().detach();
                if (torch.linalg_vector_norm(y).item_double() == 0) continue;
                parts.add(new StreamRotation(e.getKey(), matrix(cayley(y))));
            }
        }
        return new GroupElement(Map.of(), scales, parts);
    }

    private static double[][] matrix(Tensor m) {
        int n = (int) m.size(0);
        double[] flat = NdArray.fromTorch(m.contiguous()).toDoubleArray();
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(flat, i * n, out[i], 0, n);
        return out;
    }

    /** The largest |θ| over the log-scales (0 when there are none). */
    public double maxAbsLogScale() {
        double m = 0;
        for (Tensor t : logScales.values()) m = Math.max(m, torch.max(torch.abs(t.detach())).item_double());
        return m;
    }
}
