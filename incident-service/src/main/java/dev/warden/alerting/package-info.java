/**
 * Alert sources: the Alertmanager webhook with its authentication, validation and
 * metrics, mapping payloads to {@link dev.warden.incidents.AlertBatch} commands; the
 * heartbeat's own alerts ({@link dev.warden.alerting.HeartbeatAlerts}); and, for now, the
 * label matchers ({@link dev.warden.alerting.LabelMatcher}) that routing, silences,
 * runbooks and heartbeats speak, which issue 15 moves to where matching is owned.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Alerting",
		allowedDependencies = { "incidents", "storage", "web" })
package dev.warden.alerting;
