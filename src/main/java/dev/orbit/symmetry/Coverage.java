package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.ops.Role;

/**
 * How much of a model's hidden channels a symmetry group reaches: channel counts over the hidden spaces (every space
 * but the network outputs') that may be permuted one by one, permuted by whole heads, scaled, or moved by a matrix
 * group (attention pairs, rotatable residual streams), the total dimension of those matrix groups (GL(d) per head:
 * d², rotary commutant: d per key/value head, O(d): d(d−1)/2), and the channels with any non-trivial group.
 */
public record Coverage(long hidden, long permutable, long headPermutable, long scalable, long matrixChannels,
                       long matrixDimension, long covered) {
    public double fraction() { return hidden == 0 ? 0 : (double) covered / hidden; }

    public static Coverage of(SymmetryAnalysis a) {
        List<BlockTouch> matrix = new ArrayList<>();
        List<Long> widths = new ArrayList<>();
        long dimension = 0;
        for (LinearPair p : a.pairs()) {
            dimension += p.dimension();
            for (boolean left : new boolean[] {true, false}) {
                for (BlockTouch t : left ? p.left() : p.right()) {
                    matrix.add(t);
                    widths.add((long) (p.queryIndexed(left) ? p.heads() : p.kvHeads()) * p.headDim());
                }
            }
        }
        for (ResidualStream s : a.rotatableStreams()) {
            dimension += (long) s.size() * (s.size() - 1) / 2;
            for (BlockTouch t : s.writers()) {
                matrix.add(t);
                widths.add((long) s.size());
            }
        }
        long hidden = 0, perm = 0, heads = 0, scale = 0, inMatrix = 0, covered = 0;
        for (NeuronSpace s : a.spaces()) {
            if (a.outputSpaces().contains(s.id())) continue;
            long n = s.size();
            boolean m = touchesAny(s, matrix, widths);
            hidden += n;
            if (s.permutable()) perm += n;
            if (s.headPermutable()) heads += n;
            if (s.scaling() != Scaling.NONE) scale += n;
            if (m) inMatrix += n;
            if (s.isFree() || m) covered += n;
        }
        return new Coverage(hidden, perm, heads, scale, inMatrix, dimension, covered);
    }

    private static boolean touchesAny(NeuronSpace s, List<BlockTouch> matrix, List<Long> widths) {
        for (ParamTouch t : s.touches()) {
            if (t.role() != Role.COVARIANT) continue;
            long len = s.size() * t.repeat();
            for (int i = 0; i < matrix.size(); i++) {
                BlockTouch b = matrix.get(i);
                if (b.parameter().equals(t.parameter()) && b.axis() == t.axis() && b.offset() < t.offset() + len
                        && t.offset() < b.offset() + widths.get(i)) return true;
            }
        }
        return false;
    }

    /** One line for `orbit symmetries`. */
    public String line() {
        return String.format("coverage: %d of %d hidden channels (%.1f %%) carry a group: %d permutable, %d permutable by heads, "
                + "%d scalable; matrix groups on %d channels, dimension %d", covered, hidden, 100 * fraction(), permutable,
                headPermutable, scalable, matrixChannels, matrixDimension);
    }
}
