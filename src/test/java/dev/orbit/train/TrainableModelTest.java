package dev.orbit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;

class TrainableModelTest {
    @Test
    void activationConstantsAndBatchNormStatisticsAreNotTrained() {
        var gelu = NetworkBuilder.build(ArchSpec.parse("mlp:784-32-16-10:gelu"), Initializer.parse("kaiming"), 1);
        try (var m = new TrainableModel(gelu)) {
            assertTrue(m.parameters().keySet().stream().noneMatch(n -> n.startsWith("gelu")), m.parameters().keySet().toString());
            assertEquals(6, m.parameters().size(), "three weights and three biases");
        }
        var cnn = NetworkBuilder.build(ArchSpec.parse("cnn:1x28x28-c8/bn-p-10:relu"), Initializer.parse("kaiming"), 1);
        try (var m = new TrainableModel(cnn)) {
            assertFalse(m.parameters().keySet().stream().anyMatch(n -> n.endsWith(".mean") || n.endsWith(".var")),
                    m.parameters().keySet().toString());
            assertTrue(m.parameters().keySet().stream().anyMatch(n -> n.contains("bn")), "BatchNorm scale and bias train");
        }
    }
}
