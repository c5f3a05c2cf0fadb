/**
 * The container suite every full server runs with the real EAR: {@link io.mcpcrew.crew.servers.EarContainerSuite}
 * (one test method per component), subclassed once per server in {@code it-servers/payara} and
 * {@code it-servers/wildfly}, which start the server through Arquillian.
 */
package io.mcpcrew.crew.servers;
