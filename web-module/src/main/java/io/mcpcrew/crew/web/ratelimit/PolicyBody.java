package io.mcpcrew.crew.web.ratelimit;

/**
 * A policy over HTTP: {@code {"maxRequests":100,"windowSeconds":60}}; in answers also {@code "override"} (true when
 * a runtime override for the tenant is in force on this node).
 */
public class PolicyBody {
    private Integer maxRequests;
    private Long windowSeconds;
    private Boolean override;

    public PolicyBody() {
    }

    PolicyBody(int maxRequests, long windowSeconds, boolean override) {
        this.maxRequests = maxRequests;
        this.windowSeconds = windowSeconds;
        this.override = override;
    }

    public Integer getMaxRequests() {
        return maxRequests;
    }

    public void setMaxRequests(Integer maxRequests) {
        this.maxRequests = maxRequests;
    }

    public Long getWindowSeconds() {
        return windowSeconds;
    }

    public void setWindowSeconds(Long windowSeconds) {
        this.windowSeconds = windowSeconds;
    }

    public Boolean getOverride() {
        return override;
    }

    public void setOverride(Boolean override) {
        this.override = override;
    }
}
