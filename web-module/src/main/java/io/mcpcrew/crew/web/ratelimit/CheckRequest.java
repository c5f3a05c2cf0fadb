package io.mcpcrew.crew.web.ratelimit;

/**
 * Body of {@code POST .../ratelimits/{resource}/check}: {@code {"maxRequests":100,"windowSeconds":60,"cost":1}}.
 * Every field is optional: a missing limit or window is the tenant's effective policy's, a missing cost is 1.
 */
public class CheckRequest {
    private Integer maxRequests;
    private Long windowSeconds;
    private Integer cost;

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

    public Integer getCost() {
        return cost;
    }

    public void setCost(Integer cost) {
        this.cost = cost;
    }
}
