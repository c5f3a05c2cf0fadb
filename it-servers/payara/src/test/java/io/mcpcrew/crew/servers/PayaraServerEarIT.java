package io.mcpcrew.crew.servers;

/**
 * {@link EarContainerSuite} on a managed Payara Server 6 (full profile): a fresh domain {@code crewit} with port
 * base 21000 (HTTP 21080, admin 21048; health on the HTTP port), started by Arquillian with
 * {@code asadmin start-domain}, which passes this JVM's REDIS_CREW_* environment on to the domain.
 */
class PayaraServerEarIT extends EarContainerSuite {
}
