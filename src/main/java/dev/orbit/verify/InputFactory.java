package dev.orbit.verify;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Model;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueInfo;
import dev.orbit.io.LimitExceededException;
import dev.orbit.io.ReadLimits;
import dev.orbit.io.Text;
import dev.orbit.io.idx.MnistData;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Builds concrete inputs for a model. Dynamic dimensions: axis 0 (the batch) takes the number of samples;
 * any other dynamic dimension must be given with an explicit shape, or Orbit names it and stops.
 */
public final class InputFactory {
    private InputFactory() {}

    public static Map<String, NdArray> make(Model model, InputSpec spec, Map<String, long[]> shapes) {
        List<ValueInfo> inputs = model.graph().inputs();
        for (String name : shapes.keySet()) {
            if (inputs.stream().noneMatch(v -> v.name().equals(name))) {
                throw new ShapeException("--shape names '" + name + "', which is not a model input (inputs: "
                        + inputs.stream().map(ValueInfo::name).toList() + ")");
            }
        }
        return switch (spec) {
            case InputSpec.Random r -> random(inputs, r, shapes);
            case InputSpec.Data d -> data(inputs, d, shapes);
            case InputSpec.Files f -> switch (dev.orbit.io.inputs.DataKind.detect(f.path())) {
                case MNIST_IDX -> data(inputs, new InputSpec.Data(f.path(), f.limit()), shapes);
                case NPY -> given(inputs, head(dev.orbit.io.inputs.NpyReader.read(f.path()), f.limit()), shapes, "the .npy array " + f.path());
                case IMAGE_FOLDER -> given(inputs, dev.orbit.io.inputs.ImageFolder.read(f.path(), f.limit(), f.size(), f.mean(), f.std()),
                        shapes, "the images of " + f.path());
            };
        };
    }

    /** The concrete shape of one input for a given sample count. */
    public static long[] concreteShape(ValueInfo in, int samples, Map<String, long[]> shapes) {
        long[] given = shapes.get(in.name());
        if (given != null) {
            for (long d : given) if (d <= 0) throw new ShapeException("--shape " + in.name() + " has a dimension of " + d);
            Shape want = in.type().shape();
            if (want != null && want.rank() != given.length) {
                throw new ShapeException("--shape " + in.name() + " has rank " + given.length + " but the input has rank " + want.rank());
            }
            return given;
        }
        Shape s = in.type().shape();
        if (s == null) throw new ShapeException("input '" + in.name() + "' has no declared shape; give it with --shape " + in.name() + "=d1,d2,...");
        long[] out = new long[s.rank()];
        for (int i = 0; i < out.length; i++) {
            Dim d = s.dim(i);
            if (d instanceof Dim.Known(long v)) {
                if (v == 0) throw new ShapeException("input '" + in.name() + "' declares a dimension of zero at axis " + i);
                out[i] = v;
            } else if (i == 0) {
                out[i] = samples;
            } else {
                throw new ShapeException("input '" + in.name() + "' has dynamic dimension '" + d + "' at axis " + i
                        + "; give it with --shape " + in.name() + "=" + describe(s, samples));
            }
        }
        return out;
    }

    private static String describe(Shape s, int samples) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.rank(); i++) {
            if (i > 0) b.append(',');
            b.append(s.dim(i).isKnown() ? Long.toString(s.dim(i).size()) : i == 0 ? Integer.toString(samples) : "N");
        }
        return b.toString();
    }

    private static Map<String, NdArray> random(List<ValueInfo> inputs, InputSpec.Random r, Map<String, long[]> shapes) {
        if (r.samples() <= 0) throw new ShapeException("--random needs a positive sample count, got " + r.samples());
        var rng = new java.util.SplittableRandom(r.seed());
        Map<String, NdArray> feeds = new LinkedHashMap<>();
        for (ValueInfo in : inputs) {
            long[] shape = concreteShape(in, r.samples(), shapes);
            int n = elements(in.name(), shape);
            DType t = in.type().dtype();
            if (!t.isFloating()) throw new ShapeException("input '" + in.name() + "' is " + t + "; random inputs are float only");
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.distribution() == InputSpec.Distribution.NORMAL ? gaussian(rng) : rng.nextDouble(-1, 1);
            }
            feeds.put(in.name(), t == DType.FLOAT64 ? NdArray.ofDoubles(v, shape) : NdArray.ofFloats(toFloats(v), shape).to(t));
        }
        return feeds;
    }

    /** An input's element count, checked before anything is allocated: declared shapes come from the file. */
    private static int elements(String name, long[] shape) {
        long n;
        try {
            n = NdArray.count(shape);
        } catch (ArithmeticException e) {
            throw new LimitExceededException("input " + Text.quote(name) + " of shape " + Arrays.toString(shape)
                    + " has more elements than a 64-bit count holds");
        }
        // generated as float64 first: eight bytes per element
        ReadLimits.current().checkBytes(n > Long.MAX_VALUE / 8 ? -1 : n * 8, "input " + Text.quote(name) + " of shape " + Arrays.toString(shape));
        if (n > Integer.MAX_VALUE - 8) {
            throw new LimitExceededException("input " + Text.quote(name) + " of shape " + Arrays.toString(shape)
                    + " has more elements than Orbit generates (2^31)");
        }
        return (int) n;
    }

    private static double gaussian(java.util.SplittableRandom rng) {
        // Box–Muller: SplittableRandom has no nextGaussian before JDK 17's RandomGenerator default; keep it explicit
        double u = rng.nextDouble();
        double w = rng.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * w);
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    private static Map<String, NdArray> data(List<ValueInfo> inputs, InputSpec.Data d, Map<String, long[]> shapes) {
        if (inputs.size() != 1) {
            throw new ShapeException("--data feeds models with one input; this model has " + inputs.size() + ": use --random");
        }
        if (d.limit() <= 0) throw new ShapeException("the sample count must be positive, got " + d.limit());
        MnistData mnist = (d.dir() == null ? MnistData.bundled(MnistData.Split.TEST)
                : MnistData.fromDirectory(d.dir(), MnistData.Split.TEST)).head(d.limit());
        ValueInfo in = inputs.getFirst();
        long[] shape = concreteShape(in, mnist.size(), shapes);
        if (shape[0] != mnist.size()) shape[0] = mnist.size();
        long perSample = elements(in.name(), shape) / shape[0];
        if (perSample != mnist.images().dim(1)) {
            throw new ShapeException("model input '" + in.name() + "' takes " + perSample + " values per sample "
                    + Arrays.toString(shape) + " but each digit has " + mnist.images().dim(1));
        }
        NdArray x = mnist.images().reshape(shape);
        checkFinite(in.name(), x);
        if (in.type().dtype() == DType.FLOAT64) x = NdArray.ofDoubles(x.toDoubleArray(), shape);
        else if (in.type().dtype().isHalf()) x = x.to(in.type().dtype());
        Map<String, NdArray> feeds = new LinkedHashMap<>();
        feeds.put(in.name(), x);
        return feeds;
    }

    /** The first {@code limit} samples (axis 0) of an array. */
    private static NdArray head(NdArray a, int limit) {
        if (limit <= 0) throw new ShapeException("the sample count must be positive, got " + limit);
        if (a.rank() == 0 || a.dim(0) <= limit) return a;
        long[] shape = a.shape();
        long per = a.size() / shape[0];
        shape[0] = limit;
        NdArray out = NdArray.zeros(a.dtype(), shape);
        java.lang.foreign.MemorySegment.copy(a.segment(), 0, out.segment(), 0, limit * per * a.dtype().byteSize);
        return out;
    }

    /** An array read from a file fed to a one-input model: same values per sample, cast to the input's float type. */
    private static Map<String, NdArray> given(List<ValueInfo> inputs, NdArray x, Map<String, long[]> shapes, String what) {
        if (inputs.size() != 1) throw new ShapeException("--data feeds models with one input; this model has " + inputs.size() + ": use --random");
        if (x.rank() == 0 || x.dim(0) == 0) throw new ShapeException(what + " holds no samples");
        ValueInfo in = inputs.getFirst();
        int n = Math.toIntExact(x.dim(0));
        long[] shape = concreteShape(in, n, shapes);
        shape[0] = n;
        if (elements(in.name(), shape) != x.size()) {
            throw new ShapeException("model input '" + in.name() + "' takes " + Arrays.toString(shape) + " but " + what + " is " + Arrays.toString(x.shape()));
        }
        if (!x.dtype().isFloating()) throw new ShapeException(what + " holds " + x.dtype() + " values; the model input takes floats");
        DType want = in.type().dtype().isFloating() ? in.type().dtype() : DType.FLOAT32;
        NdArray y = (x.dtype() == want ? x : x.to(want)).reshape(shape);
        checkFinite(in.name(), y);
        Map<String, NdArray> feeds = new LinkedHashMap<>();
        feeds.put(in.name(), y);
        return feeds;
    }

    /** NaN or infinite inputs make every comparison meaningless: refuse them up front. */
    public static void checkFinite(String name, NdArray a) {
        if (!a.dtype().isFloating()) return;
        for (long i = 0; i < a.size(); i++) {
            if (!Double.isFinite(a.getAsDouble(i))) {
                throw new ModelFormatException("input '" + name + "' contains a non-finite value (NaN or infinity) at index " + i);
            }
        }
    }
}
