package io.mcpcrew.crew.web.security;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page for statuses the server answers itself, outside the JAX-RS exception mapper (an invalid or
 * expired token rejected by the MP-JWT mechanism, a path outside the API, an error escaping JAX-RS): the same JSON
 * body as every other API error instead of the server's HTML.
 */
@WebServlet("/errors/json")
public class ErrorJsonServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer ? (Integer) code : resp.getStatus();
        String message;
        switch (status) {
            case 401:
                message = "the bearer token is missing, malformed, expired, or not signed by the configured key/issuer";
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"crew-redis\", error=\"invalid_token\"");
                break;
            case 403:
                message = "forbidden";
                break;
            case 404:
                message = "no such resource";
                break;
            case 405:
                message = "method not allowed on this resource";
                break;
            case 500:
                message = "internal error (see the server log)";
                break;
            default:
                message = "request failed";
        }
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write("{\"status\":" + status + ",\"error\":\"" + reason(status) + "\",\"message\":\"" + message + "\"}");
    }

    private static String reason(int status) {
        jakarta.ws.rs.core.Response.Status s = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        return s == null ? "Error" : s.getReasonPhrase();
    }
}
