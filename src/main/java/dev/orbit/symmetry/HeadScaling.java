package dev.orbit.symmetry;

/**
 * Per head factors (α_q, α_k, α_v) on an {@link AttentionBlock}: query, key and value columns of head h are
 * multiplied by them and the output projection rows divided by α_q·α_k·α_v. Exact when α_q·α_k = 1, or α_q·α_k > 0
 * for positively homogeneous scores (ReLU attention); without an output projection the product must be 1.
 */
public record HeadScaling(int attention, double[] query, double[] key, double[] value) implements MatrixPart {
    /** Relative tolerance of the constraints (factors are float64; products of reciprocals round). */
    static final double CONSTRAINT_TOLERANCE = 1e-12;

    @Override public String target() { return "attention:" + attention; }

    @Override
    public MatrixPart after(MatrixPart first) {
        HeadScaling f = (HeadScaling) first;
        double[] q = query.clone();
        double[] k = key.clone();
        double[] v = value.clone();
        for (int h = 0; h < q.length; h++) {
            q[h] *= f.query[h];
            k[h] *= f.key[h];
            v[h] *= f.value[h];
        }
        return new HeadScaling(attention, q, k, v);
    }

    @Override
    public MatrixPart reindexed(int[] p) {
        double[] q = new double[query.length];
        double[] k = new double[key.length];
        double[] v = new double[value.length];
        for (int h = 0; h < q.length; h++) {
            q[h] = query[p[h]];
            k[h] = key[p[h]];
            v[h] = value[p[h]];
        }
        return new HeadScaling(attention, q, k, v);
    }

    @Override
    public MatrixPart inverse() {
        double[] q = new double[query.length];
        double[] k = new double[key.length];
        double[] v = new double[value.length];
        for (int h = 0; h < q.length; h++) {
            q[h] = 1 / query[h];
            k[h] = 1 / key[h];
            v[h] = 1 / value[h];
        }
        return new HeadScaling(attention, q, k, v);
    }

    @Override
    public void validate(SymmetryAnalysis a) {
        if (attention < 0 || attention >= a.attentions().size()) throw new IllegalArgumentException("attention " + attention + " does not exist in this model");
        AttentionBlock b = a.attentions().get(attention);
        if (query.length != b.heads() || key.length != b.heads() || value.length != b.heads()) {
            throw new IllegalArgumentException("attention " + attention + " has " + b.heads() + " heads");
        }
        for (int h = 0; h < query.length; h++) {
            for (double x : new double[] {query[h], key[h], value[h]}) {
                if (!Double.isFinite(x) || x == 0) throw new IllegalArgumentException("attention " + attention + ": factors must be finite and non-zero");
            }
            double qk = query[h] * key[h];
            if (b.positivelyHomogeneous() && b.score() == AttentionBlock.Score.RELU) {
                if (!(qk > 0)) throw new IllegalArgumentException("attention " + attention + " (ReLU scores): α_q·α_k must be positive");
            } else if (Math.abs(qk - 1) > CONSTRAINT_TOLERANCE) {
                throw new IllegalArgumentException("attention " + attention + " (" + b.score().name().toLowerCase() + " scores): α_q·α_k must be 1");
            }
            if (b.output().isEmpty() && Math.abs(qk * value[h] - 1) > CONSTRAINT_TOLERANCE) {
                throw new IllegalArgumentException("attention " + attention + " has no output projection: α_q·α_k·α_v must be 1");
            }
        }
    }
}
