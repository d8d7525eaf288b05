package dev.warden.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.warden.matching.LabelMatcher;

/**
 * One node of the routing tree, with the settings it inherits already resolved.
 *
 * @param name the route's name, unique among its siblings
 * @param path the names from the root, joined with {@code " > "}
 * @param line the line the route starts on in the routing file
 * @param matchers all must match for the route to match; the root has none
 * @param continueMatching whether later siblings are tried after this route matched
 * @param settings what the route does, inherited values included
 * @param routes the child routes, in order
 */
record Route(String name, String path, int line, List<LabelMatcher> matchers, boolean continueMatching,
		Settings settings, List<Route> routes) {

	static final String SEPARATOR = " > ";

	Route {
		matchers = List.copyOf(matchers);
		routes = List.copyOf(routes);
	}

	/**
	 * The root route used before any routing file loaded: it matches and does nothing.
	 */
	static Route empty() {
		return new Route("root", "root", 0, List.of(), false, Settings.NONE, List.of());
	}

	/**
	 * The routes an alert with these labels ends up in, as Alertmanager finds them:
	 * depth-first, the first matching sibling wins unless it continues, and a route none
	 * of whose children match is itself the result.
	 * @return the matching routes in order; empty when this route does not match
	 */
	List<Route> match(Map<String, String> labels) {
		if (!this.matchers.stream().allMatch((matcher) -> matcher.matches(labels))) {
			return List.of();
		}
		List<Route> matched = new ArrayList<>();
		for (Route child : this.routes) {
			List<Route> found = child.match(labels);
			matched.addAll(found);
			if (!found.isEmpty() && !child.continueMatching()) {
				break;
			}
		}
		return matched.isEmpty() ? List.of(this) : matched;
	}

	/** What this route would do at the given time. */
	RouteDecision decide(Instant at) {
		MuteWindow mute = this.settings.mute().stream().filter((window) -> window.covers(at)).findFirst().orElse(null);
		return new RouteDecision(this.path, this.settings.team(), this.settings.service(), this.settings.severity(),
				this.settings.targets(), this.settings.escalationPolicy(), mute != null, mute,
				this.matchers.stream().map(LabelMatcher::toString).toList());
	}

	/** How many routes the tree under this one has, this one included. */
	int size() {
		return 1 + this.routes.stream().mapToInt(Route::size).sum();
	}

	/**
	 * What a route does. A child inherits every value it does not set from its parent;
	 * notification targets are inherited per kind (Slack, email, users, schedules).
	 *
	 * @param team the owning team, or null
	 * @param service the service, or null
	 * @param severity the severity override, or null
	 * @param targets who to notify
	 * @param escalationPolicy the escalation policy's name, or null
	 * @param mute the mute windows
	 */
	record Settings(String team, String service, SeverityOverride severity, Targets targets, String escalationPolicy,
			List<MuteWindow> mute) {

		static final Settings NONE = new Settings(null, null, null, Targets.NONE, null, List.of());

		Settings {
			mute = List.copyOf(mute);
		}

	}

}
