package dev.orbit.checkpoint;

/**
 * A model architecture read from config.json and matched against the checkpoint's tensor names: sizes, options
 * and the names and shapes of every parameter ({@link #plan}).
 */
public sealed interface Architecture permits DecoderArchitecture, Gpt2Architecture, BertArchitecture {
    Family family();

    int layers();

    int hiddenSize();

    int vocabSize();

    /** Every tensor the checkpoint must or may hold. */
    TensorPlan plan();
}
