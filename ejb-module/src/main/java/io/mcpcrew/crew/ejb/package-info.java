/**
 * Enterprise beans that run Crew Redis inside the server: the start-up bean, the component probe, and (per
 * component) worker supervisors on managed executors and timers.
 */
package io.mcpcrew.crew.ejb;
