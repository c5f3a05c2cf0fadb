/**
 * Benchmarks: one {@code <Name>Benchmark} main class per component, each measuring the component beside raw
 * Redis commands in the same run on a private redis-server. Run with {@code benchmarks/run.sh <name>}.
 */
package io.mcpcrew.crew.bench;
