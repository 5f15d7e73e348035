package dev.orbit.symmetry;

import dev.orbit.numeric.Matrices;

/**
 * Per head an invertible matrix A_h on a {@link LinearPair}: left columns → ·A_h, right → ·A_h⁻ᵀ (GL(d_head) per
 * head). {@code blocks[h]} is A_h, d_head × d_head.
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
    public MatrixPart inverse() {
        double[][][] m = new double[blocks.length][][];
        for (int h = 0; h < blocks.length; h++) m[h] = Matrices.inverse(blocks[h]);
        return new PairTransform(pair, m);
    }

    @Override
    public void validate(SymmetryAnalysis a) {
        if (pair < 0 || pair >= a.pairs().size()) throw new IllegalArgumentException("attention pair " + pair + " does not exist in this model");
        LinearPair p = a.pairs().get(pair);
        if (blocks.length != p.heads()) throw new IllegalArgumentException("pair " + pair + " has " + p.heads() + " heads, the element " + blocks.length);
        for (double[][] b : blocks) {
            if (!Matrices.isSquare(b, p.headDim())) throw new IllegalArgumentException("pair " + pair + " needs " + p.headDim() + "×" + p.headDim() + " matrices");
            for (double[] row : b) for (double v : row) if (!Double.isFinite(v)) throw new IllegalArgumentException("pair " + pair + ": matrix entries must be finite");
            Matrices.inverse(b); // throws when singular
        }
    }

    /** The largest condition number over the heads. */
    public double conditionNumber() {
        double worst = 1;
        for (double[][] b : blocks) worst = Math.max(worst, Matrices.conditionNumber(b));
        return worst;
    }
}
