package dev.orbit.fuzz;

import java.util.Arrays;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.orbit.cli.TypedErrors;
import dev.orbit.io.safetensors.ElementType;
import dev.orbit.io.safetensors.SafetensorsFile;
import dev.orbit.io.safetensors.SafetensorsWriter;
import dev.orbit.io.safetensors.ShardIndex;
import dev.orbit.io.safetensors.StoredTensor;
import dev.orbit.io.safetensors.TensorEntry;
import dev.orbit.tensor.NdArray;

/**
 * Fuzz target: safetensors bytes → {@link SafetensorsFile#of} (header length, JSON header, layout) → every tensor's
 * values in Java → the same tensor through libtorch (the native call a checkpoint move makes), whose values must
 * agree → a byte-identical copy by {@link SafetensorsWriter}. The same bytes also go to {@link ShardIndex#parse}
 * (the JSON index of a sharded checkpoint). Typed errors only.
 */
class SafetensorsFuzzTest {
    /** Tensors up to this many elements also go through libtorch (all of them can: the bytes exist in the input). */
    private static final long TORCH_ELEMENTS = 1 << 16;

    /** Jazzer's standalone driver calls this before fuzzing; JUnit runs it through the class initializer. */
    public static void fuzzerInitialize() { }

    static {
        FuzzSetup.warmUp(SafetensorsFuzzTest::fuzzerTestOneInput,
                "src/test/resources/dev/orbit/fuzz/SafetensorsFuzzTestInputs/safetensors/seed-every-type.safetensors");
    }

    @FuzzTest(maxDuration = "15s")
    void safetensors(byte[] data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            ShardIndex.parse(data, "fuzz.index.json");
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
        }
        SafetensorsFile file;
        try {
            file = SafetensorsFile.of(data, "fuzz.safetensors");
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
            return;
        }
        for (TensorEntry e : file.header().entries()) {
            StoredTensor t = file.tensor(e);
            double[] values = t.toDoubles();
            if (values.length != t.elementCount()) throw new AssertionError(e.name() + ": " + values.length + " values read");
            if (t.elementCount() <= TORCH_ELEMENTS && t.type() != ElementType.BOOL) {
                Tensor viaTorch = t.toTorch(ScalarType.Double);
                double[] back = NdArray.fromTorch(viaTorch).toDoubleArray();
                if (!sameValues(values, back)) throw new AssertionError(e.name() + ": libtorch read other values than Java");
                viaTorch.close();
            }
        }
        byte[] copy = SafetensorsWriter.toBytes(file.header(), file::bytes);
        if (!Arrays.equals(copy, data)) throw new AssertionError("the writer's copy differs from the file it copied");
    }

    /** Equal values, signed zeros apart; any NaN equals any NaN (libtorch need not keep a NaN's payload). */
    private static boolean sameValues(double[] a, double[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) ? !Double.isNaN(b[i]) : Double.compare(a[i], b[i]) != 0) return false;
        }
        return true;
    }
}
