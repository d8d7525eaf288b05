package dev.warden.alerting;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import dev.warden.incidents.AlertBatch;
import dev.warden.incidents.GrafanaDetails;
import dev.warden.incidents.ReceivedAlert;

/**
 * Alertmanager's webhook payload, version 4. Unknown fields are ignored, so newer
 * Alertmanager versions that add fields keep working.
 */
record AlertmanagerPayload(@NotNull @Pattern(regexp = "4",
		message = "must be \"4\": Warden accepts Alertmanager's webhook payload version 4 here (Grafana's webhook contact point, version 1, posts to "
				+ GrafanaWebhookController.PATH + ")") String version,
		@NotBlank @Size(max = 65536) @StorableText @Pattern(regexp = "(?s)(?!warden:|grafana:).*",
				message = "must not start with warden: or grafana: (the keys Warden gives declared, split and Grafana incidents)") String groupKey,
		@PositiveOrZero Integer truncatedAlerts,
		@NotNull @Pattern(regexp = "firing|resolved", message = "must be \"firing\" or \"resolved\"") String status,
		@StorableText String receiver, Map<@NotNull @StorableText String, @NotNull @StorableText String> groupLabels,
		Map<@NotNull @StorableText String, @NotNull @StorableText String> commonLabels,
		Map<@NotNull @StorableText String, @NotNull @StorableText String> commonAnnotations,
		@StorableText String externalURL,
		@NotEmpty(message = "must hold at least one alert") List<@NotNull @Valid Alert> alerts) {

	/** Go's zero time: Alertmanager's way of saying "has not ended". */
	static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

	private static final Comparator<ReceivedAlert> LATEST_STATE = Comparator.comparing(ReceivedAlert::startsAt)
		.thenComparing((alert) -> !alert.firing());

	AlertBatch toBatch() {
		return batch(this.groupKey, this.status, this.receiver, this.groupLabels, this.commonLabels,
				this.commonAnnotations, this.externalURL, this.truncatedAlerts,
				this.alerts.stream().map(Alert::toReceivedAlert).toList());
	}

	/**
	 * The batch of a validated webhook body in Alertmanager's shape (Alertmanager's own,
	 * or Grafana's, which adds to it).
	 */
	static AlertBatch batch(String groupKey, String status, String receiver, Map<String, String> groupLabels,
			Map<String, String> commonLabels, Map<String, String> commonAnnotations, String externalURL,
			Integer truncatedAlerts, List<ReceivedAlert> alerts) {
		return new AlertBatch(groupKey, "firing".equals(status), receiver, orEmpty(groupLabels), orEmpty(commonLabels),
				orEmpty(commonAnnotations), externalURL, (truncatedAlerts != null) ? truncatedAlerts : 0,
				latestPerFingerprint(alerts));
	}

	/**
	 * One alert per fingerprint. Alertmanager sends each alert of a group once, but
	 * another sender or a proxy may repeat one; refusing the body would drop its other
	 * alerts for good (4xx is never retried), so the latest state wins, whatever the
	 * order: the later occurrence ({@code startsAt}), within one occurrence resolved over
	 * firing, and otherwise the last copy.
	 */
	private static List<ReceivedAlert> latestPerFingerprint(List<ReceivedAlert> alerts) {
		Map<String, ReceivedAlert> latest = new LinkedHashMap<>();
		for (ReceivedAlert alert : alerts) {
			latest.merge(alert.fingerprint(), alert,
					(kept, copy) -> (LATEST_STATE.compare(copy, kept) >= 0) ? copy : kept);
		}
		return List.copyOf(latest.values());
	}

	private static Map<String, String> orEmpty(Map<String, String> map) {
		return (map != null) ? map : Map.of();
	}

	/** One alert of the payload. */
	record Alert(
			@NotNull @Pattern(regexp = "firing|resolved", message = "must be \"firing\" or \"resolved\"") String status,
			@NotEmpty Map<@NotBlank @StorableText String, @NotNull @StorableText String> labels,
			Map<@NotNull @StorableText String, @NotNull @StorableText String> annotations,
			@NotNull @Rfc3339 String startsAt, @Rfc3339 String endsAt, @StorableText String generatorURL,
			@NotBlank @Size(max = 256) @StorableText String fingerprint) {

		ReceivedAlert toReceivedAlert() {
			return received(this.status, this.labels, this.annotations, this.startsAt, this.endsAt, this.generatorURL,
					this.fingerprint, null);
		}

		/**
		 * The alert of a validated webhook body in Alertmanager's shape, with what
		 * Grafana adds, if anything.
		 */
		static ReceivedAlert received(String status, Map<String, String> labels, Map<String, String> annotations,
				String startsAt, String endsAt, String generatorURL, String fingerprint, GrafanaDetails grafana) {
			return new ReceivedAlert(fingerprint, "firing".equals(status), labels, orEmpty(annotations),
					instant(startsAt), ended(endsAt), generatorURL, grafana);
		}

		private static Instant ended(String endsAt) {
			if (endsAt == null) {
				return null;
			}
			Instant instant = instant(endsAt);
			return instant.equals(GO_ZERO_TIME) ? null : instant;
		}

		private static Instant instant(String timestamp) {
			// PostgreSQL keeps microseconds; Alertmanager may send nanoseconds.
			return Rfc3339.Validator.parse(timestamp).truncatedTo(ChronoUnit.MICROS);
		}

	}

}
