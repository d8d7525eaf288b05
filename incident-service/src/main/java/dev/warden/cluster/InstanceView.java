package dev.warden.cluster;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One instance as its row shows it.
 *
 * @param id the instance's id ({@code warden.cluster.instance-id})
 * @param host the host it runs on
 * @param pid its process id there
 * @param version the Warden version it runs
 * @param startedAt when it started
 * @param lastSeenAt its last heartbeat (or its stop)
 * @param stoppedAt when it stopped gracefully, or null
 * @param state live, stale (no heartbeat for three intervals) or stopped
 * @param configuration per kind, the configuration version it runs and whether its files
 * drift from it
 * @param self whether it is the instance that answers
 */
public record InstanceView(String id, String host, long pid, String version, Instant startedAt, Instant lastSeenAt,
		Instant stoppedAt, State state, Map<String, ConfigVersions.LoadedVersion> configuration, boolean self) {

	public InstanceView {
		configuration = Collections.unmodifiableMap(new TreeMap<>(configuration));
	}

	/** Whether any of its configuration drifts. */
	public boolean drifting() {
		return this.configuration.values().stream().anyMatch(ConfigVersions.LoadedVersion::drift);
	}

	/** Where an instance stands. */
	public enum State {

		/** Heartbeating. */
		@JsonProperty("live")
		LIVE,

		/** Not seen for three heartbeat intervals: crashed, frozen or cut off. */
		@JsonProperty("stale")
		STALE,

		/** Stopped gracefully. */
		@JsonProperty("stopped")
		STOPPED

	}

}
