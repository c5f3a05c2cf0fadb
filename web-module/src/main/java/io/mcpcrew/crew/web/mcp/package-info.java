/**
 * The MCP server of the application: every component as tools of the Model Context Protocol at {@code /mcp} under
 * the context root ({@code /crew/mcp}), on the official MCP Java SDK's Streamable HTTP servlet transport.
 * {@link io.mcpcrew.crew.web.mcp.McpEndpoint} builds the server and registers the transport's servlet behind
 * {@link io.mcpcrew.crew.web.mcp.McpGate}, which authenticates (the same MicroProfile JWT bearer tokens as the HTTP
 * API), binds each MCP session to the token that opened it and bounds sessions, concurrent requests, bodies and
 * subscriptions. The tools ({@code TaskTools}, {@code EventTools}, {@code EmbeddingTools}, {@code SessionTools},
 * {@code RateLimitTools}) run the same operations as the HTTP resources ({@code *Calls} of each feature) through
 * {@link io.mcpcrew.crew.web.mcp.ToolRunner}: the token's tenant, the same write budget, the same input rules and
 * the same error messages. See {@code docs/mcp.md}.
 */
package io.mcpcrew.crew.web.mcp;
