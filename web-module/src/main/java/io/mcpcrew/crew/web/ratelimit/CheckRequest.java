package io.mcpcrew.crew.web.ratelimit;

/**
 * Body of {@code POST .../ratelimits/{resource}/check}: {@code {"maxRequests":100,"windowSeconds":60,"cost":1}}.
 * Every field is optional: a missing limit or window is the tenant's effective policy's, a missing cost is 1.
 */
public class CheckRequest extends LimitBody {
    private Integer cost;

    public Integer getCost() {
        return cost;
    }

    public void setCost(Integer cost) {
        this.cost = cost;
    }
}
