package io.mcpcrew.crew.web.security;

import io.mcpcrew.crew.web.ApiExceptionMapper;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Guards every request body before any resource parses it: larger than {@code redis.crew.http.max-body-bytes}
 * → 413; a JSON body nested deeper than {@code redis.crew.http.max-json-depth} → 400 (deep nesting would
 * otherwise exhaust a parser's stack). Both answer with the API's JSON error. Works for chunked bodies too: the
 * body is read (at most max + 1 bytes) and handed on from memory.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestBodyGuard implements ContainerRequestFilter {
    /** How much of an oversized body is read and dropped before answering 413 (more: the connection is closed). */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    @Inject
    @ConfigProperty(name = "redis.crew.http.max-body-bytes", defaultValue = "16777216")
    int maxBodyBytes;

    @Inject
    @ConfigProperty(name = "redis.crew.http.max-json-depth", defaultValue = "32")
    int maxJsonDepth;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (!request.hasEntity()) {
            return;
        }
        int declared = request.getLength();
        byte[] body;
        try (InputStream in = request.getEntityStream()) {
            body = declared > maxBodyBytes ? new byte[0] : in.readNBytes(maxBodyBytes + 1);
            if (declared > maxBodyBytes || body.length > maxBodyBytes) {
                // read (and drop) what the client is still sending, up to a bound, so that it reads our answer
                // instead of blocking on a full socket; past the bound the connection is closed
                long drained = drain(in, DRAIN_LIMIT);
                request.abortWith(tooLarge(declared, drained >= DRAIN_LIMIT));
                return;
            }
        }
        MediaType type = request.getMediaType();
        if (type == null || type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || type.getSubtype().endsWith("+json")) {
            int depth = jsonDepth(body, maxJsonDepth);
            if (depth > maxJsonDepth) {
                request.abortWith(ApiExceptionMapper.error(400, "JSON body nested deeper than " + maxJsonDepth
                        + " levels (redis.crew.http.max-json-depth)"));
                return;
            }
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    private jakarta.ws.rs.core.Response tooLarge(int declared, boolean closeConnection) {
        jakarta.ws.rs.core.Response.ResponseBuilder r = ApiExceptionMapper.errorBuilder(413, "request body "
                + (declared > 0 ? "of " + declared + " bytes " : "") + "exceeds the maximum of " + maxBodyBytes
                + " bytes (redis.crew.http.max-body-bytes)");
        return (closeConnection ? r.header("Connection", "close") : r).build();
    }

    /** Reads and drops up to {@code limit} bytes; returns how many were read. */
    static long drain(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) > 0) {
            total += n;
        }
        return total;
    }

    /** The deepest nesting of objects and arrays, outside strings; stops counting past {@code limit}. */
    public static int jsonDepth(byte[] json, int limit) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
                if (depth > max) {
                    max = depth;
                    if (max > limit) {
                        return max;
                    }
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return max;
    }
}
