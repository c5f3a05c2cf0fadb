package io.mcpcrew.crew.memory;

import io.mcpcrew.crew.redis.KeyspaceScan;
import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;

/**
 * The bounds of one estimate.
 *
 * @param tenant       only this tenant's keys (the scan still walks every key; null: every tenant)
 * @param scan         the SCAN budget: COUNT per call and the most calls over all masters
 * @param samples      the most keys measured with {@code MEMORY USAGE} (1 to {@value #MAX_SAMPLES})
 * @param usageSamples the {@code SAMPLES} argument of {@code MEMORY USAGE}: nested values sampled per aggregate key
 *                     (0: all of them, exact but slow for big keys; 1 to {@value #MAX_USAGE_SAMPLES})
 * @param top          how many tenants the estimate lists on their own, the largest first (1 to {@value #MAX_TOP});
 *                     the others are summed
 */
public record EstimateRequest(String tenant, KeyspaceScan.Budget scan, int samples, int usageSamples, int top) {
    public static final int MAX_SAMPLES = 100_000;
    public static final int MAX_USAGE_SAMPLES = 1000;
    public static final int MAX_TOP = 1000;
    /** The defaults: SCAN COUNT 1000, at most 1000 SCAN calls, 2000 keys measured, SAMPLES 5, the 50 largest tenants. */
    public static final EstimateRequest DEFAULTS = new EstimateRequest(null, new KeyspaceScan.Budget(1000, 1000), 2000,
            5, 50);

    public EstimateRequest {
        if (tenant != null) {
            Names.tenant(tenant);
        }
        if (scan == null) {
            throw new InvalidInputException("scan budget null: must be given");
        }
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new InvalidInputException("invalid samples " + samples + ": must be from 1 to " + MAX_SAMPLES);
        }
        if (usageSamples < 0 || usageSamples > MAX_USAGE_SAMPLES) {
            throw new InvalidInputException("invalid usageSamples " + usageSamples + ": must be from 0 to "
                    + MAX_USAGE_SAMPLES);
        }
        if (top < 1 || top > MAX_TOP) {
            throw new InvalidInputException("invalid top " + top + ": must be from 1 to " + MAX_TOP);
        }
    }
}
