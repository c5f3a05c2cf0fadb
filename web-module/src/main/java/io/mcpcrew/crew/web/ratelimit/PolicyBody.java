package io.mcpcrew.crew.web.ratelimit;

/**
 * A policy over HTTP: {@code {"maxRequests":100,"windowSeconds":60}}; answers add {@code "override"} (true when a
 * runtime override for the tenant is in force on this node).
 */
public class PolicyBody extends LimitBody {
    private Boolean override;

    public PolicyBody() {
    }

    PolicyBody(int maxRequests, long windowSeconds, boolean override) {
        setMaxRequests(maxRequests);
        setWindowSeconds(windowSeconds);
        this.override = override;
    }

    public Boolean getOverride() {
        return override;
    }

    public void setOverride(Boolean override) {
        this.override = override;
    }
}
