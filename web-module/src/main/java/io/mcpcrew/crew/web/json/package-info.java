/**
 * Strict reading of request input, shared by every resource: {@link io.mcpcrew.crew.web.json.JsonBody} parses a
 * body (numbers kept as their text, bounded in length, never converted where they could overflow),
 * {@link io.mcpcrew.crew.web.json.JsonFields} reads typed fields from a JSON object,
 * {@link io.mcpcrew.crew.web.json.Params} reads numbers, booleans and cursors from query strings and headers, and
 * {@link io.mcpcrew.crew.web.json.PageJson} writes one page of a list. Every refusal is an
 * {@code InvalidInputException} (HTTP 400) naming the field, the rule and the value received.
 */
package io.mcpcrew.crew.web.json;
