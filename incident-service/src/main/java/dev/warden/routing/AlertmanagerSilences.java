package dev.warden.routing;

import java.time.Instant;
import java.util.List;

/**
 * Alertmanager's own silences (those Warden did not create), as Warden last read them:
 * shown beside Warden's, read-only.
 *
 * @param configured whether an Alertmanager API is configured at all
 * @param address Alertmanager's address, or null when none is configured
 * @param error why Alertmanager could not be read (unreachable, an error answer), or null
 * when it was
 * @param silences its active and pending silences that are not copies of Warden's, latest
 * ending last
 */
public record AlertmanagerSilences(boolean configured, String address, String error,
		List<AlertmanagerSilence> silences) {

	public AlertmanagerSilences {
		silences = List.copyOf(silences);
	}

	static AlertmanagerSilences notConfigured() {
		return new AlertmanagerSilences(false, null, null, List.of());
	}

	/** Whether Alertmanager answered. */
	public boolean reachable() {
		return this.configured && this.error == null;
	}

}
