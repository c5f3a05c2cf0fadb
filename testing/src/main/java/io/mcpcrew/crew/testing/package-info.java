/**
 * Test harness shared by every module: a JUnit 5 extension that starts a private {@code redis-server}
 * (or a three-master Redis Cluster) on free ports in temp directories, can stop and restart it, and always
 * tears it down. It never uses a Redis it did not start, and fails with install instructions when
 * {@code redis-server} is missing instead of skipping.
 */
package io.mcpcrew.crew.testing;
