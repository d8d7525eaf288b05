package dev.warden.alerting;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import dev.warden.incidents.AlertBatch;
import dev.warden.incidents.ReceivedAlert;

/**
 * Alertmanager's webhook payload, version 4. Unknown fields are ignored, so newer
 * Alertmanager versions that add fields keep working.
 */
record AlertmanagerPayload(
		@NotNull @Pattern(regexp = "4",
				message = "must be \"4\": Warden accepts Alertmanager's webhook payload version 4") String version,
		@NotBlank @Size(max = 65536) String groupKey, @PositiveOrZero Integer truncatedAlerts,
		@NotNull @Pattern(regexp = "firing|resolved", message = "must be \"firing\" or \"resolved\"") String status,
		String receiver, Map<@NotNull String, @NotNull String> groupLabels,
		Map<@NotNull String, @NotNull String> commonLabels, Map<@NotNull String, @NotNull String> commonAnnotations,
		String externalURL, @NotEmpty(message = "must hold at least one alert") List<@NotNull @Valid Alert> alerts) {

	/** Go's zero time: Alertmanager's way of saying "has not ended". */
	static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

	/**
	 * PostgreSQL cannot store the NUL character in text, so a payload holding one is
	 * refused as bad input rather than failing (and being retried) forever.
	 */
	@AssertTrue(message = "must not contain the NUL character (\\u0000) in any string")
	boolean isPayload() {
		return !containsNul(this.toString());
	}

	private static boolean containsNul(String text) {
		return text.indexOf('\u0000') >= 0;
	}

	AlertBatch toBatch() {
		return new AlertBatch(this.groupKey, "firing".equals(this.status), this.receiver, orEmpty(this.groupLabels),
				orEmpty(this.commonLabels), orEmpty(this.commonAnnotations), this.externalURL,
				(this.truncatedAlerts != null) ? this.truncatedAlerts : 0,
				this.alerts.stream().map(Alert::toReceivedAlert).toList());
	}

	private static Map<String, String> orEmpty(Map<String, String> map) {
		return (map != null) ? map : Map.of();
	}

	/** One alert of the payload. */
	record Alert(
			@NotNull @Pattern(regexp = "firing|resolved", message = "must be \"firing\" or \"resolved\"") String status,
			@NotEmpty Map<@NotBlank String, @NotNull String> labels, Map<@NotNull String, @NotNull String> annotations,
			@NotNull @Rfc3339 String startsAt, @Rfc3339 String endsAt, String generatorURL,
			@NotBlank @Size(max = 256) String fingerprint) {

		ReceivedAlert toReceivedAlert() {
			return new ReceivedAlert(this.fingerprint, "firing".equals(this.status), this.labels,
					orEmpty(this.annotations), instant(this.startsAt), ended(this.endsAt), this.generatorURL);
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
