package dev.warden.alerting;

import java.util.List;

import dev.warden.incidents.ReceivedAlert;

/**
 * Alerts that are signals rather than problems, such as the alert pipeline's
 * always-firing {@code Watchdog}: the webhook asks which of its alerts these are, stores
 * the others as incidents, and only then hands these over, so that a webhook refused or
 * failed writes nothing. Implemented by the heartbeats module, so that this module needs
 * to know nothing about heartbeats.
 */
public interface HeartbeatAlerts {

	/**
	 * Which of these alerts are heartbeats. Pure: reads and writes nothing.
	 * @param alerts the webhook's alerts
	 * @return the alerts bound to a heartbeat; empty when none is
	 */
	List<ReceivedAlert> match(List<ReceivedAlert> alerts);

	/**
	 * Records what a webhook Warden accepted says about its heartbeats, in transactions
	 * of its own; called after the webhook's other alerts were stored, so a failure here
	 * (answered 503) is followed by Alertmanager's resend, which the incidents take as a
	 * replay. A firing alert bound to a heartbeat is a ping; a resolved one pings
	 * nothing, since Alertmanager resolves the alert precisely when the heartbeat stops.
	 * @param heartbeats the webhook's alerts that {@link #match} found
	 * @param fromAlertmanager whether Alertmanager sent the webhook (its
	 * {@code User-Agent}): proof that it talks to Warden, which starts the clock of
	 * heartbeats bound to alerts that were never seen
	 */
	void received(List<ReceivedAlert> heartbeats, boolean fromAlertmanager);

}
