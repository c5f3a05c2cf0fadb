package io.mcpcrew.crew.web;

import io.mcpcrew.crew.redis.RedisDataException;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import io.mcpcrew.crew.validation.InvalidInputException;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one exception-mapping layer for every resource: each error becomes a JSON {@link ErrorResponse} with a
 * message that names the problem — never a stack trace. Bad input (a name, a number, malformed JSON) is 400;
 * JAX-RS errors keep their status (404, 405, 415, ...); Redis unavailable with no fallback is 503 with
 * Retry-After; anything unexpected is 500 with an incident id that is also in the server log.
 */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof jakarta.ejb.EJBException && e.getCause() != null && e.getCause() != e) {
            return toResponse(e.getCause()); // thrown inside an enterprise bean: map what was thrown
        }
        if (e instanceof WebApplicationException) {
            Response r = ((WebApplicationException) e).getResponse();
            Throwable cause = e.getCause();
            if (r.getStatus() >= 500 && cause != null && cause != e) {
                return toResponse(cause);
            }
            if (r.getStatus() == 400 && cause != null && isJsonProblem(cause)) {
                return error(400, "malformed JSON body: " + firstLine(cause.getMessage()));
            }
            Response.ResponseBuilder b = Response.status(r.getStatus()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorResponse(r.getStatus(), r.getStatusInfo().getReasonPhrase(),
                            messageOf((WebApplicationException) e, r)));
            r.getHeaders().forEach((k, vs) -> {
                if (!k.equalsIgnoreCase("Content-Type") && !k.equalsIgnoreCase("Content-Length")) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
            return b.build();
        }
        if (e instanceof InvalidInputException) {
            return error(400, e.getMessage());
        }
        if (isJsonProblem(e)) {
            return error(400, "malformed JSON body: " + firstLine(e.getMessage()));
        }
        if (e instanceof IllegalArgumentException && e.getStackTrace().length > 0
                && e.getStackTrace()[0].getClassName().startsWith("io.mcpcrew.")) {
            return error(400, e.getMessage());
        }
        if (e instanceof RedisUnavailableException) {
            return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", "1")
                    .entity(new ErrorResponse(503, "Service Unavailable", e.getMessage())).build();
        }
        String incident = UUID.randomUUID().toString();
        if (e instanceof RedisDataException) {
            LOG.log(Level.WARNING, "incident " + incident + ": Redis rejected a command", e);
            return error(500, "Redis rejected the operation (incident " + incident + ")");
        }
        LOG.log(Level.SEVERE, "incident " + incident + ": unexpected error", e);
        return error(500, "internal error (incident " + incident + ", see the server log)");
    }

    private static boolean isJsonProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonbException || t instanceof JsonParsingException
                    || t instanceof jakarta.json.JsonException || t instanceof ProcessingException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String messageOf(WebApplicationException e, Response r) {
        String m = e.getMessage();
        if (m == null || m.startsWith("HTTP ")) {
            if (r.getStatus() == 404) {
                return "no such resource";
            }
            if (r.getStatus() == 405) {
                return "method not allowed on this resource";
            }
            if (r.getStatus() == 415) {
                return "unsupported media type: send application/json";
            }
            return r.getStatusInfo().getReasonPhrase();
        }
        return m;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable body";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** A JSON error response: the one body shape of every API error. */
    public static Response error(int status, String message) {
        return errorBuilder(status, message).build();
    }

    /** {@link #error} as a builder, to add headers (Retry-After, WWW-Authenticate, ...). */
    public static Response.ResponseBuilder errorBuilder(int status, String message) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(status, known == null ? "Error" : known.getReasonPhrase(), message));
    }
}
