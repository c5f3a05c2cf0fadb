package io.mcpcrew.crew.web.security;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The error page (web.xml) for every status the server answers itself, outside the JAX-RS exception mapper: a
 * malformed request line or path (a raw {@code {x}} in a segment), an invalid or expired token rejected by the MP-JWT
 * mechanism, a path outside the API, an error escaping JAX-RS. It writes the same JSON body as every other API
 * error, {@code {"status","error","message"}}, instead of the server's HTML page; no servlet or JSP of the server is
 * involved. An exception that reached the server is logged with an incident id that the message names.
 */
@WebServlet("/errors/json")
public class ErrorJsonServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ErrorJsonServlet.class.getName());

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer ? (Integer) code : resp.getStatus();
        if (status < 400 || status > 599) {
            status = 500;
        }
        String message = message(status);
        if (status == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"crew-redis\", error=\"invalid_token\"");
        }
        Object thrown = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (thrown instanceof Throwable && status >= 500) {
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "incident " + incident + ": error outside the API's exception mapper", (Throwable) thrown);
            message = "internal error (incident " + incident + ", see the server log)";
        }
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write("{\"status\":" + status + ",\"error\":\"" + reason(status) + "\",\"message\":\"" + message + "\"}");
    }

    /** A fixed message per status: nothing of the request is echoed, so nothing needs escaping. */
    static String message(int status) {
        switch (status) {
            case 400:
                return "malformed request: the request line, a header or the path is not valid HTTP (characters such as"
                        + " { } | ^ ` and spaces must be percent-encoded in a path)";
            case 401:
                return "the bearer token is missing, malformed, expired, or not signed by the configured key/issuer";
            case 403:
                return "forbidden";
            case 404:
                return "no such resource";
            case 405:
                return "method not allowed on this resource";
            case 406:
                return "not acceptable: this API answers application/json";
            case 408:
                return "the request took too long to arrive";
            case 411:
                return "a Content-Length (or chunked transfer encoding) is required";
            case 413:
                return "request too large";
            case 414:
                return "the request URI is too long";
            case 415:
                return "unsupported media type: send application/json";
            case 431:
                return "request header fields too large";
            case 501:
                return "not implemented";
            case 503:
                return "service unavailable";
            case 505:
                return "HTTP version not supported";
            default:
                return status >= 500 ? "internal error (see the server log)" : "request failed";
        }
    }

    private static String reason(int status) {
        jakarta.ws.rs.core.Response.Status s = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        return s == null ? (status >= 500 ? "Server Error" : "Client Error") : s.getReasonPhrase();
    }
}
