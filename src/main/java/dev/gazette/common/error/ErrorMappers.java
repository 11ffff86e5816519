package dev.gazette.common.error;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure into {@code application/problem+json} for API clients, or a friendly page for browsers on public
 * pages. Never a stack trace or a class name.
 */
public class ErrorMappers {

    /**
     * The attribute of an {@link AuthenticationFailedException} holding how long a throttled client must wait (a
     * {@link java.time.Duration}): answered with 429 and {@code Retry-After} instead of 401.
     */
    public static final String RETRY_AFTER = "gazette-retry-after";

    /** Where Quarkus REST reads form bodies (urlencoded and multipart), by class name prefix. */
    private static final List<String> FORM_READERS = List.of("org.jboss.resteasy.reactive.server.handlers.FormBodyHandler",
            "org.jboss.resteasy.reactive.server.core.multipart.", "org.jboss.resteasy.reactive.common.util.URLUtils");

    private static final java.util.regex.Pattern SIGNED_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance error(int status, String title, String detail);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, HttpHeaders headers) {
        return respond(e.status(), e.title(), e.getMessage(), e.violations(), uri, headers);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri, HttpHeaders headers) {
        List<Problem.Violation> violations = new ArrayList<>();
        boolean returnValue = false;
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            returnValue |= isReturnValue(v.getPropertyPath());
            violations.add(new Problem.Violation(fieldName(v.getPropertyPath()), v.getMessage()));
        }
        if (returnValue) {
            return unexpected(e, uri, headers);
        }
        violations.sort(Comparator.comparing(Problem.Violation::field));
        return respond(400, "Bad Request", "The request is not valid: see violations.", violations, uri, headers);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri, HttpHeaders headers) {
        List<Problem.Violation> violations = null;
        String detail = "The request body is not valid JSON.";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping.getPath());
            detail = e instanceof dev.gazette.common.web.JsonStrings.NulCharacterException
                    ? "The request body has a value that cannot be stored." : "The request body has a value of the wrong type.";
            violations = List.of(new Problem.Violation(field, e instanceof dev.gazette.common.web.JsonStrings.NulCharacterException
                    ? "must not contain a NUL character" : "has a value of the wrong type"));
        }
        return respond(400, "Bad Request", detail, violations, uri, headers);
    }

    /** Takes precedence over the built-in mapper, whose body names Jackson internals. */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri, HttpHeaders headers) {
        return malformedJson(e, uri, headers);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri, HttpHeaders headers) {
        return unauthenticated(uri, headers);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri, HttpHeaders headers) {
        if (e.getAttribute(RETRY_AFTER) instanceof java.time.Duration wait) {
            Response response = respond(429, "Too Many Requests", "Too many failed sign-ins from here or to this account;"
                    + " try again in " + wait.toSeconds() + (wait.toSeconds() == 1 ? " second." : " seconds."), null, uri, headers);
            response.getHeaders().add("Retry-After", String.valueOf(wait.toSeconds()));
            return response;
        }
        return unauthenticated(uri, headers);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, HttpHeaders headers) {
        return respond(403, "Forbidden", "Your role does not allow this action.", null, uri, headers);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json, uri, headers);
        }
        if (e.getCause() instanceof ProblemException problem) {
            // a parameter converter refused a value (common/web/ParameterChecks); JAX-RS wraps it in a 404
            return problem(problem, uri, headers);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri, headers);
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        String title = type.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "There is nothing at this address.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "No representation matches the Accept header.";
            case 415 -> "This content type is not supported here.";
            default -> title + ".";
        };
        Response response = respond(status, title, detail, null, uri, headers);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(v -> response.getHeaders().add(name, v));
            }
        });
        return response;
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri, HttpHeaders headers) {
        if (unreadableForm(e)) {
            // a body that says it is a form and is not one (bad %-escapes, a cut multipart): the client's fault
            return respond(400, "Bad Request", "The request body is not a valid form.", null, uri, headers);
        }
        String errorId = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected error %s on %s", errorId, loggable(uri.getPath()));
        return respond(500, "Internal Server Error",
                "Something went wrong on our side. Reference: " + errorId, null, uri, headers);
    }

    /** Whether Quarkus REST failed while reading a form body, before any resource ran: no frame of ours is involved. */
    static boolean unreadableForm(Throwable e) {
        if (!(e instanceof IllegalArgumentException || e instanceof java.io.IOException)) {
            return false;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            String type = frame.getClassName();
            if (type.startsWith("dev.gazette.")) {
                return false;
            }
            if (FORM_READERS.stream().anyMatch(type::startsWith)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A request path fit for a log line: signed tokens (confirm, preferences and unsubscribe links carry one each, and
     * each works as a key to a reader's subscription) are replaced by an ellipsis.
     */
    public static String loggable(String path) {
        return path == null ? null : SIGNED_TOKEN.matcher(path).replaceAll("…");
    }

    private Response unauthenticated(UriInfo uri, HttpHeaders headers) {
        String path = uri.getPath();
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            // the editor UI signs in with a form: back to it, saying why when a sign-in just failed
            return Response.status(302).location(java.net.URI.create(path.endsWith("/j_security_check")
                    ? "/admin/login?error=true" : "/admin/login")).build();
        }
        Response response = respond(401, "Unauthorized",
                "Send a valid API token: Authorization: Bearer <token>.", null, uri, headers);
        response.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"Gazette\"");
        return response;
    }

    static Response respond(int status, String title, String detail, List<Problem.Violation> violations, UriInfo uri,
            HttpHeaders headers) {
        if (wantsHtml(uri, headers)) {
            return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.error(status, title, detail)).build();
        }
        Problem problem = new Problem("about:blank", title, status, detail, uri.getPath(),
                violations == null || violations.isEmpty() ? null : violations);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The friendly error page, for answers given before Quarkus REST sees a request (common/BodyReadGuard). */
    public static String errorPage(int status, String title, String detail) {
        return Templates.error(status, title, detail).render();
    }

    private static boolean wantsHtml(UriInfo uri, HttpHeaders headers) {
        if (uri.getPath().startsWith("/api/")) {
            return false;
        }
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isReturnValue(Path path) {
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** {@code create.request.address.city} becomes {@code address.city}; a query parameter keeps its own name. */
    static String fieldName(Path path) {
        String parameter = null;
        StringBuilder property = new StringBuilder();
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case PARAMETER -> parameter = node.getName();
                case PROPERTY, CONTAINER_ELEMENT -> {
                    if (node.getName() == null) {
                        break;
                    }
                    if (!property.isEmpty()) {
                        property.append('.');
                    }
                    property.append(node.getName());
                    if (node.getIndex() != null) {
                        property.append('[').append(node.getIndex()).append(']');
                    }
                }
                default -> {
                }
            }
        }
        if (!property.isEmpty()) {
            return property.toString();
        }
        return parameter == null ? path.toString() : parameter;
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
