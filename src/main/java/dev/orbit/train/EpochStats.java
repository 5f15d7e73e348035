package dev.orbit.train;

/** What one epoch did. Accuracies in [0, 1]; test figures are NaN when there is no test set. */
public record EpochStats(int epoch, double lr, double trainLoss, double trainAccuracy, double testLoss,
                         double testAccuracy, double seconds, double samplesPerSecond) {}
