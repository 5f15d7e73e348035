package dev.orbit.checkpoint;

import java.util.List;

/** The model families Orbit recognises from a config.json ({@code model_type}, else {@code architectures}). */
public enum Family {
    LLAMA("llama", List.of("LlamaForCausalLM", "LlamaModel")),
    MISTRAL("mistral", List.of("MistralForCausalLM", "MistralModel")),
    QWEN2("qwen2", List.of("Qwen2ForCausalLM", "Qwen2Model")),
    QWEN3("qwen3", List.of("Qwen3ForCausalLM", "Qwen3Model")),
    GPT2("gpt2", List.of("GPT2LMHeadModel", "GPT2Model")),
    BERT("bert", List.of("BertForMaskedLM", "BertModel", "BertForPreTraining"));

    public final String modelType;
    public final List<String> architectures;

    Family(String modelType, List<String> architectures) {
        this.modelType = modelType;
        this.architectures = architectures;
    }

    /** LLaMA-style decoders: RMSNorm, SwiGLU, rotary embeddings, grouped-query attention. */
    public boolean isRotaryDecoder() {
        return this == LLAMA || this == MISTRAL || this == QWEN2 || this == QWEN3;
    }

    static Family byModelType(String modelType) {
        for (Family f : values()) if (f.modelType.equals(modelType)) return f;
        return null;
    }

    static Family byArchitecture(String architecture) {
        for (Family f : values()) if (f.architectures.contains(architecture)) return f;
        return null;
    }
}
