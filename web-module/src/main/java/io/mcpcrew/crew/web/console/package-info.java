/**
 * The operations console's server side: its static files live in the WAR under {@code console/} (plain HTML, CSS and
 * JavaScript modules, uPlot unpacked from its WebJar into {@code console/lib/}), and every action it takes is a call
 * of the public HTTP API with the signed-in bearer token. This package only adds the response headers of those files
 * ({@link io.mcpcrew.crew.web.console.ConsoleHeadersFilter}).
 */
package io.mcpcrew.crew.web.console;
