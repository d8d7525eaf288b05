package dev.warden.heartbeats;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.warden.matching.LabelMatcher;

/**
 * A heartbeat as the heartbeat file declares it: something that must be heard from at
 * least every {@code interval}, with {@code grace} on top before its silence becomes an
 * incident.
 *
 * @param name its name, in the API's path
 * @param line the line it starts on in the file
 * @param description what sends it, for people; may be null
 * @param interval how often it is expected
 * @param grace how much later than its interval it may come before it is silent
 * @param service the silent-heartbeat incident's service
 * @param severity the silent-heartbeat incident's severity label value ({@code critical},
 * {@code high}, {@code warning}, {@code info})
 * @param labels further labels of the silent-heartbeat alert, for routing
 * @param alert matchers binding Alertmanager alerts to this heartbeat: a firing alert
 * matching all of them is a heartbeat, never an incident; empty for API heartbeats only
 * @param summary the incident's title, with {@code {name}} and {@code {last_seen}} filled
 * in
 */
record Heartbeat(String name, int line, String description, Duration interval, Duration grace, String service,
		String severity, Map<String, String> labels, List<LabelMatcher> alert, String summary) {

	/** The title when the file gives none. */
	static final String DEFAULT_SUMMARY = "Heartbeat {name} is silent: last seen at {last_seen}";

	Heartbeat {
		labels = Map.copyOf(labels);
		alert = List.copyOf(alert);
	}

	/** The latest a heartbeat seen at {@code lastSeen} may be followed by the next. */
	Instant silentAfter(Instant lastSeen) {
		return lastSeen.plus(this.interval).plus(this.grace);
	}

	/** Where it stands at {@code now} when last seen at {@code lastSeen} (or never). */
	HeartbeatState stateAt(Instant lastSeen, Instant now) {
		if (lastSeen == null) {
			return HeartbeatState.NEVER_SEEN;
		}
		if (!now.isAfter(lastSeen.plus(this.interval))) {
			return HeartbeatState.UP;
		}
		return now.isAfter(silentAfter(lastSeen)) ? HeartbeatState.SILENT : HeartbeatState.LATE;
	}

	/** Whether an alert with these labels is this heartbeat. */
	boolean boundTo(Map<String, String> alertLabels) {
		return !this.alert.isEmpty() && this.alert.stream().allMatch((matcher) -> matcher.matches(alertLabels));
	}

	/** Whether it is fed by Alertmanager's alerts rather than by the API. */
	boolean alertBound() {
		return !this.alert.isEmpty();
	}

	/** How the heartbeat table records its kind: {@code alert} or {@code api}. */
	String kind() {
		return alertBound() ? "alert" : "api";
	}

	/**
	 * The silent-heartbeat incident's title. For a heartbeat never seen, "last seen at
	 * {last_seen}" reads "never seen since" the start of its clock, and a lone
	 * {@code {last_seen}} reads "never (since ...)".
	 * @param lastSeen when it was last seen; null when never
	 * @param watchedSince when its clock started, for one never seen
	 */
	String summary(Instant lastSeen, Instant watchedSince) {
		String title = this.summary.replace("{name}", this.name);
		if (lastSeen != null) {
			return title.replace("{last_seen}", lastSeen.toString());
		}
		return title.replace("last seen at {last_seen}", "never seen since " + watchedSince)
			.replace("{last_seen}", "never (since " + watchedSince + ")");
	}

}
