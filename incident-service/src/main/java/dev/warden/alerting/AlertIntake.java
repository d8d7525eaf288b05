package dev.warden.alerting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.warden.incidents.AlertBatch;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.ReceivedAlert;

import org.springframework.stereotype.Component;

/**
 * Takes in a batch of alerts from a webhook, whichever sent it: alerts bound to a
 * heartbeat (the pipeline's {@code Watchdog}) are heartbeats, not incidents:
 * {@link HeartbeatAlerts} tells them apart first, and records them only once the other
 * alerts are stored, in one transaction of {@link IncidentService#ingest}.
 */
@Component
class AlertIntake {

	private final IncidentService incidents;

	private final HeartbeatAlerts heartbeats;

	private final MeterRegistry meters;

	AlertIntake(IncidentService incidents, HeartbeatAlerts heartbeats, MeterRegistry meters) {
		this.incidents = incidents;
		this.heartbeats = heartbeats;
		this.meters = meters;
	}

	/**
	 * Counts the alerts stored as alerts (heartbeat alerts are not counted), by status.
	 * @param meter the counter's name, one per source
	 * @param source who sends them, for the counter's description
	 * @return what to count firing and resolved alerts in
	 */
	Counters counters(String meter, String source) {
		return new Counters(counter(meter, source, "firing"), counter(meter, source, "resolved"));
	}

	private Counter counter(String meter, String source, String status) {
		return Counter.builder(meter)
			.description("Alerts received from " + source + " and stored as alerts (heartbeat alerts are not counted)")
			.tag("status", status)
			.register(this.meters);
	}

	/**
	 * Stores the batch's alerts and records its heartbeats.
	 * @param batch the webhook's alerts
	 * @param fromAlertmanager whether Alertmanager sent the webhook (see
	 * {@link HeartbeatAlerts#received})
	 * @param counters where to count the alerts stored
	 * @return what Warden did with them
	 */
	WebhookReceipt take(AlertBatch batch, boolean fromAlertmanager, Counters counters) {
		List<ReceivedAlert> claimed = this.heartbeats.match(batch.alerts());
		List<ReceivedAlert> rest = new ArrayList<>(batch.alerts());
		rest.removeAll(claimed);
		WebhookReceipt receipt = rest.isEmpty() ? WebhookReceipt.heartbeats(claimed.size()) : WebhookReceipt
			.of(this.incidents.ingest(claimed.isEmpty() ? batch : only(batch, rest)), claimed.size());
		// Only once the rest is stored: a webhook refused or failed above writes no ping,
		// and if this fails (503), the sender's resend is a replay to the incidents.
		this.heartbeats.received(claimed, fromAlertmanager);
		rest.forEach((alert) -> (alert.firing() ? counters.firing() : counters.resolved()).increment());
		return receipt;
	}

	/** The batch with only these of its alerts. */
	private static AlertBatch only(AlertBatch batch, List<ReceivedAlert> rest) {
		return new AlertBatch(batch.groupKey(), rest.stream().anyMatch(ReceivedAlert::firing), batch.receiver(),
				batch.groupLabels(), batch.commonLabels(), batch.commonAnnotations(), batch.externalUrl(),
				batch.truncatedAlerts(), rest);
	}

	/** A source's counters of alerts stored, by status. */
	record Counters(Counter firing, Counter resolved) {

	}

	/** Lower case, as receipts and metrics spell states. */
	static String lower(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

}
