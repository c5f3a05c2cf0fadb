package io.mcpcrew.crew.web.mcp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpcrew.crew.concurrency.CrewThreads;
import io.mcpcrew.crew.embeddings.EmbeddingCache;
import io.mcpcrew.crew.events.EventManager;
import io.mcpcrew.crew.ratelimit.RateLimiter;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.sessions.SessionManager;
import io.mcpcrew.crew.sessions.SessionSettings;
import io.mcpcrew.crew.tasks.TaskQueues;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the MCP server with the web application: the SDK's {@link McpAsyncServer} with every tool and resource
 * template, on the SDK's {@link HttpServletStreamableServerTransportProvider} registered as the servlet
 * {@value #SERVLET} at {@value #PATH} (so {@code /crew/mcp}), behind {@link McpGate}. Once a second, on the server's
 * managed scheduler, watched streams are read ({@link StreamWatch}) and idle sessions forgotten
 * ({@link McpSessions}). {@code redis.crew.mcp.enabled=false} registers nothing.
 *
 * <p>How it holds its clients: an MCP session is an entry of the SDK's session map (no thread), closed after
 * {@code redis.crew.mcp.session-idle-timeout} without a request or an open stream, at most
 * {@code redis.crew.mcp.max-sessions} per node. A stream the client reads (the {@code GET} listening stream, one per
 * session; the SSE answer of a request) is an asynchronous servlet request: a connection, no thread. A request being
 * answered holds the server's request thread until its answer is written (the SDK's transport waits for it there),
 * at most {@code redis.crew.mcp.max-concurrent-requests} at once, each bounded (a task wait at most 60 s).
 */
@WebListener
public class McpEndpoint implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(McpEndpoint.class.getName());
    /** Where the MCP endpoint is, under the application's context root. */
    public static final String PATH = "/mcp";
    static final String SERVLET = "crew-mcp";
    /** The servlet context attribute holding the running endpoint's {@link State}. */
    static final String STATE = McpEndpoint.class.getName() + ".state";

    /** What {@link McpStatusResource} reports of the running endpoint. */
    record State(McpSettings settings, McpSessions sessions, StreamWatch watch, int tools, String sdk, String json) {
        Map<String, Object> view(String contextPath) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("enabled", true);
            m.put("path", contextPath + PATH);
            m.put("tools", tools);
            m.put("sdk", sdk);
            m.put("json", json);
            m.put("sessions", sessions.size());
            m.put("maxSessions", settings.maxSessions());
            m.put("maxSessionsPerTenant", settings.maxSessionsPerTenant());
            m.put("maxConcurrentRequests", settings.maxConcurrentRequests());
            m.put("watchedStreams", watch.size());
            m.put("maxSubscriptions", settings.maxSubscriptions());
            return m;
        }
    }

    @Inject
    RedisManager redis;
    @Inject
    TaskQueues queues;
    @Inject
    EventManager events;
    @Inject
    EmbeddingCache embeddings;
    @Inject
    SessionManager sessionManager;
    @Inject
    RateLimiter limiter;

    private McpAsyncServer server;
    private ScheduledFuture<?> housekeeping;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        McpSettings settings = McpSettings.load(redis.config().source());
        if (!settings.enabled()) {
            LOG.info("MCP endpoint off (redis.crew.mcp.enabled=false)");
            return;
        }
        ServletContext context = event.getServletContext();
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        McpJsonMapper json = new JacksonMcpJsonMapper(mapper);
        ReactorThreads.install();
        McpSessions sessions = new McpSessions(settings, System::nanoTime);
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(json).mcpEndpoint(PATH)
                .contextExtractor(request -> {
                    Object call = request.getAttribute(McpCall.KEY);
                    return call instanceof McpCall ? ((McpCall) call).context() : McpTransportContext.EMPTY;
                })
                .keepAliveInterval(settings.keepAlive()).sessionSweepInterval(settings.sessionIdleTimeout())
                .maxRequestSize(settings.maxBodyBytes()).build();
        ToolRunner runner = new ToolRunner(mapper, json, limiter, settings);
        List<McpServerFeatures.AsyncToolSpecification> tools = new ArrayList<>();
        for (ToolDef t : tools(settings)) {
            tools.add(runner.spec(t));
        }
        server = McpServer.async(transport).serverInfo("crew-redis", version())
                .instructions("Crew Redis: task queues, event streams, an embedding cache, sessions and rate limits of"
                        + " one tenant (your token's; admin tokens name it in each call's \"tenant\" argument).")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(true, false).build())
                .tools(tools).resourceTemplates(CrewResources.all(queues, events, mapper, settings))
                .jsonMapper(json).jsonSchemaValidator(new DefaultJsonSchemaValidator(mapper))
                .validateToolInputs(false) // the HTTP API's rules and messages decide (ToolRunner)
                .build();
        StreamWatch watch = new StreamWatch(events, transport, sessions, settings);
        sessions.onClosed(watch::sessionClosed);

        ServletRegistration.Dynamic servlet = context.addServlet(SERVLET, transport);
        servlet.setAsyncSupported(true);
        servlet.addMapping(PATH);
        FilterRegistration.Dynamic gate = context.addFilter(SERVLET + "-gate", new McpGate(settings, sessions, watch, mapper));
        gate.setAsyncSupported(true);
        gate.addMappingForServletNames(EnumSet.of(DispatcherType.REQUEST), false, SERVLET);

        ScheduledExecutorService scheduler = CrewThreads.managedScheduler().orElse(null);
        if (scheduler != null) {
            housekeeping = scheduler.scheduleWithFixedDelay(() -> {
                sessions.expireIdle();
                watch.tick();
            }, 1, 1, TimeUnit.SECONDS);
        } else {
            LOG.warning("no managed scheduler: MCP stream subscriptions are not watched");
        }
        State state = new State(settings, sessions, watch, tools.size(),
                "MCP Java SDK " + McpSchema.class.getPackage().getImplementationVersion(), jackson());
        context.setAttribute(STATE, state);
        LOG.info("MCP endpoint at " + context.getContextPath() + PATH + ": " + tools.size() + " tools, " + state.sdk()
                + ", JSON " + state.json());
    }

    List<ToolDef> tools(McpSettings settings) {
        List<ToolDef> all = new ArrayList<>();
        all.addAll(TaskTools.all(queues));
        all.addAll(EventTools.all(events, settings));
        all.addAll(EmbeddingTools.all(embeddings));
        all.addAll(SessionTools.all(sessionManager, SessionSettings.from(redis.config()).slidingExpiry()));
        all.addAll(RateLimitTools.all(limiter));
        return all;
    }

    /** The Jackson the SDK runs on here, and where it was loaded from (docs/deploy.md: class loading). */
    static String jackson() {
        Class<?> c = ObjectMapper.class;
        java.security.CodeSource source = c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
        return "jackson-databind " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION + " from "
                + (source == null || source.getLocation() == null ? "the server" : source.getLocation());
    }

    private static String version() {
        String v = McpEndpoint.class.getPackage().getImplementationVersion();
        return v == null ? "1" : v;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (housekeeping != null) {
            housekeeping.cancel(false);
        }
        if (server != null) {
            try {
                server.closeGracefully().block(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "MCP sessions not all closed", e);
            }
            ReactorThreads.uninstall();
        }
    }
}
