package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.orbit.io.safetensors.SafetensorsFormatException;

/** Malformed safetensors files and checkpoints map to exit code 3 like every other malformed input. */
class CheckpointErrorCodeTest {
    @Test
    void safetensorsErrorsAreBadInput() {
        assertEquals(ExitCodes.BAD_INPUT, ErrorHandler.codeFor(new SafetensorsFormatException("x.safetensors: overlaps")));
        assertEquals(ExitCodes.BAD_INPUT, ErrorHandler.codeFor(new dev.orbit.checkpoint.CheckpointFormatException("config.json: unknown model_type")));
    }
}
