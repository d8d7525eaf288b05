package dev.warden.routing;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a Warden silence's copy in Alertmanager is. Warden's silence holds inside Warden
 * whatever this says: the copy only keeps Alertmanager's other receivers (and Grafana)
 * quiet too.
 *
 * @param state where the copy is
 * @param silenceId Alertmanager's id of the copy, once known
 * @param lastError why the last attempt failed (or why Alertmanager refused it), or null
 * @param attempts failed attempts in a row
 * @param syncedAt when Alertmanager last took a change (the copy created or expired), or
 * null
 */
public record AlertmanagerCopy(State state, String silenceId, String lastError, int attempts, Instant syncedAt) {

	public AlertmanagerCopy {
		Objects.requireNonNull(state, "state");
	}

	/** Where a silence's copy in Alertmanager is. */
	public enum State {

		/** Not yet in Alertmanager: to be created (retrying while it is unreachable). */
		PENDING,
		/** In Alertmanager, as {@code silenceId}. */
		CREATED,
		/** Alertmanager refused it (a 4xx): {@code lastError} says why; not retried. */
		FAILED,
		/** Expired in Warden; not yet expired in Alertmanager (retrying). */
		EXPIRING,
		/** Expired in Alertmanager too, or ended before it ever got there. */
		EXPIRED;

		/** The state as the API writes it. */
		public String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		static State of(String value) {
			return valueOf(value.toUpperCase(java.util.Locale.ROOT));
		}

	}

}
