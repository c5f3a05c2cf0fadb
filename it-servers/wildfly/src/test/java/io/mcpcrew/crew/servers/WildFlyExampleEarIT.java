package io.mcpcrew.crew.servers;

/**
 * {@link ExampleEarSuite} on the managed WildFly 39 that {@link WildFlyEarIT} uses (one server start for both
 * classes; each deploys its own EAR and undeploys it after its tests).
 */
class WildFlyExampleEarIT extends ExampleEarSuite {
}
