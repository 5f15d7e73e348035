package dev.orbit.numeric;

/** Predictions and accuracy from class scores stored row by row ({@code scores[row·classes + class]}). */
public final class Classification {
    private Classification() {}

    /** The class with the largest score in a row; the first one on ties. */
    public static int argmax(double[] scores, int row, int classes) {
        int offset = row * classes;
        int best = 0;
        for (int j = 1; j < classes; j++) if (scores[offset + j] > scores[offset + best]) best = j;
        return best;
    }

    /** How many predictions equal their label. */
    public static long correct(long[] predicted, long[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        long right = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) right++;
        return right;
    }

    /** The fraction of predictions that equal their label. */
    public static double accuracy(long[] predicted, long[] labels) {
        return (double) correct(predicted, labels) / labels.length;
    }

    /** The fraction of rows whose {@link #argmax} is the label. */
    public static double accuracy(double[] scores, int classes, long[] labels) {
        long[] predicted = new long[labels.length];
        for (int i = 0; i < labels.length; i++) predicted[i] = argmax(scores, i, classes);
        return accuracy(predicted, labels);
    }
}
