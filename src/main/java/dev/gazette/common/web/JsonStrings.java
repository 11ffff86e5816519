package dev.gazette.common.web;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Refuses a NUL character in any string of a JSON request body: PostgreSQL cannot store one in text, so it would
 * otherwise surface as a server error after the request was accepted. The answer is 400 naming the field.
 */
@Singleton
public class JsonStrings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("gazette-strings").addDeserializer(String.class, new NoNul()));
    }

    /** A string value with a NUL character in it. */
    public static final class NulCharacterException extends InvalidFormatException {

        NulCharacterException(JsonParser parser, String value) {
            super(parser, "A NUL character is not allowed", value, String.class);
        }
    }

    static final class NoNul extends StdScalarDeserializer<String> {

        NoNul() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && value.indexOf('\0') >= 0) {
                throw new NulCharacterException(parser, value);
            }
            return value;
        }
    }
}
