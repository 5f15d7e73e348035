package dev.orbit.numeric;

/** What a solve did, for tests (which paths ran) and measurements (docs/MEASUREMENTS.md). Package-private. */
final class SolveTrace {
    long candidatePairs;
    long rowReductionSteps;
    long sparseSearches, failedSparseSearches, sparseSteps;
    long repairRounds, violatingPairs, rowsReread;
    long denseSearches, denseSteps;
    /** Nanoseconds in: the validating pass, candidate selection, row reduction, sparse searches, checks, dense searches. */
    long scanNanos, selectNanos, reductionNanos, sparseNanos, checkNanos, denseNanos;

    @Override
    public String toString() {
        return "candidatePairs=" + candidatePairs + " rowReductionSteps=" + rowReductionSteps + " sparseSearches=" + sparseSearches
                + " failedSparseSearches=" + failedSparseSearches + " sparseSteps=" + sparseSteps + " repairRounds=" + repairRounds + " violatingPairs=" + violatingPairs + " rowsReread=" + rowsReread
                + " denseSearches=" + denseSearches + " denseSteps=" + denseSteps + String.format(" | ms: scan %.1f select %.1f reduce %.1f sparse %.1f check %.1f dense %.1f",
                scanNanos / 1e6, selectNanos / 1e6, reductionNanos / 1e6, sparseNanos / 1e6, checkNanos / 1e6, denseNanos / 1e6);
    }
}
