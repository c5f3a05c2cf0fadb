package io.mcpcrew.crew.web;

import io.mcpcrew.crew.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP client for the container tests. Requests to {@code /tenants/<t>/...} carry a valid token for
 * tenant {@code <t>} from {@link TestTokens} unless the request already has an Authorization header; use
 * {@link #get(String, String)} / {@link #send(String, String, String, String)} with an explicit token (or null for
 * none) to test authentication itself.
 */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern TENANT = Pattern.compile("/tenants/([^/?#]+)");
    private Http() {
    }

    /** The real WAR Maven built ({@code crew.war}: core, EJB module and Jedis in WEB-INF/lib), for a {@code @Deployment}. */
    public static org.jboss.shrinkwrap.api.spec.WebArchive crewWar() {
        java.io.File war = new java.io.File(System.getProperty("crew.war", "target/crew.war"));
        return org.jboss.shrinkwrap.api.ShrinkWrap.create(org.jboss.shrinkwrap.api.importer.ZipImporter.class, "crew.war")
                .importFrom(war).as(org.jboss.shrinkwrap.api.spec.WebArchive.class);
    }

    /** The server root of a deployment URL: health endpoints live there, not under the context root. */
    public static String root(URL deployment) {
        return deployment.getProtocol() + "://" + deployment.getHost() + ":" + deployment.getPort();
    }

    public static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** GET with an explicit bearer token; null sends none. */
    public static HttpResponse<String> get(String url, String token) {
        return send(withToken(HttpRequest.newBuilder(URI.create(url)).GET(), token), false);
    }

    public static HttpResponse<String> send(String method, String url, String json) {
        return send(request(method, url, json));
    }

    /** A request with a JSON body (null: none) and an explicit bearer token (null: none). */
    public static HttpResponse<String> send(String method, String url, String json, String token) {
        return send(withToken(request(method, url, json), token), false);
    }

    /** Sends a prepared request; a tenant URL without an Authorization header gets the tenant's token. */
    public static HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, true);
    }

    private static HttpRequest.Builder request(String method, String url, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return HttpRequest.newBuilder(URI.create(url)).method(method, body).header("Content-Type", "application/json");
    }

    private static HttpRequest.Builder withToken(HttpRequest.Builder b, String token) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, boolean autoToken) {
        HttpRequest r = request.timeout(Duration.ofSeconds(30)).build();
        if (autoToken && r.headers().firstValue("Authorization").isEmpty()) {
            String token = tokenFor(r.uri().toString());
            if (token != null) {
                HttpRequest.Builder b = HttpRequest.newBuilder(r, (k, v) -> true).header("Authorization", "Bearer " + token);
                r = b.build();
            }
        }
        try {
            return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The token the helpers would attach to this URL, or null for a non-tenant URL. */
    public static String tokenFor(String url) {
        Matcher m = TENANT.matcher(url);
        return m.find() ? TestTokens.forTenant(java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8)) : null;
    }
}
