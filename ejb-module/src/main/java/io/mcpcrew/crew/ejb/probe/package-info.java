/**
 * The component probe: a stateless enterprise bean into which every Crew Redis component is injected with CDI,
 * exercising each one in a reserved tenant. It proves on a real server (Payara Server, WildFly, Payara Micro) that the
 * EAR's wiring works — library beans from {@code lib/} injected into the EJB module, Jedis loadable, MicroProfile
 * Config read — and backs {@code GET /api/v1/probe} and the container test suites.
 */
package io.mcpcrew.crew.ejb.probe;
