package dev.warden.heartbeats;

import java.util.Locale;

/** Where a heartbeat stands, from when it was last seen. */
public enum HeartbeatState {

	/** Seen within its interval. */
	UP,

	/** Past its interval, still within its grace. */
	LATE,

	/** Past its interval and grace: an incident is open (or about to be). */
	SILENT,

	/**
	 * Never seen since it was declared. Its clock starts at the declaration (or, bound to
	 * alerts, at Alertmanager's first webhook); once interval and grace have passed since
	 * then, its incident opens and the view links it, while the state stays never seen.
	 */
	NEVER_SEEN;

	/**
	 * The name in the API: {@code up}, {@code late}, {@code silent}, {@code never_seen}.
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The name for people: {@code up}, ..., {@code never seen}. */
	public String label() {
		return value().replace('_', ' ');
	}

}
