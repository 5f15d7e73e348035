package dev.orbit.identity;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.orbit.numeric.LinearAssignment;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.AttentionBlock;
import dev.orbit.symmetry.BlockTouch;
import dev.orbit.symmetry.HeadScaling;
import dev.orbit.symmetry.LinearPair;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.Scaling;

/**
 * Decides each part by matching the working copy against a target model's parameters: units by a linear assignment
 * on scale-invariant similarities (cosines of their slices; absolute cosines where negative factors are allowed),
 * scales by least squares on the unit's largest slice, heads by how far one head's block lies outside the other's
 * column space (GL(d) keeps it), pair matrices and rotations by least squares and orthogonal Procrustes.
 */
final class MatchDecider implements Aligner.Decider {
    private final Map<String, Tensor64> target;

    private final Map<Integer, Aligner.StreamMove> streams;
    /** The widest stream the closed form is tried on (its d×d products cost O(d³) each). */
    static final int CLOSED_FORM_WIDTH = 256;

    /**
     * Tied units resolved by an earlier pass: per class the units of A that were tied ({@code units}) and those of them
     * that were dead ({@code dead}), the class permutation found ({@code perms}), per space the scales found
     * ({@code scales}, read at the dead units).
     */
    record Twins(Map<Integer, int[]> units, Map<Integer, int[]> dead, Map<Integer, int[]> perms, Map<Integer, double[]> scales) {
        static final Twins NONE = new Twins(Map.of(), Map.of(), Map.of(), Map.of());
    }

    private Twins twins = Twins.NONE;

    /** With tied units already resolved (a pass after {@link #resolveTwins}). */
    MatchDecider given(Twins t) {
        this.twins = t;
        return this;
    }

    MatchDecider(Map<String, Tensor64> target) { this(target, Map.of()); }

    /** With the maps of some streams already estimated (a refinement pass): they are decided up front. */
    MatchDecider(Map<String, Tensor64> target, Map<Integer, Aligner.StreamMove> streams) {
        this.target = target;
        this.streams = streams;
    }

    /**
     * A stream's map refined after a full pass: once everything else is aligned, every writer and reader of the
     * working copy is a direct block, and the closed form over all of them (orthogonal Procrustes, or the least-squares
     * D·Q of a scaled stream) is the correction C that takes the working copy's stream to the target's; the refined map
     * is the one so far times C. Null when the correction does not fit (the copy is not exact).
     */
    Aligner.StreamMove refined(Aligner a, ResidualStream s) {
        Aligner.StreamMove before = a.streamMoves.get(s.id());
        List<BlockTouch> all = new java.util.ArrayList<>(s.writers());
        all.addAll(s.readers());
        boolean scaled = before.scaled() != null;
        StreamInvariants.Estimate c = StreamInvariants.solve(a.analysis, s, all, scaled, a.work, target, List.of(), List.of());
        if (c == null) return null;
        double[][] m = dev.orbit.numeric.Matrices.multiply(StreamInvariants.scaledRows(before.scale(), before.rotation()),
                StreamInvariants.scaledRows(c.scale(), c.rotation()));
        if (!scaled) return new Aligner.StreamMove(null, null, SmallLinear.polar(m));
        StreamInvariants.Estimate split = StreamInvariants.split(m);
        return split == null ? null : new Aligner.StreamMove(before.scaled(), split.scale(), split.rotation());
    }

    @Override
    public int[] permutation(Aligner a, int permClass, List<Aligner.Feature> features) {
        int[] known = twins.perms().get(permClass);
        if (known != null) {
            a.interchangeable.put(permClass, twins.units().get(permClass));
            int[] dead = twins.dead().get(permClass);
            if (dead != null) a.dead.put(permClass, dead);
            return known.clone();
        }
        NeuronSpace first = a.spacesOf(permClass).getFirst();
        int m = Math.toIntExact(first.classSize());
        double[] sim = new double[m * m];
        List<double[][]> parts = new java.util.ArrayList<>();
        List<Boolean> signs = new java.util.ArrayList<>();
        for (Aligner.Feature f : features) {
            NeuronSpace s = f.space();
            ParamTouch t = f.touch();
            boolean signFree = s.scaling() == Scaling.NONZERO;
            Tensor64 mine = a.work.get(t.parameter());
            Tensor64 theirs = target.get(t.parameter());
            int block = Math.toIntExact(s.permBlock());
            for (int tile = 0; tile < s.permTiles(); tile++) {
                for (int i = 0; i < block; i++) {
                    int tl = tile;
                    int ii = i;
                    int[] channels = IntStream.range(0, m).map(u -> (tl * m + u) * block + ii).toArray();
                    Sketch sk = new Sketch(Aligner.channel(mine, t, 0).length);
                    double[] x = sk.units(AlignmentDecider.rows(mine, t, channels), m);
                    double[] y = sk.units(AlignmentDecider.rows(theirs, t, channels), m);
                    parts.add(perUnit(x, m, sk.dimension()));
                    signs.add(signFree);
                    // cosines of every (target unit, working unit) pair, one float64 product through the BLAS
                    double[] cos = CrossProducts.product(y, m, x, m, sk.dimension(), false);
                    IntStream.range(0, m).parallel().forEach(r -> {
                        for (int c = r * m; c < (r + 1) * m; c++) sim[c] += signFree ? Math.abs(cos[c]) : cos[c];
                    });
                }
            }
        }
        int[] twins = InterchangeableUnits.of(parts, signs, m);
        if (twins.length > 0) a.interchangeable.put(permClass, twins);
        int[] dead = InterchangeableUnits.dead(parts, m);
        if (dead.length > 0) a.dead.put(permClass, dead);
        return LinearAssignment.maximize(sim, m, m).columnOfRow();
    }

    /**
     * Units that were tied when their class was decided (dead, or duplicates on the slices settled then) are matched
     * again once the whole model is aligned: by every slice of the class (their outgoing ones tell them apart), then
     * their scales are fitted again on every slice (a dead unit's scale shows only in its outgoing weights). Units still
     * tied on every slice are exactly interchangeable and stay reported.
     */
    void resolveTwins(Aligner a) {
        for (var e : new java.util.ArrayList<>(a.interchangeable.entrySet())) {
            int c = e.getKey();
            java.util.Set<Integer> twins = new java.util.HashSet<>();
            for (int u : e.getValue()) twins.add(u);
            int[] now = a.permutationOf(c);
            int[] at = IntStream.range(0, now.length).filter(j -> twins.contains(now[j])).toArray();
            int k = at.length;
            double[] sim = new double[k * k];
            List<double[][]> parts = new java.util.ArrayList<>();
            List<Boolean> signs = new java.util.ArrayList<>();
            NeuronSpace first = a.spacesOf(c).getFirst();
            int m = Math.toIntExact(first.classSize());
            for (Aligner.Feature f : a.allFeatures(c)) {
                NeuronSpace s = f.space();
                boolean signFree = s.scaling() == Scaling.NONZERO;
                int block = Math.toIntExact(s.permBlock());
                for (int tile = 0; tile < s.permTiles(); tile++) {
                    for (int i = 0; i < block; i++) {
                        int tl = tile;
                        int ii = i;
                        int[] channels = IntStream.of(at).map(u -> (tl * m + u) * block + ii).toArray();
                        double[][] x = sketches(a.work.get(f.touch().parameter()), f.touch(), channels);
                        double[][] y = sketches(target.get(f.touch().parameter()), f.touch(), channels);
                        parts.add(x);
                        signs.add(signFree);
                        for (int r = 0; r < k; r++) {
                            for (int q = 0; q < k; q++) {
                                double cos = Tensor64.dot(y[r], x[q]);
                                sim[r * k + q] += signFree ? Math.abs(cos) : cos;
                            }
                        }
                    }
                }
            }
            int[] local = LinearAssignment.maximize(sim, k, k).columnOfRow();
            int[] p = IntStream.range(0, m).toArray();
            for (int r = 0; r < k; r++) p[at[r]] = at[local[r]];
            a.place(c, p);
            int[] placed = a.permutationOf(c);
            java.util.Set<Integer> dead = new java.util.HashSet<>();
            for (int u : a.dead.getOrDefault(c, new int[0])) dead.add(u);
            for (NeuronSpace s : a.spacesOf(c)) {
                if (s.scaling() == Scaling.NONE) continue;
                // a dead unit's scale shows only in its outgoing slices; a moved twin's is read off its incoming ones
                // again (the outgoing ones still carry the error its first place left in the classes after it)
                List<ParamTouch> all = s.touches().stream().filter(t -> t.unit() == 1 && t.role() != Role.PERMUTE_ONLY).toList();
                List<ParamTouch> in = all.stream().filter(t -> t.role() == Role.COVARIANT).toList();
                double[] fitAll = scaleFit(a, s, all, null);
                double[] fitIn = in.isEmpty() ? fitAll : scaleFit(a, s, in, null);
                double[] extra = Aligner.ones(s.size());
                for (int j : at) extra[j] = dead.contains(placed[j]) ? fitAll[j] : fitIn[j];
                a.rescale(s, extra);
            }
            int[] still = InterchangeableUnits.of(parts, signs, k);
            if (still.length == 0) a.interchangeable.remove(c);
            else a.interchangeable.put(c, IntStream.of(still).map(r -> placed[at[r]]).sorted().toArray());
        }
    }

    private static double[][] sketches(Tensor64 w, ParamTouch t, int[] channels) {
        Sketch sk = new Sketch(Aligner.channel(w, t, 0).length);
        return perUnit(sk.units(AlignmentDecider.rows(w, t, channels), channels.length), channels.length, sk.dimension());
    }

    /** Row-major (count × dimension) sketches as one array per unit. */
    private static double[][] perUnit(double[] flat, int count, int dimension) {
        double[][] out = new double[count][];
        for (int u = 0; u < count; u++) out[u] = java.util.Arrays.copyOfRange(flat, u * dimension, (u + 1) * dimension);
        return out;
    }

    @Override
    public double[] scale(Aligner a, NeuronSpace s, List<ParamTouch> usable) { return scaleFit(a, s, usable, twins); }

    private double[] scaleFit(Aligner a, NeuronSpace s, List<ParamTouch> usable, Twins twins) {
        int n = Math.toIntExact(s.size());
        double[] tau = new double[n];
        IntStream.range(0, n).parallel().forEach(c -> {
            double best = -1;
            double factor = 1;
            for (ParamTouch t : usable) {
                double[] x = Aligner.channel(a.work.get(t.parameter()), t, c);
                double[] y = Aligner.channel(target.get(t.parameter()), t, c);
                double xx = Tensor64.dot(x, x);
                if (xx <= best || xx == 0) continue;
                double xy = Tensor64.dot(x, y);
                double yy = Tensor64.dot(y, y);
                // a poor fit (unrelated units) takes the ratio of norms, so that distances stay comparable
                double r = Math.abs(xy) >= 0.5 * Math.sqrt(xx * yy) ? xy / xx : Math.copySign(Math.sqrt(yy / xx), xy);
                best = xx;
                factor = t.role() == Role.COVARIANT ? r : 1 / r;
            }
            if (best <= 0 || !Double.isFinite(factor) || factor == 0) factor = 1;
            if (s.scaling() == Scaling.POSITIVE) factor = Math.abs(factor);
            tau[c] = factor;
        });
        double[] known = twins == null ? null : twins.scales().get(s.id());
        if (known != null && twins.dead().containsKey(s.permClass())) {
            java.util.Set<Integer> tied = new java.util.HashSet<>();
            for (int u : twins.dead().get(s.permClass())) tied.add(u);
            int[] p = twins.perms().get(s.permClass());
            for (int j = 0; j < n; j++) if (tied.contains(p[j])) tau[j] = known[j];
        }
        return tau;
    }

    @Override
    public int[] headPermutation(Aligner a, int permClass, List<LinearPair> pairs) {
        int m = Math.toIntExact(a.spacesOf(permClass).getFirst().classSize());
        double[] cost = new double[m * m];
        for (LinearPair p : pairs) {
            if (p.kvHeads() != m) continue;
            for (boolean left : new boolean[] {true, false}) {
                double[][][] basis = new double[m][][];
                for (int h = 0; h < m; h++) basis[h] = SmallLinear.orthonormalColumns(Aligner.sideMatrix(a.work, p, left, h));
                for (int g = 0; g < m; g++) {
                    double[][] x = Aligner.sideMatrix(target, p, left, g);
                    for (int h = 0; h < m; h++) cost[g * m + h] += SmallLinear.outsideSpan(basis[h], x);
                }
            }
        }
        return LinearAssignment.minimize(cost, m, m).columnOfRow();
    }

    @Override
    public double[][] pairBlock(Aligner a, LinearPair p, int kvHead) {
        double[][] l = Aligner.sideMatrix(a.work, p, true, kvHead);
        double[][] r = Aligner.sideMatrix(target, p, true, kvHead);
        double[][] x = SmallLinear.leastSquares(l, r);
        if (p.group() == LinearPair.Group.ROPE_COMMUTANT) return SmallLinear.rotaryProjection(x);
        // heads with their own factors sit on streams without norms (known to ≈ 1e-6): fit both sides, not the query's alone
        if (!a.headScaled(p)) return x;
        return JointPairFit.refine(x, l, r, Aligner.sideMatrix(a.work, p, false, kvHead), Aligner.sideMatrix(target, p, false, kvHead));
    }

    /**
     * Per head, the factor c that takes the working key block (after the query-side fit, which absorbed α_q) to the
     * target's, by least squares; a fit that is not positive (unrelated heads) keeps 1.
     */
    @Override
    public HeadScaling headScaling(Aligner a, AttentionBlock b, LinearPair qk) {
        double[] ones = Aligner.ones(b.heads());
        double[] c = Aligner.ones(b.heads());
        for (int h = 0; h < c.length; h++) {
            double[][] x = Aligner.sideMatrix(a.work, qk, false, h);
            double[][] y = Aligner.sideMatrix(target, qk, false, h);
            c[h] = JointPairFit.factor(x, y);
        }
        return new HeadScaling(b.id(), ones, c, ones.clone());
    }

    @Override
    public double[][] rotation(Aligner a, ResidualStream s, List<BlockTouch> usable) {
        Aligner.StreamMove known = streams.get(s.id());
        return known != null ? known.rotation() : procrustes(a, s, usable);
    }

    /**
     * The closed form of {@link StreamInvariants} (or the rotation a refinement pass already has): null when the
     * invariants do not span the stream, B is not an exact copy (the products' traces differ), or several of the
     * stream's spaces scale; the stream is then decided as its writers and readers settle. A stream whose own space
     * scales (no norm reads it) gets that scale and then the rotation.
     */
    @Override
    public Aligner.StreamMove rotationUpFront(Aligner a, ResidualStream s, List<BlockTouch> direct) {
        Aligner.StreamMove known = streams.get(s.id());
        if (known != null) return known;
        // direct blocks that span the stream decide it as they settle (orthogonal Procrustes, as before); the closed form
        // is for streams they do not span, and costs O(products · d³): kept to streams up to CLOSED_FORM_WIDTH wide
        if (a.rows(direct) >= s.size() || s.size() > CLOSED_FORM_WIDTH) return null;
        List<NeuronSpace> scaling = a.streamSpaces(s).stream().filter(sp -> sp.scaling() != Scaling.NONE).toList();
        if (scaling.size() > 1) return null;
        NeuronSpace scaled = scaling.isEmpty() ? null : scaling.getFirst();
        if (scaled != null && !coversStream(scaled, s)) return null;
        StreamInvariants.Estimate e = StreamInvariants.solve(a.analysis, s, direct, scaled != null, a.work, target, a.invariantPairs(),
                a.scaledAttentions());
        if (e == null) return null;
        return new Aligner.StreamMove(scaled, e.scale(), e.rotation());
    }

    /** Whether a space is the stream itself: it touches every writer and reader, whole, on the stream axis. */
    private static boolean coversStream(NeuronSpace sp, ResidualStream s) {
        if (sp.size() != s.size() || sp.permBlock() != 1 || sp.permTiles() != 1) return false;
        List<BlockTouch> all = new java.util.ArrayList<>(s.writers());
        all.addAll(s.readers());
        for (BlockTouch t : all) {
            boolean hit = sp.touches().stream().anyMatch(u -> u.parameter().equals(t.parameter()) && u.axis() == t.axis() && u.offset() == t.offset()
                    && u.repeat() == 1 && u.unit() == 1);
            if (!hit) return false;
        }
        return true;
    }

    private double[][] procrustes(Aligner a, ResidualStream s, List<BlockTouch> usable) {
        int n = s.size();
        double[][] m = new double[n][n];
        for (BlockTouch t : usable) {
            double[][] x = a.work.get(t.parameter()).block(t.axis(), t.offset(), n);
            double[][] y = target.get(t.parameter()).block(t.axis(), t.offset(), n);
            for (int r = 0; r < x.length; r++) {
                for (int i = 0; i < n; i++) {
                    double xi = x[r][i];
                    if (xi == 0) continue;
                    for (int j = 0; j < n; j++) m[i][j] += xi * y[r][j];
                }
            }
        }
        return SmallLinear.polar(m);
    }
}
