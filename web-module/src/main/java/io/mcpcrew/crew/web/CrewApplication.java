package io.mcpcrew.crew.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** The HTTP API: {@code /api/v1/...} under the WAR's context root ({@code /crew}). OpenAPI at {@code /openapi}. */
@ApplicationPath("/api")
@ApplicationScoped // a bean, so that CDI (annotated discovery) sees @LoginConfig and installs MP-JWT
@LoginConfig(authMethod = "MP-JWT", realmName = "crew-redis")
@OpenAPIDefinition(info = @Info(title = "Crew Redis API", version = "1",
        description = "Events, embeddings, sessions, tasks and rate limits of the MCP-Crew platform, per tenant."))
public class CrewApplication extends Application {
}
