package dev.orbit.symmetry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives the q, k and v parts of every attention the attention analysis can move a head structure in the space
 * analysis: one permutation class of key/value heads shared by q, k and v (a query head moves with the key head it
 * reads), whole heads only, no diagonal scaling (the pairs' GL(d) contains it). The output projection's rows and
 * every per-head score bias move with the query heads. Any other space whose values enter attention is frozen.
 */
final class AttentionSpaces {
    static final String INSIDE = "inside attention: q, k and v channels move only with their partner (per-head GL(d) on the "
            + "query-key and value-output pairs); whole heads permute together";

    private final SpaceAnalyzer s;

    AttentionSpaces(SpaceAnalyzer s) { this.s = s; }

    void apply() {
        AttentionAnalyzer.Result r = s.attention();
        Set<Integer> claimed = new HashSet<>();
        for (AttentionAnalyzer.Heads h : r.heads()) {
            LinearPair qk = r.pairs().get(h.queryKey());
            LinearPair vo = h.valueOutput() < 0 ? null : r.pairs().get(h.valueOutput());
            int d = qk.headDim();
            long qWidth = (long) qk.heads() * d;
            long kvWidth = (long) qk.kvHeads() * d;
            Integer q = one(qk.left(), qWidth);
            Integer k = one(qk.right(), kvWidth);
            Integer v = vo == null ? null : one(vo.left(), kvWidth);
            if (q == null || k == null || vo != null && v == null) {
                s.note(qk.origin() + ": the query, key or value projection is not one neuron space of the pair's width; its heads stay fixed");
                continue;
            }
            long group = (long) qk.heads() / qk.kvHeads();
            boolean ok = s.setBlocks(q, group * d) && s.setBlocks(k, d) && (v == null || s.setBlocks(v, d));
            for (Integer sp : new Integer[] {q, k, v}) {
                if (sp == null) continue;
                claimed.add(sp);
                s.forbidScaling(sp, INSIDE);
                s.linkPerm(q, sp);
            }
            String why = !ok ? "its channels are also grouped another way" : vo == null ? "the values of this attention are not moved by a pair"
                    : h.permutable() ? null : h.reason();
            if (why != null) {
                for (Integer sp : new Integer[] {q, k, v}) if (sp != null) s.forbidPermutation(sp, "heads cannot be permuted: " + why);
                continue;
            }
            for (BlockTouch o : vo.right()) s.touchBlocks(q, o.parameter(), o.axis(), o.offset(), 1);
            for (BlockTouch b : h.headIndexed()) s.touchBlocks(q, b.parameter(), b.axis(), b.offset(), d);
        }
        for (int sp : s.enteringAttention()) {
            int root = s.root(sp);
            if (!claimed.contains(root)) s.freezeSpace(root, "enters an attention that the analysis cannot move as a query-key or value-output pair");
        }
    }

    /** The one space holding exactly the channels a pair side touches, or null. */
    private Integer one(List<BlockTouch> side, long width) {
        Integer found = null;
        for (BlockTouch t : side) {
            Set<Integer> hit = s.covariantSpaces(t, width);
            if (hit.size() != 1) return null;
            int sp = hit.iterator().next();
            if (s.size(sp) != width || s.covariantOffset(sp, t) != t.offset()) return null;
            if (found != null && found != sp) return null;
            found = sp;
        }
        return found;
    }
}
