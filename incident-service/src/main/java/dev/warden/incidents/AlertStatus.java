package dev.warden.incidents;

/** The state of one alert as Warden last learned it. */
public enum AlertStatus {

	/** Alertmanager says it fires. */
	FIRING,
	/** Alertmanager says it resolved. */
	RESOLVED,
	/** Alertmanager stopped mentioning it for longer than the stale timeout. */
	EXPIRED

}
