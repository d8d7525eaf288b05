package dev.warden.routing;

import dev.warden.cluster.SharedConfiguration;

import org.springframework.stereotype.Component;

/** The routing file as one of the configurations every instance runs alike. */
@Component
class SharedRouting implements SharedConfiguration {

	private final Routing routing;

	SharedRouting(Routing routing) {
		this.routing = routing;
	}

	@Override
	public String kind() {
		return Routing.CONFIG_KIND;
	}

	@Override
	public Loaded loaded() {
		Routing.LastLoad last = this.routing.lastLoad();
		return new Loaded(last.contentHash(), last.problems().isEmpty(),
				last.problems().stream().map(RoutingProblem::toString).toList());
	}

	@Override
	public Loaded reload() {
		this.routing.reload();
		return loaded();
	}

}
