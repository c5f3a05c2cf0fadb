/**
 * Input rules shared by every component and the HTTP API: names (tenants, streams, queues, models, resources,
 * users) checked by {@link io.mcpcrew.crew.validation.Names}, JSON payloads parsed by
 * {@link io.mcpcrew.crew.validation.Json}, and the errors that become HTTP 400 and name the value and the rule:
 * {@link io.mcpcrew.crew.validation.InvalidNameException}, {@link io.mcpcrew.crew.validation.InvalidInputException}.
 */
package io.mcpcrew.crew.validation;
