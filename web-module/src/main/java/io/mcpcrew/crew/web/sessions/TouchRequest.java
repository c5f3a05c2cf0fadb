package io.mcpcrew.crew.web.sessions;

/** Optional body of {@code POST .../sessions/{id}/touch}: {@code {"ttlSeconds": n}} sets a new TTL. */
public class TouchRequest {
    private Long ttlSeconds;

    public Long getTtlSeconds() {
        return ttlSeconds;
    }

    public void setTtlSeconds(Long ttlSeconds) {
        this.ttlSeconds = ttlSeconds;
    }
}
