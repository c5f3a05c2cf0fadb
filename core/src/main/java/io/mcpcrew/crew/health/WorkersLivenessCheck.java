package io.mcpcrew.crew.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: UP while every registered {@link WorkerHealth} is alive. It does not depend on Redis (a Redis outage
 * is a readiness matter; restarting the application would not fix it).
 */
@Liveness
@ApplicationScoped
public class WorkersLivenessCheck implements HealthCheck {
    @Inject
    @Any
    Instance<WorkerHealth> workers;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("crew-workers");
        boolean up = true;
        int count = 0;
        for (WorkerHealth w : workers) {
            boolean alive = w.alive();
            up &= alive;
            count++;
            b.withData(w.workerName(), (alive ? "alive" : "DEAD") + (w.detail().isEmpty() ? "" : ": " + w.detail()));
        }
        return b.withData("workers", count).status(up).build();
    }
}
