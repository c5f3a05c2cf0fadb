package io.mcpcrew.crew.web.ratelimit;

/** The two numbers of a limit in answers: {@code "maxRequests"} and {@code "windowSeconds"} (requests: {@link LimitRequest}). */
public class LimitBody {
    private Integer maxRequests;
    private Long windowSeconds;

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
}
