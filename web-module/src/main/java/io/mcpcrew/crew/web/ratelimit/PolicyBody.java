package io.mcpcrew.crew.web.ratelimit;

/**
 * A policy in answers: {@code {"maxRequests":100,"windowSeconds":60,"override":false}} ({@code override} true when a
 * runtime override for the tenant is in force on this node). Requests set a policy with a {@link LimitRequest}.
 */
public record PolicyBody(int maxRequests, long windowSeconds, boolean override) {
}
