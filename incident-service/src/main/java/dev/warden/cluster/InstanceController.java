package dev.warden.cluster;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The instances JSON API: which instances share the database, whether each is live, what
 * it runs; and the recorded configuration versions.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Instances")
@SecurityRequirement(name = "apiToken")
class InstanceController {

	private final Instances instances;

	private final ConfigVersions versions;

	InstanceController(Instances instances, ConfigVersions versions) {
		this.instances = instances;
		this.versions = versions;
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/instances")
	@Operation(summary = "The instances on this database: id, host, version, start, last heartbeat, live, stale or "
			+ "stopped, and per configuration kind the version each runs and whether its files drift. Live ones "
			+ "first, at most 200; leftOut says how many more there are")
	InstanceList list() {
		Instances.Listed listed = this.instances.list(Instances.LIST_LIMIT);
		return new InstanceList(this.instances.self(), this.instances.live(), listed.items(), listed.leftOut());
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/config/versions")
	@Operation(summary = "The recorded configuration versions, newest first: kind, number, content hash, who "
			+ "reloaded (or which instance started), when, on which instance, applied or not, problems")
	VersionList configVersions(
			@Parameter(description = "Only this kind: routing, oncall, runbooks or heartbeats") @RequestParam(
					required = false) String kind,
			@Parameter(description = "At most this many, 1 to 500") @RequestParam(
					defaultValue = "50") @Min(1) @Max(500) int limit) {
		if (kind != null && !this.versions.kinds().contains(kind)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"kind: '%s' is not one of %s".formatted(kind, this.versions.kinds()));
		}
		return new VersionList(this.versions.history(kind, limit));
	}

	/**
	 * @param answeredBy the instance that answered
	 * @param live how many instances are live
	 * @param items the instances, live ones first, then stale, then stopped; at most
	 * {@value Instances#LIST_LIMIT}
	 * @param leftOut how many more instances the database knows than are listed
	 */
	record InstanceList(String answeredBy, long live, List<InstanceView> items, long leftOut) {
	}

	record VersionList(List<ConfigVersion> items) {
	}

}
