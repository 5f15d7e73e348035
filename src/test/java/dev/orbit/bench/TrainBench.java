package dev.orbit.bench;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.EpochStats;
import dev.orbit.train.Initializer;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;

/**
 * Training speed of Orbit's {@link Trainer} on the 8,000 bundled training digits: plain SGD (momentum 0.9,
 * lr 0.01, constant schedule), cross-entropy, batch 256, quiet, no test set. One warm-up epoch, then
 * {@code epochs} timed epochs; the time per epoch is the Trainer's own (the step loop: batch gathering, forward,
 * loss, autograd, optimizer step, loss/accuracy bookkeeping). Prints one machine-readable line per architecture,
 * {@code orbit ARCH batch=B epoch_seconds=S ...}, the median over the timed epochs, for
 * bench/train-vs-pytorch.sh to set against bench/train_pytorch.py.
 * Usage: TrainBench [threads (default: all cores)] [epochs (default 3)] [arch ...].
 */
public final class TrainBench {
    static final List<String> DEFAULT_ARCHS = List.of("mlp:784-500x5-10:relu", "cnn:1x28x28-c16-p-c32-p-fc64-10:relu");
    static final int BATCH = 256;
    static final double LR = 0.01;
    static final double MOMENTUM = 0.9;
    static final long SEED = 1;

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> archs = args.length > 2 ? List.of(args).subList(2, args.length) : DEFAULT_ARCHS;
        if (threads <= 0 || epochs <= 0) throw new IllegalArgumentException("threads and epochs must be positive");
        org.bytedeco.pytorch.global.torch.set_num_threads(threads);
        MnistData data = MnistData.bundled(MnistData.Split.TRAIN);
        for (String arch : archs) run(arch, data, threads, epochs);
    }

    static void run(String arch, MnistData data, int threads, int epochs) {
        ArchSpec spec = ArchSpec.parse(arch);
        Model initial = NetworkBuilder.build(spec, Initializer.parse("kaiming"), SEED);
        NdArray images = data.images().reshape(inputShape(initial, data.size()));
        Trainer.Config config = new Trainer.Config(1 + epochs, BATCH, LR, new Schedule.Constant(), SEED,
                new Loss.CrossEntropy(), true);
        List<EpochStats> history;
        try (TrainableModel model = new TrainableModel(initial);
             Batches train = new Batches(images, data.labels());
             Optimizer opt = new Optimizer.Sgd(MOMENTUM, false, 0)) {
            history = Trainer.fit(model, opt, train, null, config, null);
        }
        double[] secs = new double[epochs];
        List<String> each = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            secs[i] = history.get(i + 1).seconds();
            each.add(String.format("%.4f", secs[i]));
        }
        EpochStats last = history.getLast();
        System.out.printf("orbit %s batch=%d epoch_seconds=%.4f warmup_seconds=%.4f epochs=%s threads=%d samples=%d "
                        + "final_loss=%.4f final_acc=%.4f%n", arch, BATCH, EvaluatorBench.median(secs),
                history.getFirst().seconds(), String.join(",", each), threads, data.size(), last.trainLoss(),
                last.trainAccuracy());
        System.out.flush();
    }

    /** The model's input shape with the batch filled in ([n, 784] for an MLP, [n, 1, 28, 28] for a CNN). */
    public static long[] inputShape(Model m, int n) {
        var s = m.graph().inputs().getFirst().type().shape();
        long[] shape = new long[s.rank()];
        shape[0] = n;
        for (int i = 1; i < s.rank(); i++) shape[i] = s.dim(i).size();
        return shape;
    }
}
