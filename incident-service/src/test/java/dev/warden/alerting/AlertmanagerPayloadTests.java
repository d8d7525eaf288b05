package dev.warden.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.warden.incidents.AlertBatch;
import dev.warden.incidents.ReceivedAlert;

import static org.assertj.core.api.Assertions.assertThat;

class AlertmanagerPayloadTests {

	@Test
	void goZeroTimeMeansNotEnded() {
		ReceivedAlert alert = payload(alert("firing", "2026-11-22T20:54:32.766Z", "0001-01-01T00:00:00Z")).toBatch()
			.alerts()
			.getFirst();

		assertThat(alert.firing()).isTrue();
		assertThat(alert.endsAt()).isNull();
		assertThat(alert.startsAt()).isEqualTo(Instant.parse("2026-11-22T20:54:32.766Z"));
	}

	@Test
	void keepsMicrosecondsOfNanosecondTimestampsWithOffsets() {
		ReceivedAlert alert = payload(
				alert("resolved", "2026-11-22T21:54:32.123456789+01:00", "2026-11-22T20:55:02.000000001Z"))
			.toBatch()
			.alerts()
			.getFirst();

		assertThat(alert.startsAt()).isEqualTo(Instant.parse("2026-11-22T20:54:32.123456Z"));
		assertThat(alert.endsAt()).isEqualTo(Instant.parse("2026-11-22T20:55:02Z"));
		assertThat(alert.firing()).isFalse();
	}

	@Test
	void mapsGroupFieldsAndDefaultsTheOptionalOnes() {
		AlertBatch batch = new AlertmanagerPayload("4", "{}:{a=\"b\"}", null, "firing", "team-x", null,
				Map.of("a", "b"), null, "http://am:9093", List.of(alert("firing", "2026-11-22T20:54:32Z", null)))
			.toBatch();

		assertThat(batch.groupKey()).isEqualTo("{}:{a=\"b\"}");
		assertThat(batch.receiver()).isEqualTo("team-x");
		assertThat(batch.commonLabels()).containsEntry("a", "b");
		assertThat(batch.groupLabels()).isEmpty();
		assertThat(batch.commonAnnotations()).isEmpty();
		assertThat(batch.externalUrl()).isEqualTo("http://am:9093");
		assertThat(batch.truncatedAlerts()).isZero();
	}

	private static AlertmanagerPayload payload(AlertmanagerPayload.Alert alert) {
		return new AlertmanagerPayload("4", "g", 0, alert.status(), "r", Map.of(), Map.of(), Map.of(), null,
				List.of(alert));
	}

	private static AlertmanagerPayload.Alert alert(String status, String startsAt, String endsAt) {
		return new AlertmanagerPayload.Alert(status, Map.of("alertname", "DatabasePortDown"), Map.of(), startsAt,
				endsAt, "http://prometheus/graph", "955f554a3e81d1a8");
	}

}
