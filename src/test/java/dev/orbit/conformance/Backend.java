package dev.orbit.conformance;

/** Something that runs a conformance test: Orbit's importer and evaluator, or ONNX Runtime. */
interface Backend {
    String name();

    /** Runs every data set of the test and compares with the backend rule; never throws for a failing test. */
    Outcome run(SuiteCase test);
}
