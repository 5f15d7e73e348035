package dev.orbit.symmetry;

import java.util.List;

/**
 * One neuron space (a hidden channel axis) and the group acting on it: permutations (shared by every space of
 * its {@code permClass}) and diagonal scalings. {@code exactWithoutRewrite} is true when positive factors
 * need no activation rewrite (only positively homogeneous activations such as ReLU touch the space).
 *
 * <p>A space sees its class's permutation p (of {@link #classSize()} entries) through a product structure:
 * channel c = (t, j, i) with t &lt; {@code permTiles}, j &lt; classSize, i &lt; {@code permBlock} moves to
 * (t, p[j], i). {@code permBlock} &gt; 1: whole blocks move (attention heads of {@code permBlock} channels: a
 * head permutation, {@code headPermutable}); {@code permTiles} &gt; 1: the class's permutation repeats on
 * consecutive tiles (a norm over a concatenation of one space with itself). {@code permutable}: the class
 * may be permuted and the space's channels move one by one (permBlock = 1).
 */
public record NeuronSpace(int id, long size, String origin, int permClass, boolean permutable, String permReason,
                          Scaling scaling, String scaleReason, boolean exactWithoutRewrite,
                          List<ParamTouch> touches, List<Integer> regions, boolean headPermutable, long permBlock,
                          long permTiles) {
    public NeuronSpace {
        touches = List.copyOf(touches);
        regions = List.copyOf(regions);
        if (permBlock < 1 || permTiles < 1 || size % (permBlock * permTiles) != 0) {
            throw new IllegalArgumentException("space " + id + ": size " + size + " is not tiles " + permTiles + " × blocks " + permBlock);
        }
    }

    public NeuronSpace(int id, long size, String origin, int permClass, boolean permutable, String permReason,
                       Scaling scaling, String scaleReason, boolean exactWithoutRewrite, List<ParamTouch> touches,
                       List<Integer> regions) {
        this(id, size, origin, permClass, permutable, permReason, scaling, scaleReason, exactWithoutRewrite, touches,
                regions, false, 1, 1);
    }

    public boolean isFree() { return permutable || headPermutable || scaling != Scaling.NONE; }

    /** Whether some permutation of this space's class may act (channel by channel or by heads). */
    public boolean classPermutable() { return permutable || headPermutable; }

    /** The number of entries of the class permutation this space sees. */
    public long classSize() { return size / (permBlock * permTiles); }

    /** The permutation of this space's channels that the class permutation {@code p} induces. */
    public int[] channelPermutation(int[] p) {
        if (permBlock == 1 && permTiles == 1) return p;
        int m = Math.toIntExact(classSize());
        int b = Math.toIntExact(permBlock);
        int[] out = new int[Math.toIntExact(size)];
        for (int t = 0; t < permTiles; t++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < b; i++) out[(t * m + j) * b + i] = (t * m + p[j]) * b + i;
            }
        }
        return out;
    }
}
