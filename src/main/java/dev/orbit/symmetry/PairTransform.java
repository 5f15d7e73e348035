package dev.orbit.symmetry;

import dev.orbit.numeric.Matrices;

/**
 * Per key/value head an invertible matrix A_g on a {@link LinearPair}: left columns → ·A_g, right → ·A_g⁻ᵀ (GL(d_head) per
 * head; with grouped-query attention the query heads of a group share their key head's matrix). {@code blocks[g]} is
 * A_g, d_head × d_head; under rotary embeddings it must lie in the rotation's commutant ({@link RotaryCommutant}).
 */
public record PairTransform(int pair, double[][][] blocks) implements MatrixPart {
    @Override public String target() { return "pair:" + pair; }

    @Override
    public MatrixPart after(MatrixPart first) {
        PairTransform f = (PairTransform) first;
        double[][][] m = new double[blocks.length][][];
        for (int h = 0; h < blocks.length; h++) m[h] = Matrices.multiply(f.blocks[h], blocks[h]);
        return new PairTransform(pair, m);
    }

    @Override
    public MatrixPart reindexed(int[] p) {
        double[][][] m = new double[blocks.length][][];
        for (int g = 0; g < m.length; g++) m[g] = blocks[p[g]];
        return new PairTransform(pair, m);
    }

    @Override
    public MatrixPart inverse() {
        double[][][] m = new double[blocks.length][][];
        for (int h = 0; h < blocks.length; h++) m[h] = Matrices.inverse(blocks[h]);
        return new PairTransform(pair, m);
    }

    @Override
    public void validate(SymmetryAnalysis a) {
        if (pair < 0 || pair >= a.pairs().size()) throw new IllegalArgumentException("attention pair " + pair + " does not exist in this model");
        LinearPair p = a.pairs().get(pair);
        if (blocks.length != p.blocks()) throw new IllegalArgumentException("pair " + pair + " has " + p.blocks() + " key/value heads, the element " + blocks.length);
        for (double[][] b : blocks) {
            if (!Matrices.isSquare(b, p.headDim())) throw new IllegalArgumentException("pair " + pair + " needs " + p.headDim() + "×" + p.headDim() + " matrices");
            for (double[] row : b) for (double v : row) if (!Double.isFinite(v)) throw new IllegalArgumentException("pair " + pair + ": matrix entries must be finite");
            Matrices.inverse(b); // throws when singular
            if (p.group() == LinearPair.Group.ROPE_COMMUTANT && !RotaryCommutant.contains(b)) {
                throw new IllegalArgumentException("pair " + pair + " has rotary embeddings: each block must be a·I + b·J on every rotary pair "
                        + "(channel i with i + d/2), nothing else commutes with the rotation");
            }
        }
    }

    /** The largest condition number over the heads. */
    public double conditionNumber() {
        double worst = 1;
        for (double[][] b : blocks) worst = Math.max(worst, Matrices.conditionNumber(b));
        return worst;
    }
}
