package dev.warden.incidents;

import java.util.Map;

/**
 * An alert of an incident as other modules see it.
 *
 * @param fingerprint the alert's fingerprint
 * @param status firing, resolved or expired
 * @param labels its labels
 * @param annotations its annotations
 */
public record AlertSnapshot(String fingerprint, AlertStatus status, Map<String, String> labels,
		Map<String, String> annotations) {

	public AlertSnapshot {
		labels = Map.copyOf(labels);
		annotations = Map.copyOf(annotations);
	}

	static AlertSnapshot of(Alert alert) {
		return new AlertSnapshot(alert.fingerprint(), alert.status(), alert.labels(), alert.annotations());
	}

}
