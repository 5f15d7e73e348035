package dev.orbit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueInfo;
import dev.orbit.ops.standard.StandardOps;

/** What {@code orbit inspect} reports about a model; also its JSON form. */
public record ModelSummary(String file, String producer, long irVersion, long opset, Map<String, Long> opsets,
                           List<String> inputs, List<String> outputs, Map<String, Integer> ops,
                           List<Parameter> parameters, long parameterCount, List<String> unsupportedOps,
                           Map<String, String> metadata) {
    public record Parameter(String name, String dtype, long[] shape) {}

    public static ModelSummary of(String file, Model m) {
        var g = m.graph();
        Map<String, Integer> ops = new TreeMap<>();
        List<String> unsupported = new ArrayList<>();
        for (Node n : g.nodes()) {
            String key = n.isStandardDomain() ? n.opType() : n.domain() + "::" + n.opType();
            ops.merge(key, 1, Integer::sum);
            if (StandardOps.registry().find(n, m.opset()).isEmpty() && !unsupported.contains(key)) unsupported.add(key);
        }
        List<Parameter> params = new ArrayList<>();
        for (var e : g.parameters().entrySet()) {
            params.add(new Parameter(e.getKey(), e.getValue().dtype().name().toLowerCase(), e.getValue().shape()));
        }
        String producer = (m.info().producerName() + " " + m.info().producerVersion()).trim();
        return new ModelSummary(file, producer, m.info().irVersion(), m.opset(), m.opsets(),
                g.inputs().stream().map(ModelSummary::describe).toList(),
                g.outputs().stream().map(ModelSummary::describe).toList(), ops, params, g.parameterCount(),
                unsupported, m.info().metadata());
    }

    static String describe(ValueInfo v) {
        return v.name() + " " + v.type();
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("model       ").append(file).append('\n');
        b.append("producer    ").append(producer.isEmpty() ? "(unknown)" : producer)
                .append(", IR ").append(irVersion).append(", opset ").append(opset).append('\n');
        b.append("inputs      ").append(String.join("; ", inputs)).append('\n');
        b.append("outputs     ").append(String.join("; ", outputs)).append('\n');
        b.append("ops         ");
        ops.forEach((k, v) -> b.append(k).append('×').append(v).append(' '));
        b.append('\n');
        b.append(String.format("parameters  %d tensors, %,d values%n", parameters.size(), parameterCount));
        for (Parameter p : parameters) {
            b.append(String.format("  %-40s %s%s%n", p.name(), p.dtype(), java.util.Arrays.toString(p.shape())));
        }
        if (!unsupportedOps.isEmpty()) {
            b.append("not evaluable by Orbit: ").append(String.join(", ", unsupportedOps))
                    .append(" (imports and exports unchanged)\n");
        }
        if (!metadata.isEmpty()) b.append("metadata    ").append(metadata).append('\n');
        return b.toString();
    }

}
