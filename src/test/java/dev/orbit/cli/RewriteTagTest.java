package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.Fixtures;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.verify.WeightChange;

/**
 * The rewrite Muls of a teleport are recognised by their doc_string tag, which survives export and import, and not by
 * their name: after the user renames them, 'orbit apply --inverse' still merges and removes them.
 */
class RewriteTagTest {
    @TempDir
    Path tmp;

    @Test
    void tagSurvivesTheFileAndInverseRemovesTaggedNodesWhateverTheirNames() {
        Path source = Fixtures.DIR.resolve("mlp_tanh.onnx");
        Path moved = tmp.resolve("moved.onnx");
        Path element = tmp.resolve("element.json");
        var teleport = CliRun.of("teleport", source.toString(), "-o", moved.toString(), "--seed", "7", "--cob-range", "0.9",
                "--sampling", "INTER", "--save-element", element.toString());
        assertEquals(0, teleport.exitCode(), teleport.err());

        Model read = OnnxImporter.read(moved);
        List<Node> tagged = read.graph().nodes().stream().filter(Node::isRewrite).toList();
        assertEquals(4, tagged.size(), "two hidden tanh layers, a Mul before and after each: " + tagged);
        assertEquals(2, tagged.stream().filter(Node::isRewriteIn).count());
        assertTrue(tagged.stream().allMatch(n -> n.opType().equals("Mul")));

        // the user renames every node: the tag, not the name, carries the meaning
        List<Node> renamed = new ArrayList<>();
        int k = 0;
        for (Node n : read.graph().nodes()) {
            renamed.add(new Node("user_node_" + k++, n.opType(), n.domain(), n.inputs(), n.outputs(), n.attributes(), n.docString()));
        }
        Path renamedFile = tmp.resolve("renamed.onnx");
        OnnxExporter.write(read.withGraph(read.graph().withNodes(renamed, read.graph().parameters())), renamedFile);

        Path restored = tmp.resolve("restored.onnx");
        var undo = CliRun.of("apply", renamedFile.toString(), element.toString(), "--inverse", "-o", restored.toString());
        assertEquals(0, undo.exitCode(), undo.err());
        Model original = OnnxImporter.read(source);
        Model back = OnnxImporter.read(restored);
        assertTrue(back.graph().nodes().stream().noneMatch(Node::isRewrite), "the inverse removes the rewrite Muls");
        assertEquals(original.graph().nodes().size(), back.graph().nodes().size());
        assertEquals(original.graph().parameters().keySet(), back.graph().parameters().keySet());
        double change = WeightChange.relative(original, back);
        assertTrue(change < 1e-6, "weights return to the original within float32 rounding: " + change);
    }
}
