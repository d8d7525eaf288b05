package dev.warden.escalation;

import dev.warden.cluster.SharedConfiguration;

import org.springframework.stereotype.Component;

/** The on-call file as one of the configurations every instance runs alike. */
@Component
class SharedOnCall implements SharedConfiguration {

	/** The on-call file's kind among the shared configurations. */
	static final String KIND = "oncall";

	private final OnCall onCall;

	private final OnCallCatalog catalog;

	SharedOnCall(OnCall onCall, OnCallCatalog catalog) {
		this.onCall = onCall;
		this.catalog = catalog;
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public Loaded loaded() {
		return new Loaded(this.catalog.contentHash(), this.catalog.problems().isEmpty(),
				this.catalog.problems().stream().map(OnCallProblem::toString).toList());
	}

	@Override
	public Loaded reload() {
		this.onCall.reload();
		return loaded();
	}

}
