package dev.warden.routing;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import dev.warden.access.Audit;
import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;
import dev.warden.matching.LabelMatcher;
import dev.warden.cluster.ConfigVersions;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The routing JSON API: the tree in use and its problems, reloads, and route tests. */
@RestController
@RequestMapping("/api/v1/routing")
@Tag(name = "Routing")
@SecurityRequirement(name = "apiToken")
class RoutingController {

	private final Routing routing;

	private final Silences silences;

	private final Clock clock;

	private final Audit audit;

	private final ConfigVersions versions;

	RoutingController(Routing routing, Silences silences, Clock clock, Audit audit, ConfigVersions versions) {
		this.audit = audit;
		this.versions = versions;
		this.routing = routing;
		this.silences = silences;
		this.clock = clock;
	}

	@RequiresScope(Scope.READ)
	@GetMapping
	@Operation(summary = "The routing tree in use and the problems of the last load")
	Tree tree() {
		return new Tree(this.routing.source(), RouteView.of(this.routing.root()), this.routing.problems());
	}

	@RequiresScope(Scope.ADMIN)
	@PostMapping("/reload")
	@Operation(summary = "Reload the routing file; a file with problems keeps the last good tree. Records a new "
			+ "routing version, which every other instance takes in within seconds")
	LoadReport reload(Principal principal) {
		LoadReport report = this.versions.reload(Routing.CONFIG_KIND, principal.getName(), this.routing::reload);
		this.audit.record("routing.reload", "routing file", null, report.summary(), Map.of("source", report.source()));
		return report;
	}

	@RequiresScope(Scope.READ)
	@PostMapping("/test")
	@Operation(summary = "Which routes an alert with these labels matches and what they would do (as amtool "
			+ "config routes test); changes nothing")
	TestResult test(@Valid @RequestBody TestRequest request) {
		Instant at = (request.at() != null) ? request.at() : this.clock.instant();
		List<RouteDecision> routes = this.routing.route(request.labels(), at);
		Silence silence = this.silences.silencing(request.labels(), at).orElse(null);
		return new TestResult(request.labels(), at, routes.stream().map(DecisionView::of).toList(),
				(silence != null) ? SilenceController.SilenceView.of(silence, at) : null);
	}

	record TestRequest(@NotNull Map<String, String> labels, Instant at) {
	}

	/**
	 * The answer of a route test.
	 *
	 * @param routes the matched routes, in order
	 * @param silencedBy the active silence that would keep the alert quiet, or null
	 */
	record TestResult(Map<String, String> labels, Instant at, List<DecisionView> routes,
			SilenceController.SilenceView silencedBy) {
	}

	record DecisionView(String path, List<String> match, String team, String service, String severity, Targets targets,
			String escalationPolicy, boolean muted, MuteView muteWindow) {

		static DecisionView of(RouteDecision decision) {
			return new DecisionView(decision.path(), decision.matchers(), decision.team(), decision.service(),
					lower(decision.severity()), decision.targets(), decision.escalationPolicy(), decision.muted(),
					MuteView.of(decision.muteWindow()));
		}

	}

	record Tree(String source, RouteView root, List<RoutingProblem> problems) {
	}

	record RouteView(String name, String path, int line, List<String> match, boolean continueMatching, String team,
			String service, String severity, Targets targets, String escalationPolicy, List<MuteView> mute,
			List<RouteView> routes) {

		static RouteView of(Route route) {
			Route.Settings settings = route.settings();
			return new RouteView(route.name(), route.path(), route.line(),
					route.matchers().stream().map(LabelMatcher::toString).toList(), route.continueMatching(),
					settings.team(), settings.service(), lower(settings.severity()), settings.targets(),
					settings.escalationPolicy(), settings.mute().stream().map(MuteView::of).toList(),
					route.routes().stream().map(RouteView::of).toList());
		}

	}

	record MuteView(List<String> days, String from, String to, String timezone, String description) {

		static MuteView of(MuteWindow window) {
			if (window == null) {
				return null;
			}
			return new MuteView(
					window.days()
						.stream()
						.sorted()
						.map((day) -> day.name().substring(0, 3).toLowerCase(Locale.ROOT))
						.toList(),
					(window.from() != null) ? window.from().toString() : null,
					(window.to() != null) ? window.to().toString() : null, window.timezone().getId(),
					window.describe());
		}

	}

	private static String lower(Enum<?> value) {
		return (value != null) ? value.name().toLowerCase(Locale.ROOT) : null;
	}

}
