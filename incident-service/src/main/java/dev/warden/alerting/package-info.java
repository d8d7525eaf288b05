/**
 * Alert sources: the Alertmanager webhook and Grafana's webhook contact point, each with
 * its own authentication, validation and metrics, mapping payloads to
 * {@link dev.warden.incidents.AlertBatch} commands; the heartbeat's own alerts
 * ({@link dev.warden.alerting.HeartbeatAlerts}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Alerting",
		allowedDependencies = { "access", "incidents", "storage", "web" })
package dev.warden.alerting;
