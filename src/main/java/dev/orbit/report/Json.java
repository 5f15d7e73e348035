package dev.orbit.report;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import dev.orbit.ops.Activation;
import dev.orbit.ops.standard.StandardOps;

/**
 * JSON output with stable snake_case field names (records map field by field). An activation is written as the
 * constant name its results have always carried ("RELU", "HARD_TANH"): its label in upper case; it reads back through
 * the standard registry, so experiment configurations make the round trip.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule().addSerializer(Activation.class, new StdSerializer<>(Activation.class) {
                @Override
                public void serialize(Activation a, JsonGenerator gen, SerializerProvider provider) throws IOException {
                    gen.writeString(a.label().toUpperCase(Locale.ROOT).replace('-', '_'));
                }
            }).addDeserializer(Activation.class, new StdDeserializer<>(Activation.class) {
                @Override
                public Activation deserialize(JsonParser p, DeserializationContext context) throws IOException {
                    return StandardOps.registry().activation(p.getValueAsString().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
            }));

    private Json() {}

    public static ObjectMapper mapper() { return MAPPER; }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
