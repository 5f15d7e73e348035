package dev.orbit.identity;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import dev.orbit.numeric.Matrices;
import dev.orbit.symmetry.BlockTouch;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.StreamRotation;
import dev.orbit.symmetry.SymmetryAnalysis;

/**
 * Rotated moves as `orbit teleport --rotate-residual` makes them (a Haar rotation of every rotatable stream on top of
 * a move), and what a move does to a stream as one matrix: a stream absorbs the permutation of its class (and, without
 * norms, the scale of its own space), so a recovered element is compared with the move on the stream's whole map.
 */
public final class RotatedMoves {
    private RotatedMoves() {}

    /** {@code move} with a Haar rotation of every rotatable stream of {@code a}. */
    public static GroupElement rotated(SymmetryAnalysis a, GroupElement move, long seed) {
        return move.withMatrices(MatrixSampling.rotations(a, MatrixSampling.Rotation.HAAR, seed ^ 0x7F4A7C15L));
    }

    /** The permutation classes whose spaces touch a stream's writers or readers on the stream axis. */
    public static Set<Integer> streamClasses(SymmetryAnalysis a, ResidualStream st) {
        Set<String> axes = new HashSet<>();
        for (BlockTouch t : st.writers()) axes.add(t.parameter() + "#" + t.axis());
        for (BlockTouch t : st.readers()) axes.add(t.parameter() + "#" + t.axis());
        Set<Integer> out = new HashSet<>();
        for (NeuronSpace s : a.spaces()) for (ParamTouch t : s.touches()) if (axes.contains(t.parameter() + "#" + t.axis())) out.add(s.permClass());
        return out;
    }

    /**
     * An element's map of a stream, x → x·P·D·Q: its class permutation P (new entry j = old entry p[j]), the scale D
     * of the stream's own space (streams without norms), then its rotation Q.
     */
    public static double[][] streamMatrix(GroupElement g, SymmetryAnalysis a, ResidualStream st) {
        int n = st.size();
        Set<Integer> classes = streamClasses(a, st);
        double[][] q = g.matrices().stream().filter(x -> x.target().equals("stream:" + st.id())).map(x -> ((StreamRotation) x).matrix())
                .findFirst().orElse(Matrices.identity(n));
        double[] tau = new double[n];
        Arrays.fill(tau, 1);
        for (NeuronSpace s : a.spaces()) if (s.size() == n && g.scales().containsKey(s.id()) && classes.contains(s.permClass())) tau = g.scale(s.id(), n);
        int[] p = null;
        for (int c : classes) if (g.permutations().containsKey(c)) p = g.permutations().get(c);
        double[][] out = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] row = q[j].clone();
            for (int k = 0; k < n; k++) row[k] *= tau[j];
            out[p == null ? j : p[j]] = row;
        }
        return out;
    }

    /** max |a − b| over the entries. */
    public static double maxAbsDifference(double[][] a, double[][] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
        return worst;
    }
}
