package dev.warden.heartbeats;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.warden.matching.LabelMatcher;

/**
 * A declared heartbeat and where it stands.
 *
 * @param name its name
 * @param description what sends it; may be null
 * @param interval how often it is expected
 * @param grace how much later it may come before it is silent
 * @param service the silent-heartbeat incident's service
 * @param severity the silent-heartbeat incident's severity
 * @param labels further labels of the silent-heartbeat alert
 * @param alert the matchers that bind Alertmanager alerts to it; empty for API heartbeats
 * @param lastSeenAt when it was last seen; null when never
 * @param lastSeenBy who sent it last (an API token's name, or alertmanager); null when
 * never
 * @param state up, late, silent or never seen, now
 * @param watchedSince when Warden started expecting it while it was never seen: when it
 * was declared (API heartbeats), or the first Alertmanager webhook after that (heartbeats
 * bound to alerts); null while not yet
 * @param silentAfter when it becomes silent unless seen before; null when never seen and
 * not watched yet
 * @param incident the open silence's incident id; null when none
 */
public record HeartbeatView(String name, String description, Duration interval, Duration grace, String service,
		String severity, Map<String, String> labels, List<String> alert, Instant lastSeenAt, String lastSeenBy,
		HeartbeatState state, Instant watchedSince, Instant silentAfter, Long incident) {

	static HeartbeatView of(Heartbeat heartbeat, Instant lastSeenAt, String lastSeenBy, Instant watchedSince,
			Long incident, Instant now) {
		Instant clock = (lastSeenAt != null) ? lastSeenAt : watchedSince;
		return new HeartbeatView(heartbeat.name(), heartbeat.description(), heartbeat.interval(), heartbeat.grace(),
				heartbeat.service(), heartbeat.severity(), heartbeat.labels(),
				heartbeat.alert().stream().map(LabelMatcher::toString).toList(), lastSeenAt, lastSeenBy,
				heartbeat.stateAt(lastSeenAt, now), (lastSeenAt != null) ? null : watchedSince,
				(clock != null) ? heartbeat.silentAfter(clock) : null, incident);
	}

	/** The interval as the file writes durations, like {@code 24h} or {@code 1m30s}. */
	public String intervalText() {
		return Heartbeats.human(this.interval);
	}

	/** The grace as the file writes durations. */
	public String graceText() {
		return Heartbeats.human(this.grace);
	}

}
