/**
 * Server diagnostics over HTTP: {@code GET /api/v1/probe} runs the EJB module's component probe, so an operator
 * (or the Payara Server / WildFly container suites) can see that every component is injected into an enterprise
 * bean and answers on this server.
 */
package io.mcpcrew.crew.web.servers;
