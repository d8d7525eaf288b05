package dev.warden.heartbeats;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.warden.access.Audit;
import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;
import dev.warden.cluster.ConfigVersions;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The heartbeat JSON API: batch jobs send heartbeats with a token of the
 * {@code heartbeat} scope; readers list the heartbeats with where they stand; admins
 * reload the heartbeat file.
 */
@RestController
@RequestMapping("/api/v1/heartbeats")
@Tag(name = "Heartbeats")
@SecurityRequirement(name = "apiToken")
class HeartbeatController {

	private final Heartbeats heartbeats;

	private final Audit audit;

	private final ConfigVersions versions;

	HeartbeatController(Heartbeats heartbeats, Audit audit, ConfigVersions versions) {
		this.versions = versions;
		this.heartbeats = heartbeats;
		this.audit = audit;
	}

	@RequiresScope(Scope.READ)
	@GetMapping
	@Operation(summary = "The declared heartbeats with when each was last seen and its state "
			+ "(up, late, silent, never_seen), and the heartbeat file's problems")
	HeartbeatList list() {
		return new HeartbeatList(this.heartbeats.source(),
				this.heartbeats.list().stream().map(HeartbeatJson::of).toList(), this.heartbeats.problems());
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/{name}")
	@Operation(summary = "One heartbeat with when it was last seen and its state")
	HeartbeatJson get(@PathVariable String name) {
		return HeartbeatJson.of(this.heartbeats.get(name));
	}

	@RequiresScope(Scope.HEARTBEAT)
	@PostMapping("/{name}")
	@Operation(summary = "Send a heartbeat: the named heartbeat was seen now (a body, if any, is ignored); "
			+ "resolves its silence's incident. A heartbeat bound to Alertmanager's alerts is refused (409)")
	Ping ping(@PathVariable String name, Principal principal) {
		HeartbeatView view = this.heartbeats.ping(name, principal.getName());
		return new Ping(view.name(), view.lastSeenAt(), view.silentAfter());
	}

	@RequiresScope(Scope.ADMIN)
	@PostMapping("/reload")
	@Operation(summary = "Reload the heartbeat file; a file with problems keeps the heartbeats in use. Records a "
			+ "new heartbeats version, which every other instance takes in within seconds")
	HeartbeatCatalog.LoadReport reload(Principal principal) {
		HeartbeatCatalog.LoadReport report = this.versions.reload(SharedHeartbeats.KIND, principal.getName(),
				this.heartbeats::reload);
		this.audit.record("heartbeats.reload", "heartbeat file", null, report.summary(),
				Map.of("source", report.source()));
		return report;
	}

	/**
	 * The answer to a heartbeat.
	 *
	 * @param name the heartbeat
	 * @param lastSeenAt when Warden saw it (now)
	 * @param silentAfter when it is silent unless it is seen again before
	 */
	record Ping(String name, Instant lastSeenAt, Instant silentAfter) {
	}

	record HeartbeatList(String source, List<HeartbeatJson> heartbeats, List<HeartbeatProblem> problems) {
	}

	/**
	 * A heartbeat in the API.
	 *
	 * @param interval like {@code 5m}
	 * @param grace like {@code 1m}
	 * @param state up, late, silent or never_seen
	 * @param watchedSince for a heartbeat never seen, when its clock started; null
	 * otherwise, or while it has not
	 * @param incident the open silence's incident in the API; null when none
	 */
	record HeartbeatJson(String name, String description, String interval, String grace, String service,
			String severity, Map<String, String> labels, List<String> alert, Instant lastSeenAt, String lastSeenBy,
			String state, Instant watchedSince, Instant silentAfter, String incident) {

		static HeartbeatJson of(HeartbeatView view) {
			return new HeartbeatJson(view.name(), view.description(), Heartbeats.human(view.interval()),
					Heartbeats.human(view.grace()), view.service(), view.severity(), view.labels(), view.alert(),
					view.lastSeenAt(), view.lastSeenBy(), view.state().value(), view.watchedSince(), view.silentAfter(),
					(view.incident() != null) ? "/api/v1/incidents/" + view.incident() : null);
		}

	}

}
