package dev.orbit.numeric;

/** What a solve did, for tests (which paths ran) and measurements (docs/MEASUREMENTS.md). Package-private. */
final class SolveTrace {
    long candidatePairs;
    long rowReductionSteps;
    long searches, searchSteps, relaxations, expansions, denseSearches;
    /** Coarse-to-fine restarts, nested ones included. */
    long coarseStarts;
    /** Nanoseconds in: the validating pass, candidate selection, row reduction, the searches. */
    long scanNanos, selectNanos, reductionNanos, searchNanos;

    @Override
    public String toString() {
        return "candidatePairs=" + candidatePairs + " rowReductionSteps=" + rowReductionSteps + " searches=" + searches
                + " searchSteps=" + searchSteps + " relaxations=" + relaxations + " expansions=" + expansions + " denseSearches=" + denseSearches + " coarseStarts=" + coarseStarts + String.format(" | ms: scan %.1f select %.1f reduce %.1f search %.1f",
                scanNanos / 1e6, selectNanos / 1e6, reductionNanos / 1e6, searchNanos / 1e6);
    }
}
