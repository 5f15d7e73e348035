package dev.orbit.hyperbolic;

import java.util.List;

import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.tensor.DType;
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
 * Trains length-product networks and their ordinary-MLP peers the same way, in float64, through Orbit's trainer:
 * Adam (or SGD with momentum 0.9), cosine schedule, no weight decay, no augmentation (shifted images would come
 * back as float32).
 */
public final class HyperbolicTraining {
    private HyperbolicTraining() {}

    public record Config(int epochs, int batch, double lr, String optimizer, long seed, boolean quiet) {
        public Config {
            if (!optimizer.equals("adam") && !optimizer.equals("sgd")) throw new IllegalArgumentException("unknown optimizer '" + optimizer + "' (adam, sgd)");
        }

        Trainer.Config trainer() {
            return new Trainer.Config(epochs, batch, lr, new Schedule.Cosine(epochs), seed, new Loss.CrossEntropy(), quiet);
        }

        Optimizer newOptimizer() {
            return optimizer.equals("adam") ? new Optimizer.Adam(0.9, 0.999, 1e-8, 0) : new Optimizer.Sgd(0.9, false, 0);
        }
    }

    public record Result(Model model, List<EpochStats> history) {
        public double testAccuracy() { return history.getLast().testAccuracy(); }
    }

    /** Digits as float64 features. */
    public static Batches batches(MnistData d) {
        return new Batches(Precision.convert(d.images(), DType.FLOAT64), d.labels());
    }

    /** Rows [from, to) of a split. */
    public static MnistData slice(MnistData d, int from, int to) {
        int f = (int) d.images().dim(1);
        double[] all = d.images().toDoubleArray();
        double[] x = java.util.Arrays.copyOfRange(all, from * f, to * f);
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) xf[i] = (float) x[i];
        return new MnistData(NdArray.ofFloats(xf, to - from, f), java.util.Arrays.copyOfRange(d.labels(), from, to));
    }

    /**
     * Trains with the trainer's loop; after every epoch BatchNorm statistics are recalibrated on (up to) the first
     * {@link #CALIBRATION} training samples ({@link BatchNormCalibration}) and the test figures come from that model.
     */
    public static Result train(Model initial, Batches train, Batches test, Config c, Trainer.EpochListener listener) {
        List<EpochStats> history = new java.util.ArrayList<>();
        Model[] last = new Model[1];
        NdArray sample = calibrationSample(train);
        try (TrainableModel model = new TrainableModel(initial); Optimizer opt = c.newOptimizer()) {
            Trainer.fit(model, opt, train, null, c.trainer(), (s, m, o) -> {
                Model calibrated = BatchNormCalibration.recalibrate(m.snapshot(), sample);
                double[] t = test == null ? new double[] {Double.NaN, Double.NaN} : evaluate(calibrated, test);
                EpochStats stats = new EpochStats(s.epoch(), s.lr(), s.trainLoss(), s.trainAccuracy(), t[0], t[1], s.seconds(), s.samplesPerSecond());
                history.add(stats);
                last[0] = calibrated;
                if (listener != null) listener.after(stats, m, o);
            });
        }
        return new Result(last[0], history);
    }

    static final int CALIBRATION = 2000;

    private static NdArray calibrationSample(Batches train) {
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
            long n = Math.min(CALIBRATION, train.size());
            return NdArray.fromTorch(train.features().narrow(0, 0, n));
        }
    }

    /** The ordinary MLP with the same widths (ReLU, Kaiming initialisation), in float64. */
    public static Model mlpPeer(List<Integer> widths, long seed) {
        String spec = "mlp:" + String.join("-", widths.stream().map(String::valueOf).toList()) + ":relu";
        return Precision.convert(NetworkBuilder.build(ArchSpec.parse(spec), new Initializer.Kaiming(Math.sqrt(2)), seed), DType.FLOAT64);
    }

    /** Test loss and accuracy of a model on a data set (inference mode). */
    public static double[] evaluate(Model m, Batches data) {
        try (TrainableModel t = new TrainableModel(m)) {
            return Trainer.evaluate(t, data, new Loss.CrossEntropy());
        }
    }
}
