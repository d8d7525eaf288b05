package dev.warden.heartbeats;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * An API ping to a heartbeat bound to Alertmanager's alerts: refused, since it would hide
 * a dead Prometheus or Alertmanager.
 */
@ResponseStatus(HttpStatus.CONFLICT)
public class HeartbeatFedByAlerts extends RuntimeException {

	HeartbeatFedByAlerts(String name) {
		super(name + " is fed by Alertmanager's alerts, not by the API");
	}

}
