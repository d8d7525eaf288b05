package dev.warden.incidents;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One alert as a source (Alertmanager) reported it.
 *
 * @param fingerprint the source's stable identity of the label set
 * @param firing true while firing, false once resolved
 * @param labels identifying labels, {@code alertname} among them
 * @param annotations descriptive annotations such as {@code summary}
 * @param startsAt when the alert started firing
 * @param endsAt when it ended; null while it has not
 * @param generatorUrl link to the expression in Prometheus; may be null
 */
public record ReceivedAlert(String fingerprint, boolean firing, Map<String, String> labels,
		Map<String, String> annotations, Instant startsAt, Instant endsAt, String generatorUrl) {

	public ReceivedAlert {
		Objects.requireNonNull(fingerprint, "fingerprint");
		Objects.requireNonNull(startsAt, "startsAt");
		labels = Map.copyOf(labels);
		annotations = (annotations != null) ? Map.copyOf(annotations) : Map.of();
	}

	/** The {@code alertname} label, or the fingerprint when absent. */
	public String name() {
		return this.labels.getOrDefault("alertname", this.fingerprint);
	}

}
