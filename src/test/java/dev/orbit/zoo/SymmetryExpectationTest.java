package dev.orbit.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.orbit.zoo.SymmetryExpectation.Status;

/**
 * The comparison helper itself: an analysis that finds exactly the expected group (written here in the JSON
 * shape of `orbit symmetries --json`, with the fields the issue-15 analysis is expected to add) is reported exact,
 * and each kind of deviation is reported where it happens.
 */
class SymmetryExpectationTest {
    private static JsonNode expected(String file) { return Zoo.read(Zoo.DIR.resolve(file + ".expected.json")); }

    /** What a perfect analysis would print for this expectation. */
    static ObjectNode perfectFinding(JsonNode expected, boolean afterFolding) {
        ObjectNode found = Zoo.JSON.createObjectNode();
        ArrayNode spaces = found.putArray("spaces");
        Map<String, Integer> classes = new HashMap<>();
        int id = 0;
        for (JsonNode e : expected.get("spaces")) {
            ObjectNode s = spaces.addObject();
            s.put("id", id++).put("size", e.get("size").asLong()).put("origin", e.get("name").asText());
            s.put("perm_class", classes.computeIfAbsent(e.get("perm_class").asText(), k -> classes.size()));
            s.put("permutable", e.get("permutation").asText().equals("FULL"));
            s.put("head_permutable", e.get("permutation").asText().equals("HEADS"));
            s.put("scaling", e.get("scaling").asText());
            ArrayNode touches = s.putArray("touches");
            for (JsonNode w : e.get("writers")) {
                touches.addObject().put("parameter", w.get("parameter").asText()).put("axis", w.get("axis").asInt())
                        .put("role", "COVARIANT").put("offset", w.get("offset").asLong()).put("repeat", 1);
            }
            // per-channel parameters that only move with the space's permutation (ConvNeXt's layer scale)
            for (JsonNode w : e.path("permuted")) {
                touches.addObject().put("parameter", w.get("parameter").asText()).put("axis", w.get("axis").asInt())
                        .put("role", "PERMUTE_ONLY").put("offset", w.path("offset").asLong()).put("repeat", 1);
            }
        }
        ArrayNode pairs = found.putArray("pairs");
        ArrayNode streams = found.putArray("streams");
        for (JsonNode g : expected.get("matrix_groups")) {
            if (g.get("kind").asText().equals("STREAM")) {
                streams.addObject().put("size", g.get("size").asLong())
                        .put("rotatable", g.get(afterFolding ? "rotatable_after_folding" : "rotatable").asBoolean())
                        .set("writers", g.get("writers"));
            } else {
                ObjectNode p = pairs.addObject().put("kind", g.get("kind").asText()).put("heads", g.get("heads").asLong())
                        .put("head_dim", g.get("head_dim").asLong()).put("group", g.get("group").asText()).put("origin", "test");
                if (g.has("kv_heads")) p.put("kv_heads", g.get("kv_heads").asLong());
                p.set("left", g.get("left"));
                p.set("right", g.get("right"));
            }
        }
        return found;
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18_op13", "mobilenet_v3_small_op17", "convnext_tiny_op9", "swin_t_op13", "llama_op17",
            "bert_op13", "paddle_attention_op11", "tf_cnn_op13", "detector_op13"})
    void aPerfectFindingIsExact(String file) {
        JsonNode e = expected(file);
        var r = SymmetryExpectation.compare(file, e, perfectFinding(e, false), perfectFinding(e, true));
        assertTrue(r.exact(), r.text());
        assertEquals(r.expected(), r.found());
    }

    @Test
    void glOnRotaryHeadsIsReportedAsTooMuch() {
        JsonNode e = expected("llama_op17");
        ObjectNode found = perfectFinding(e, false);
        for (JsonNode p : found.get("pairs")) ((ObjectNode) p).put("group", "GL");
        var r = SymmetryExpectation.compare("llama", e, found, perfectFinding(e, true));
        assertFalse(r.exact());
        var qk = r.groups().stream().filter(g -> g.expected().startsWith("QUERY_KEY")).toList();
        assertEquals(2, qk.size());
        qk.forEach(g -> {
            assertEquals(Status.DIFFERENT, g.status());
            assertTrue(g.problems().toString().contains("too much"), g.toString());
        });
        assertTrue(r.found().matrixDimension() > r.expected().matrixDimension());
    }

    @Test
    void aFrozenSpaceAMergedSpaceAndAMissingRotationAreEachReported() {
        JsonNode e = expected("gpt2_op13");
        ObjectNode found = perfectFinding(e, false);
        ArrayNode spaces = (ArrayNode) found.get("spaces");
        ObjectNode mlp = (ObjectNode) spaces.get(indexOf(e, "h.0.c_fc output"));
        mlp.put("permutable", false).put("scaling", "NONE");
        ObjectNode ln1 = (ObjectNode) spaces.get(indexOf(e, "h.0.ln_1 output"));
        ObjectNode ln2 = (ObjectNode) spaces.get(indexOf(e, "h.0.ln_2 output"));
        ((ArrayNode) ln1.get("touches")).addAll((ArrayNode) ln2.get("touches"));  // ln_2's writers land in ln_1's space
        spaces.remove(indexOf(e, "h.0.ln_2 output"));
        var r = SymmetryExpectation.compare("gpt2", e, found, perfectFinding(e, false));  // folding did not help
        assertEquals(Status.DIFFERENT, status(r, "h.0.c_fc output"));
        assertEquals(Status.DIFFERENT, status(r, "h.0.ln_1 output"));
        assertEquals(Status.DIFFERENT, status(r, "h.0.ln_2 output"));
        assertEquals(Status.DIFFERENT, r.groups().stream().filter(g -> g.expected().startsWith("STREAM")).findFirst().orElseThrow().status());
        assertTrue(r.found().scalable() < r.expected().scalable());
        assertTrue(r.found().matrixDimension() < r.expected().matrixDimension());
    }

    @Test
    void aSpaceNobodyFoundIsMissingAndAnExtraOneIsUnexpected() {
        JsonNode e = expected("resnet18_op13");
        ObjectNode found = perfectFinding(e, false);
        ArrayNode spaces = (ArrayNode) found.get("spaces");
        spaces.remove(1);
        spaces.addObject().put("id", 99).put("size", 3).put("origin", "somewhere").put("scaling", "NONE").putArray("touches")
                .addObject().put("parameter", "nowhere").put("axis", 0).put("role", "COVARIANT").put("offset", 0);
        var r = SymmetryExpectation.compare("resnet18", e, found, null);
        assertEquals(Status.MISSING, r.spaces().get(1).status());
        assertEquals(1, r.unexpected().size());
        assertFalse(r.exact());
    }

    private static int indexOf(JsonNode expected, String prefix) {
        for (int i = 0; i < expected.get("spaces").size(); i++) {
            if (expected.get("spaces").get(i).get("name").asText().startsWith(prefix)) return i;
        }
        throw new IllegalArgumentException(prefix);
    }

    private static Status status(SymmetryExpectation.Report r, String prefix) {
        return r.spaces().stream().filter(s -> s.expected().startsWith(prefix)).findFirst().orElseThrow().status();
    }
}
