package io.mcpcrew.crew.web.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpcrew.crew.web.json.JsonBody;
import io.mcpcrew.crew.web.security.RequestBodyGuard;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Everything between an HTTP request to {@code /mcp} and the SDK's transport servlet:
 * <ul>
 *   <li><b>authentication</b>: the request must carry a MicroProfile JWT the server verified (the HTTP API's tokens);
 *       none → 401 with {@code WWW-Authenticate: Bearer} (a token the server refuses is answered 401 by the server);</li>
 *   <li><b>session ownership</b>: a request naming an {@code Mcp-Session-Id} must come with a token of the issuer
 *       and subject that opened the session, else 404 as for an unknown session;</li>
 *   <li><b>caps</b>: {@code initialize} is admitted by {@link McpSessions} (503 past the session caps), and at most
 *       {@code redis.crew.mcp.max-concurrent-requests} requests are answered at once (503 past it, with
 *       {@code Retry-After}); bodies over {@code redis.crew.http.max-body-bytes} are 413, a message nested deeper than the API's JSON reader
 *       reads at all ({@link JsonBody#MAX_DEPTH} plus the message and its params) 400 (tool arguments deeper than
 *       {@code redis.crew.http.max-json-depth} are a tool error: {@link ToolRunner});</li>
 *   <li><b>cancellation</b>: {@code notifications/cancelled} ends the wait of the call it names ({@link McpCall});</li>
 *   <li><b>subscriptions</b>: {@code resources/subscribe} is admitted for the caller's own streams only
 *       ({@link StreamWatch}), else answered with a JSON-RPC error;</li>
 *   <li><b>streams</b>: the SSE streams the SDK holds open (asynchronous requests, no thread) are counted per session,
 *       so that a session with an open stream is never taken for idle.</li>
 * </ul>
 * Errors it answers itself have the HTTP API's body {@code {"status","error","message"}}.
 */
final class McpGate implements Filter {
    static final String SESSION_HEADER = "Mcp-Session-Id";

    private final McpSettings settings;
    private final McpSessions sessions;
    private final StreamWatch watch;
    private final ObjectMapper mapper;
    private final Semaphore requests;

    McpGate(McpSettings settings, McpSessions sessions, StreamWatch watch, ObjectMapper mapper) {
        this.settings = settings;
        this.sessions = sessions;
        this.watch = watch;
        this.mapper = mapper;
        this.requests = new Semaphore(settings.maxConcurrentRequests());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Principal principal = request.getUserPrincipal();
        if (!(principal instanceof JsonWebToken)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"crew-redis\"");
            error(response, 401, "Unauthorized", "a bearer token (MicroProfile JWT) is required for the MCP endpoint");
            return;
        }
        Caller caller = Caller.of((JsonWebToken) principal, settings.tenantClaim(), settings.adminGroup());
        String sessionId = request.getHeader(SESSION_HEADER);
        McpSessions.Session session = null;
        if (sessionId != null && !sessionId.isBlank()) {
            session = sessions.find(sessionId);
            if (session == null || !session.owner.equals(caller.owner())) {
                error(response, 404, "Not Found", "no MCP session " + sessionId + " of this token (unknown, closed or"
                        + " expired): initialize a new one");
                return;
            }
            session.used();
        }
        switch (request.getMethod()) {
            case "POST":
                post(request, response, chain, caller, session);
                break;
            case "GET":
                stream(request, response, chain, session, true);
                break;
            case "DELETE":
                chain.doFilter(request, response);
                if (session != null && response.getStatus() == 200) {
                    sessions.closed(session.id);
                }
                break;
            default:
                chain.doFilter(request, response);
        }
        if (session != null && response.getStatus() == 404) {
            sessions.closed(session.id); // the SDK does not know it (any more)
        }
    }

    private void post(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Caller caller,
            McpSessions.Session session) throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if (declared > settings.maxBodyBytes()) {
            error(response, 413, "Payload Too Large", tooLarge(declared));
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(settings.maxBodyBytes() + 1);
        }
        if (body.length > settings.maxBodyBytes()) {
            error(response, 413, "Payload Too Large", tooLarge(-1));
            return;
        }
        // the parser's bound: deeper than any JSON the API reads (a tool's arguments: redis.crew.http.max-json-depth,
        // checked by ToolRunner with the HTTP API's message) plus the message object and its params
        int depth = JsonBody.MAX_DEPTH + 2;
        if (RequestBodyGuard.jsonDepth(body, depth) > depth) {
            error(response, 400, "Bad Request", "JSON-RPC message nested deeper than " + depth + " levels");
            return;
        }
        HttpServletRequest cached = new CachedBody(request, body);
        JsonRpcPeek message = JsonRpcPeek.of(body);
        String method = message.method();
        if (session == null) {
            if ("initialize".equals(method)) {
                initialize(cached, response, chain, caller);
            } else {
                chain.doFilter(cached, response); // the SDK answers: a session id is required
            }
            return;
        }
        if ("notifications/cancelled".equals(method)) {
            if (message.requestId() != null) {
                sessions.cancel(session.id, message.requestId());
            }
            response.setStatus(202);
            return;
        }
        String uri = message.uri();
        if ("resources/subscribe".equals(method) && message.id() != null) {
            String refusal = watch.refusal(caller, uri);
            if (refusal != null) {
                rpcError(response, message.id(), -32602, refusal);
                return;
            }
        }
        if (message.id() == null || method == null) {
            chain.doFilter(cached, response); // a notification or a response to the server
            return;
        }
        if (!requests.tryAcquire()) {
            response.setHeader("Retry-After", "1");
            error(response, 503, "Service Unavailable", "this node answers its most MCP requests at once ("
                    + settings.maxConcurrentRequests() + ", redis.crew.mcp.max-concurrent-requests); retry");
            return;
        }
        McpCall call = new McpCall(caller, session.id, message.idText(), message.arguments());
        sessions.callStarted(call);
        cached.setAttribute(McpCall.KEY, call);
        try {
            stream(cached, response, chain, session, false);
        } finally {
            sessions.callEnded(call);
            requests.release();
        }
        if (response.getStatus() == 200 && uri != null) {
            if ("resources/subscribe".equals(method)) {
                watch.subscribed(session.id, uri);
            } else if ("resources/unsubscribe".equals(method)) {
                watch.unsubscribed(session.id, uri);
            }
        }
    }

    private void initialize(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Caller caller)
            throws IOException, ServletException {
        McpSessions.Reservation reservation;
        try {
            reservation = sessions.reserve(caller);
        } catch (McpSessions.Refused e) {
            response.setHeader("Retry-After", "5");
            error(response, 503, "Service Unavailable", e.getMessage());
            return;
        }
        if (!requests.tryAcquire()) {
            reservation.release();
            response.setHeader("Retry-After", "1");
            error(response, 503, "Service Unavailable", "this node answers its most MCP requests at once ("
                    + settings.maxConcurrentRequests() + ", redis.crew.mcp.max-concurrent-requests); retry");
            return;
        }
        try {
            // the session is registered when the SDK names it, before the answer is written: the client's next
            // request (its listening stream, notifications/initialized) may arrive before this one returns
            chain.doFilter(request, new HttpServletResponseWrapper(response) {
                @Override
                public void setHeader(String name, String value) {
                    registered(name, value);
                    super.setHeader(name, value);
                }

                @Override
                public void addHeader(String name, String value) {
                    registered(name, value);
                    super.addHeader(name, value);
                }

                private void registered(String name, String value) {
                    if (SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
                        reservation.created(value);
                    }
                }
            });
        } finally {
            requests.release();
            reservation.release(); // no effect once created
        }
    }

    /** Passes the request on; an SSE stream the SDK leaves open is counted on the session until it ends. */
    private void stream(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            McpSessions.Session session, boolean listening) throws IOException, ServletException {
        chain.doFilter(request, response);
        if (session != null && request.isAsyncStarted()) {
            session.streamOpened(listening);
            request.getAsyncContext().addListener(new AsyncListener() {
                private boolean ended;

                private synchronized void end() {
                    if (!ended) {
                        ended = true;
                        session.streamClosed(listening);
                    }
                }

                @Override
                public void onComplete(AsyncEvent event) {
                    end();
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    end();
                }

                @Override
                public void onError(AsyncEvent event) {
                    end();
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                    // not restarted
                }
            });
        }
    }

    private String tooLarge(long declared) {
        return "request body " + (declared > 0 ? "of " + declared + " bytes " : "") + "exceeds the maximum of "
                + settings.maxBodyBytes() + " bytes (redis.crew.http.max-body-bytes)";
    }

    /** The HTTP API's error body. */
    private void error(HttpServletResponse response, int status, String reason, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", reason);
        body.put("message", message);
        write(response, status, body);
    }

    /** A JSON-RPC error answering request {@code id}. */
    private void rpcError(HttpServletResponse response, Object id, int code, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", error);
        write(response, 200, body);
    }

    private void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The request with its body read already (the SDK reads it again from here). */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    try {
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
            return new BufferedReader(new InputStreamReader(getInputStream(), cs));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
