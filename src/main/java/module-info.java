/**
 * Orbit: the symmetries of neural networks. The API is the front door {@code dev.orbit} ({@link dev.orbit.Orbit}), the
 * experiment interface {@code dev.orbit.experiment} (implemented by the studies), the op contract {@code dev.orbit.ops}
 * (register your own ops), and the packages whose types these take and return. The command line, the evaluator, the
 * ONNX reader and writer and the numeric helpers are internal (docs/ARCHITECTURE.md, "Public and internal").
 */
module dev.orbit {
    requires java.desktop;
    requires java.management;
    requires jdk.management;
    requires org.bytedeco.javacpp;
    requires transitive org.bytedeco.pytorch; // NdArray hands out libtorch tensors
    requires org.bytedeco.openblas;
    requires com.microsoft.onnxruntime;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;
    requires transitive com.fasterxml.jackson.databind; // Json.mapper() hands out the ObjectMapper
    requires com.fasterxml.jackson.annotation;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires org.knowm.xchart;

    // the API: the front door, the experiment interface, the op contract
    exports dev.orbit;
    exports dev.orbit.experiment;
    exports dev.orbit.ops;
    exports dev.orbit.ops.standard;
    exports dev.orbit.ops.length;  // Orbit's own length-product ops: hyperbolic network specs name their embedding
    // the types those return and take (models, tensors, reports, elements, charts, files) and the studies' experiments
    exports dev.orbit.graph;
    exports dev.orbit.graph.build;
    exports dev.orbit.tensor;
    exports dev.orbit.geometry;
    exports dev.orbit.verify;
    exports dev.orbit.symmetry;
    exports dev.orbit.report;
    exports dev.orbit.io;
    exports dev.orbit.io.idx;
    exports dev.orbit.train;
    exports dev.orbit.landscape;
    exports dev.orbit.spectra;
    exports dev.orbit.ode;
    exports dev.orbit.hyperbolic;
    exports dev.orbit.quant;
    exports dev.orbit.identity;
    exports dev.orbit.sweep;
    // internal: dev.orbit.cli (a client of the API), dev.orbit.eval (through Network.run and verify), the other op classes
    // dev.orbit.ops.<family> (through the standard registry), dev.orbit.io.onnx (through Orbit.load and save),
    // dev.orbit.io.safetensors and dev.orbit.checkpoint (no front door yet), dev.orbit.numeric (shared helpers)

    // Jackson writes and reads the result and configuration records; picocli fills the commands' fields
    opens dev.orbit to com.fasterxml.jackson.databind;
    opens dev.orbit.experiment to com.fasterxml.jackson.databind;
    opens dev.orbit.verify to com.fasterxml.jackson.databind;
    opens dev.orbit.symmetry to com.fasterxml.jackson.databind;
    opens dev.orbit.landscape to com.fasterxml.jackson.databind;
    opens dev.orbit.spectra to com.fasterxml.jackson.databind;
    opens dev.orbit.ode to com.fasterxml.jackson.databind;
    opens dev.orbit.hyperbolic to com.fasterxml.jackson.databind;
    opens dev.orbit.quant to com.fasterxml.jackson.databind;
    opens dev.orbit.identity to com.fasterxml.jackson.databind;
    opens dev.orbit.sweep to com.fasterxml.jackson.databind;
    opens dev.orbit.train to com.fasterxml.jackson.databind;
    opens dev.orbit.geometry to com.fasterxml.jackson.databind;
    opens dev.orbit.cli to info.picocli, com.fasterxml.jackson.databind;

    // sweeps find experiments and engines by name (an engine such as Spark's lives in its own jar: spark/)
    uses dev.orbit.sweep.SweepableExperiment;
    uses dev.orbit.sweep.SweepEngine;
    provides dev.orbit.sweep.SweepableExperiment with dev.orbit.landscape.TeleportTrainingExperiment, dev.orbit.identity.HubScan;
}
