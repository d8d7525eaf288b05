package dev.warden.heartbeats;

import dev.warden.cluster.SharedConfiguration;

import org.springframework.stereotype.Component;

/** The heartbeat file as one of the configurations every instance runs alike. */
@Component
class SharedHeartbeats implements SharedConfiguration {

	/** The heartbeat file's kind among the shared configurations. */
	static final String KIND = "heartbeats";

	private final Heartbeats heartbeats;

	private final HeartbeatCatalog catalog;

	SharedHeartbeats(Heartbeats heartbeats, HeartbeatCatalog catalog) {
		this.heartbeats = heartbeats;
		this.catalog = catalog;
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public Loaded loaded() {
		return new Loaded(this.catalog.contentHash(), this.catalog.problems().isEmpty(),
				this.catalog.problems().stream().map(HeartbeatProblem::toString).toList());
	}

	@Override
	public Loaded reload() {
		// Through Heartbeats, as the reload endpoint: a changed heartbeat is declared
		// anew.
		this.heartbeats.reload();
		return loaded();
	}

}
