package io.mcpcrew.crew.servers;

/**
 * {@link ExampleEarSuite} on the managed Payara Server 6 domain {@code crewit} that {@link PayaraServerEarIT} uses
 * (one domain start for both classes; each deploys its own EAR and undeploys it after its tests).
 */
class PayaraServerExampleEarIT extends ExampleEarSuite {
}
