/**
 * The topology suite: three Payara Micro nodes running the real WAR on a Redis with one replica and three Sentinels,
 * TLS only with client certificates and an ACL user per role ({@link io.mcpcrew.crew.topology.SentinelTopologyIT},
 * {@link io.mcpcrew.crew.topology.SentinelSecurity}), and on a Redis Cluster of three masters with one replica each
 * ({@link io.mcpcrew.crew.topology.ClusterTopologyIT}), every process started here on free loopback ports. A mixed
 * load from outside ({@link io.mcpcrew.crew.topology.MixedLoad}) runs while a scenario forces a fault; afterwards
 * {@link io.mcpcrew.crew.topology.Verifier} reads Redis directly and counts what was lost, completed twice,
 * duplicated or missing, and {@link io.mcpcrew.crew.topology.Report} writes the numbers to
 * {@code target/topology-report.md}.
 */
package io.mcpcrew.crew.topology;
