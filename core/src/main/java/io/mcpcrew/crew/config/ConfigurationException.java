package io.mcpcrew.crew.config;

/**
 * A configuration value that cannot be used. The message names the key, its environment variable, the
 * offending value and the rule, e.g. {@code redis.crew.port (env REDIS_CREW_PORT) = "abc": must be an integer
 * from 1 to 65535}. Thrown at start-up, so a misconfigured application does not start.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigurationException(String key, String value, String rule) {
        super(key + " (env " + ConfigSource.envName(key) + ") = \"" + value + "\": " + rule);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
