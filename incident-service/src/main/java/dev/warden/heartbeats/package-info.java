/**
 * Heartbeats (dead man's switches): the heartbeat file declares what must be heard from
 * regularly (batch jobs through {@code POST /api/v1/heartbeats/{name}}, and the alert
 * pipeline through its always-firing {@code Watchdog} alert), and a durable recurring job
 * opens an incident through the normal incident path when one stays silent longer than
 * its interval and grace; the next heartbeat resolves it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Heartbeats",
		allowedDependencies = { "access", "alerting", "cluster", "incidents", "matching", "yaml" })
package dev.warden.heartbeats;
