package dev.orbit.symmetry;

/** What the multi-node analyses read about values: ranks, dimensions and folded integers (-1 / null when unknown). */
interface ValueShapes {
    int rank(String value);

    long dim(String value, int axis);

    long[] shape(String value);

    long[] intValues(String value);
}
