package dev.warden.alerting;

import java.util.List;

import dev.warden.incidents.ReceivedAlert;

/**
 * Alerts that are signals rather than problems, such as the alert pipeline's
 * always-firing {@code Watchdog}: the webhook hands every alert to this first, and only
 * the alerts it does not claim go on to become incidents. Implemented by the heartbeats
 * module, so that this module needs to know nothing about heartbeats.
 */
public interface HeartbeatAlerts {

	/**
	 * Records the heartbeats these alerts carry, in its own transaction, and says which
	 * alerts were heartbeats. A firing alert bound to a heartbeat is a ping; a resolved
	 * one is claimed too (it must not open an incident) but pings nothing, since
	 * Alertmanager resolves the alert precisely when the heartbeat stops.
	 * @param alerts the webhook's alerts
	 * @return the claimed alerts; empty when none is a heartbeat
	 */
	List<ReceivedAlert> claim(List<ReceivedAlert> alerts);

}
