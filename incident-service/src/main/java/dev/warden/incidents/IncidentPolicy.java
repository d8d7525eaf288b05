package dev.warden.incidents;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The configurable rules the {@link Incident} aggregate applies to received alerts.
 */
record IncidentPolicy(String severityLabel, Map<String, Severity> severityMapping, Severity defaultSeverity,
		String serviceLabel, String teamLabel, AutoResolve autoResolve, Duration repeatGap, Duration replayHorizon) {

	/**
	 * Longest service or team name kept; label values are unbounded, the index is not.
	 */
	static final int MAX_NAME_LENGTH = 200;

	IncidentPolicy {
		severityMapping = severityMapping.entrySet()
			.stream()
			.collect(Collectors.toUnmodifiableMap((entry) -> entry.getKey().toLowerCase(Locale.ROOT),
					Map.Entry::getValue));
		Objects.requireNonNull(defaultSeverity);
		Objects.requireNonNull(autoResolve);
		Objects.requireNonNull(repeatGap);
		Objects.requireNonNull(replayHorizon);
	}

	Severity severityOf(Map<String, String> labels) {
		String value = labels.get(this.severityLabel);
		if (value == null) {
			return this.defaultSeverity;
		}
		return this.severityMapping.getOrDefault(value.strip().toLowerCase(Locale.ROOT), this.defaultSeverity);
	}

	String serviceOf(AlertBatch batch) {
		return labelOf(batch, this.serviceLabel);
	}

	String teamOf(AlertBatch batch) {
		return labelOf(batch, this.teamLabel);
	}

	private static String labelOf(AlertBatch batch, String label) {
		String value = batch.commonLabels().get(label);
		if (value == null) {
			value = batch.groupLabels().get(label);
		}
		if (value == null) {
			value = batch.alerts().getFirst().labels().get(label);
		}
		return (value != null && value.length() > MAX_NAME_LENGTH) ? value.substring(0, MAX_NAME_LENGTH) : value;
	}

}
