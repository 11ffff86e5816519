package dev.gazette.common.web;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.gazette.common.error.ProblemException;

/**
 * Query and path parameters that cannot be right are answered with 400 naming the parameter, before any resource
 * runs: values with control characters (a NUL would otherwise reach PostgreSQL, which refuses it), and query values
 * that are not one of an enumeration's names or not a number. JAX-RS answers a query parameter it cannot convert
 * with 404, which tells the client nothing.
 */
@Provider
public class ParameterChecks implements ParamConverterProvider {

    @ServerRequestFilter
    public void refuseControlCharacters(ContainerRequestContext request) {
        check(request.getUriInfo().getQueryParameters());
        check(request.getUriInfo().getPathParameters());
    }

    private static void check(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            if (hasControl(p.getKey())) {
                throw ProblemException.invalid("query", "A parameter name contains a control character.");
            }
            for (String value : p.getValue()) {
                if (hasControl(value)) {
                    throw ProblemException.invalid(p.getKey(), "Must not contain control characters.");
                }
            }
        }
    }

    /** C0 controls (tab and line breaks included), DEL and the C1 controls U+0080–U+009F. */
    static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                return true;
            }
        }
        return false;
    }

    @Override
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = Arrays.stream(annotations).filter(QueryParam.class::isInstance).map(a -> ((QueryParam) a).value())
                .findFirst().orElse(null);
        if (name == null) {
            return null;
        }
        if (rawType.isEnum()) {
            return (ParamConverter<T>) new EnumConverter(rawType, name);
        }
        if (rawType == Long.class || rawType == long.class) {
            return (ParamConverter<T>) new NumberConverter<>(name, rawType.isPrimitive() ? 0L : null, Long::valueOf);
        }
        if (rawType == Integer.class || rawType == int.class) {
            return (ParamConverter<T>) new NumberConverter<>(name, rawType.isPrimitive() ? 0 : null, Integer::valueOf);
        }
        return null;
    }

    private record EnumConverter<E extends Enum<E>>(Class<E> type, String name) implements ParamConverter<E> {

        @Override
        public E fromString(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value.strip())) {
                    return constant;
                }
            }
            throw ProblemException.invalid(name, "Must be one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .collect(Collectors.joining(", ")) + ".");
        }

        @Override
        public String toString(E value) {
            return value == null ? null : value.name();
        }
    }

    private record NumberConverter<N extends Number>(String name, N absent, java.util.function.Function<String, N> parse)
            implements ParamConverter<N> {

        @Override
        public N fromString(String value) {
            if (value == null || value.isBlank()) {
                return absent;
            }
            try {
                return parse.apply(value.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.invalid(name, "Must be a whole number.");
            }
        }

        @Override
        public String toString(N value) {
            return value == null ? null : value.toString();
        }
    }
}
