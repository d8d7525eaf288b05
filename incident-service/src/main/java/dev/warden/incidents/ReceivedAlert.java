package dev.warden.incidents;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One alert as a source (Alertmanager, Grafana) reported it.
 *
 * @param fingerprint the source's stable identity of the label set
 * @param firing true while firing, false once resolved
 * @param labels identifying labels, {@code alertname} among them
 * @param annotations descriptive annotations such as {@code summary}
 * @param startsAt when the alert started firing
 * @param endsAt when it ended; null while it has not
 * @param generatorUrl link to the expression in Prometheus (to the rule, from Grafana);
 * may be null
 * @param grafana what Grafana's webhook adds (values, dashboard and panel links); null
 * for alerts from elsewhere
 */
public record ReceivedAlert(String fingerprint, boolean firing, Map<String, String> labels,
		Map<String, String> annotations, Instant startsAt, Instant endsAt, String generatorUrl,
		GrafanaDetails grafana) {

	public ReceivedAlert {
		Objects.requireNonNull(fingerprint, "fingerprint");
		Objects.requireNonNull(startsAt, "startsAt");
		labels = Map.copyOf(labels);
		annotations = (annotations != null) ? Map.copyOf(annotations) : Map.of();
	}

	/** An alert from a source that adds nothing to Alertmanager's fields. */
	public ReceivedAlert(String fingerprint, boolean firing, Map<String, String> labels,
			Map<String, String> annotations, Instant startsAt, Instant endsAt, String generatorUrl) {
		this(fingerprint, firing, labels, annotations, startsAt, endsAt, generatorUrl, null);
	}

	/** The {@code alertname} label, or the fingerprint when absent. */
	public String name() {
		return this.labels.getOrDefault("alertname", this.fingerprint);
	}

}
