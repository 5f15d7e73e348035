package dev.orbit.hyperbolic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import dev.orbit.Moves;
import dev.orbit.Orbit;
import dev.orbit.geometry.LayerIsometry;
import dev.orbit.ops.length.HyperbolicLengthProduct;

/**
 * Writes the old-format element fixtures of src/test/resources/elements/ with the code of a commit before
 * orbit-element/3 (run by scripts/old-elements/make.sh against 8065d36): an orbit-element/1 file (permutations and
 * scales of a teleport), an orbit-element/2 file (with attention pair transforms and head scalings)
 * and the untagged per-layer files the hyperbolic orbit study wrote, one per geometry, for models the
 * test rebuilds from the same spec and seed. It sits in dev.orbit.hyperbolic because the old writer is package-private.
 */
public final class OldElementFixtures {
    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Orbit.load(fixtures.resolve("mlp_relu.onnx")).move(Moves.teleport().permute().seed(7))
                .element().save(out.resolve("mlp_relu.v1.element.json"));
        Orbit.load(fixtures.resolve("transformer_prenorm.onnx"))
                .move(Moves.teleport().permute().attention(4).seed(7))
                .element().save(out.resolve("transformer_prenorm.v2.element.json"));
        for (String space : List.of("h2", "h3", "euclid")) {
            var geometry = HyperbolicNet.parseSpace(space);
            var embedding = space.equals("euclid") ? HyperbolicLengthProduct.Embedding.AFFINE : HyperbolicLengthProduct.Embedding.GEODESIC;
            var model = HyperbolicNet.build(new HyperbolicNet.Spec(List.of(6, 4, 3), geometry, embedding), 11);
            var element = LengthLayers.randomElement(model, new SplittableRandom(5), 0.5);
            ElementsFile.write(out.resolve("hyperbolic-" + space + ".element.json"), element);
        }
        System.out.println("wrote " + out);
    }
}
