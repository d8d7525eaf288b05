package dev.warden.incidents;

import java.time.Instant;
import java.util.Map;

/**
 * An alert of an incident as other modules see it, read in the incident's transaction.
 *
 * @param fingerprint the alert's fingerprint
 * @param name the {@code alertname} label
 * @param status firing, resolved or expired
 * @param severity the severity its labels map to
 * @param labels its labels
 * @param annotations its annotations
 * @param startsAt when the alert's occurrence started
 * @param endsAt when it ended, or null while it has not
 * @param generatorUrl the link to its source (Prometheus), or null
 * @param firstSeenAt when Warden first received it
 * @param lastSeenAt when Alertmanager last mentioned it
 * @param grafana what Grafana's webhook added (values, links), or null for an alert from
 * elsewhere
 */
public record AlertSnapshot(String fingerprint, String name, AlertStatus status, Severity severity,
		Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
		String generatorUrl, Instant firstSeenAt, Instant lastSeenAt, GrafanaDetails grafana) {

	public AlertSnapshot {
		labels = Copies.of(labels);
		annotations = Copies.of(annotations);
	}

	static AlertSnapshot of(Alert alert) {
		return new AlertSnapshot(alert.fingerprint(), alert.name(), alert.status(), alert.severity(), alert.labels(),
				alert.annotations(), alert.startsAt(), alert.endsAt(), alert.generatorUrl(), alert.firstSeenAt(),
				alert.lastSeenAt(), alert.grafana());
	}

}
