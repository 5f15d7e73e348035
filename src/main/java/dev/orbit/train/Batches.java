package dev.orbit.train;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.io.idx.MnistData;
import dev.orbit.tensor.NdArray;

/**
 * A labelled data set held as two native tensors (features float32 [n, d], labels int64 [n]), cut into
 * mini-batches in a seeded random order per epoch. Owned here; {@link #close()} frees it.
 */
public final class Batches implements AutoCloseable {
    private final NdArray original;
    private final Augmentation augmentation;
    private Tensor x;
    private final Tensor y;
    private final int n;

    public Batches(NdArray features, long[] labels) { this(features, labels, new Augmentation.None()); }

    /** With an augmentation redrawn by {@link #prepareEpoch} at the start of every epoch. */
    public Batches(NdArray features, long[] labels, Augmentation augmentation) {
        this.original = features;
        this.augmentation = augmentation;
        this.x = features.toTorch();
        this.y = NdArray.ofLongs(labels, labels.length).toTorch();
        this.n = labels.length;
    }

    /** Draws this epoch's augmented features (seeded by (seed, epoch)); nothing to do without augmentation. */
    public void prepareEpoch(long seed, int epoch) {
        if (augmentation instanceof Augmentation.None) return;
        NdArray a = augmentation.apply(original, new SplittableRandom(seed * 7_919L + epoch + 1));
        x.close();
        x = a.toTorch();
    }

    public static Batches of(MnistData data) { return new Batches(data.images(), data.labels()); }

    public int size() { return n; }

    public Tensor features() { return x; }

    public Tensor labels() { return y; }

    /** The sample order of one epoch: a Fisher–Yates shuffle seeded by (seed, epoch). */
    public long[] order(long seed, int epoch) {
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + epoch);
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** Rows {@code order[from, to)} of features and labels (new tensors in the current scope). */
    public Tensor[] batch(long[] order, int from, int to) {
        Tensor index = torch.from_blob(new org.bytedeco.javacpp.LongPointer(java.util.Arrays.copyOfRange(order, from, to)),
                new long[] {to - from}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)).clone();
        return new Tensor[] {torch.index_select(x, 0, index), torch.index_select(y, 0, index)};
    }

    @Override
    public void close() {
        x.close();
        y.close();
    }
}
