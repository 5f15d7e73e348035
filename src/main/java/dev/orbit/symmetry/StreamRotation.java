package dev.orbit.symmetry;

import dev.orbit.numeric.Matrices;

/**
 * An orthogonal matrix Q on a {@link ResidualStream}: writers W → W·Q, readers W → Qᵀ·W. Streams without norms
 * would admit any invertible matrix; Orbit moves them by rotations only, which every stream admits.
 */
public record StreamRotation(int stream, double[][] matrix) implements MatrixPart {
    /** How far QᵀQ may be from I (float64 rounding of products of many rotations). */
    static final double ORTHOGONALITY_TOLERANCE = 1e-9;

    @Override public String target() { return "stream:" + stream; }

    @Override
    public MatrixPart after(MatrixPart first) {
        return new StreamRotation(stream, Matrices.multiply(((StreamRotation) first).matrix, matrix));
    }

    @Override
    public MatrixPart reindexed(int[] p) {
        int n = matrix.length;
        double[][] m = new double[n][n];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) m[a][b] = matrix[p[a]][p[b]];
        return new StreamRotation(stream, m);
    }

    @Override
    public MatrixPart inverse() { return new StreamRotation(stream, Matrices.transpose(matrix)); }

    @Override
    public void validate(SymmetryAnalysis a) {
        if (stream < 0 || stream >= a.streams().size()) throw new IllegalArgumentException("residual stream " + stream + " does not exist in this model");
        ResidualStream s = a.streams().get(stream);
        if (!s.rotatable()) throw new IllegalArgumentException("residual stream " + stream + " cannot be rotated: " + s.reason());
        if (!Matrices.isSquare(matrix, s.size())) throw new IllegalArgumentException("stream " + stream + " needs a " + s.size() + "×" + s.size() + " matrix");
        double err = Matrices.orthogonalityError(matrix);
        if (!(err <= ORTHOGONALITY_TOLERANCE)) throw new IllegalArgumentException("stream " + stream + ": the matrix is not orthogonal (max |QᵀQ − I| = " + err + ")");
    }
}
