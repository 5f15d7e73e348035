package dev.orbit.quant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.EvaluationBudget;

/** Runs a model in Orbit's evaluator and returns intermediate values (made extra graph outputs for the run). */
final class Probe {
    private Probe() {}

    static Map<String, NdArray> values(Model m, List<String> names, Map<String, NdArray> feeds) {
        EvaluationBudget.check(m, feeds); // before libtorch allocates what a hostile model's shapes ask for
        Graph g = m.graph();
        Map<String, ValueType> types = ShapeInference.infer(m);
        List<ValueInfo> outs = new ArrayList<>(g.outputs());
        var have = new LinkedHashSet<String>();
        g.outputs().forEach(o -> have.add(o.name()));
        for (String n : names) if (have.add(n)) outs.add(new ValueInfo(n, types.get(n)));
        Graph probe = new Graph(g.name(), g.inputs(), outs, g.nodes(), g.parameters(), g.valueInfo(), g.docString());
        Map<String, NdArray> all = new Evaluator(m.withGraph(probe)).run(feeds);
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (String n : names) out.put(n, all.get(n));
        return out;
    }
}
