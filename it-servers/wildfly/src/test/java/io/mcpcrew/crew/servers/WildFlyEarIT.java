package io.mcpcrew.crew.servers;

/**
 * {@link EarContainerSuite} on a managed WildFly 39: {@code standalone-full-mp.xml} (Jakarta EE 10 Full plus
 * MicroProfile Fault Tolerance, Health and OpenAPI, made by {@code config/wildfly/crew-microprofile.cli}), port
 * offset 14000 (HTTP 22080, management 23990; health on the management port), started by Arquillian, which
 * passes this JVM's REDIS_CREW_* environment on to the server.
 */
class WildFlyEarIT extends EarContainerSuite {
}
