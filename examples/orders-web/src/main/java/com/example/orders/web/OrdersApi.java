package com.example.orders.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/** {@code /orders/api}: bearer tokens checked by MicroProfile JWT, like Crew's own API (same issuer and key). */
@ApplicationPath("/api")
@ApplicationScoped // a bean, so that CDI (annotated discovery) sees @LoginConfig and installs MP-JWT
@LoginConfig(authMethod = "MP-JWT")
public class OrdersApi extends Application {
}
