package dev.orbit.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class Tensor64Test {
    @Test
    void channelRowsAreTheSlicesOfTheChannelsInTheirOrder() {
        SplittableRandom rng = new SplittableRandom(6);
        long[][] shapes = {{7}, {5, 40}, {40, 5}, {3, 4, 5, 6}, {33, 17, 2}};
        for (long[] shape : shapes) {
            int size = 1;
            for (long d : shape) size *= (int) d;
            double[] data = new double[size];
            for (int i = 0; i < size; i++) data[i] = rng.nextGaussian();
            Tensor64 t = new Tensor64(data, shape);
            for (int axis = 0; axis < shape.length; axis++) {
                for (int repeat = 1; repeat <= 2; repeat++) {
                    int offset = shape[axis] % 2 == 1 ? 1 : 0;
                    int count = (int) ((shape[axis] - offset) / repeat);
                    int[] channels = new int[count];
                    for (int c = 0; c < count; c++) channels[c] = count - 1 - c; // reversed: order matters
                    double[] rows = t.channelRows(axis, offset, repeat, channels);
                    int len = t.slice(axis, offset, repeat).length;
                    for (int c = 0; c < count; c++) {
                        double[] expected = t.slice(axis, offset + (long) channels[c] * repeat, repeat);
                        double[] got = java.util.Arrays.copyOfRange(rows, c * len, (c + 1) * len);
                        assertArrayEquals(expected, got, java.util.Arrays.toString(shape) + " axis " + axis + " repeat " + repeat);
                    }
                }
            }
        }
    }
}
