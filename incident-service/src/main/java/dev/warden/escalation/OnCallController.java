package dev.warden.escalation;

import java.security.Principal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import dev.warden.access.Audit;
import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;
import dev.warden.cluster.ConfigVersions;

import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The on-call JSON API: who is on call, overrides, users, escalation policies, reloading
 * the on-call file.
 */
@RestController
@RequestMapping("/api/v1")
@Validated
@Tag(name = "On call")
@SecurityRequirement(name = "apiToken")
class OnCallController {

	private final OnCall onCall;

	private final Audit audit;

	private final ConfigVersions versions;

	OnCallController(OnCall onCall, Audit audit, ConfigVersions versions) {
		this.versions = versions;
		this.onCall = onCall;
		this.audit = audit;
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/oncall")
	@Operation(summary = "Who is on call for every schedule at an instant (default now), and who is next")
	Roster roster(@RequestParam(required = false) Instant at) {
		Instant when = (at != null) ? at : this.onCall.now();
		return new Roster(when,
				this.onCall.allSchedules()
					.stream()
					.map((schedule) -> ScheduleView.of(schedule, when, this.onCall))
					.toList(),
				this.onCall.problems());
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/oncall/{schedule}")
	@Operation(summary = "Who is on call for one schedule at an instant (default now), and who is next")
	ScheduleView schedule(@PathVariable String schedule, @RequestParam(required = false) Instant at) {
		return ScheduleView.of(this.onCall.schedule(schedule), (at != null) ? at : this.onCall.now(), this.onCall);
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/oncall/{schedule}/overrides")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Put a user on call for a time range instead of the rotation; the latest override wins")
	OverrideView addOverride(@PathVariable String schedule, @Valid @RequestBody NewOverride request,
			Principal principal) {
		return OverrideView.of(this.onCall.addOverride(schedule, request.user().strip(), request.startsAt(),
				request.endsAt(), principal.getName(), request.reason()));
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/oncall/{schedule}/overrides")
	@Operation(summary = "The schedule's overrides in force now or starting later")
	List<OverrideView> overrides(@PathVariable String schedule) {
		return this.onCall.overrides(schedule).stream().map(OverrideView::of).toList();
	}

	@RequiresScope(Scope.RESPOND)
	@DeleteMapping("/oncall/{schedule}/overrides/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Remove an override")
	void removeOverride(@PathVariable String schedule, @PathVariable @Positive long id) {
		this.onCall.removeOverride(schedule, id);
	}

	@RequiresScope(Scope.ADMIN)
	@PostMapping("/oncall/reload")
	@Operation(summary = "Reload the on-call file; a file with problems leaves the last good version in place. "
			+ "Records a new on-call version, which every other instance takes in within seconds")
	OnCallCatalog.LoadReport reload(Principal principal) {
		OnCallCatalog.LoadReport report = this.versions.reload(SharedOnCall.KIND, principal.getName(),
				this.onCall::reload);
		this.audit.record("oncall.reload", "on-call file", null, report.summary());
		return report;
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/users")
	@Operation(summary = "The users of the on-call file")
	List<User> users() {
		return this.onCall.users();
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/escalation-policies")
	@Operation(summary = "The escalation policies of the on-call file: each level's delay (ISO-8601) and targets")
	List<EscalationPolicy> policies() {
		return this.onCall.policies();
	}

	record NewOverride(@NotBlank @Size(max = 64) String user, @NotNull Instant startsAt, @NotNull Instant endsAt,
			@Size(max = 500) String reason) {
	}

	record Roster(Instant at, List<ScheduleView> schedules, List<OnCallProblem> problems) {
	}

	record ScheduleView(String schedule, ZoneId timeZone, Instant at, OnCallShift onCall, OnCallShift next) {

		static ScheduleView of(Schedule schedule, Instant at, OnCall onCall) {
			OnCall.Answer answer = onCall.lookup(schedule, at);
			return new ScheduleView(schedule.name(), schedule.zone(), at, answer.current(), answer.next());
		}

	}

	record OverrideView(long id, String schedule, String user, Instant startsAt, Instant endsAt, String createdBy,
			Instant createdAt, String reason) {

		static OverrideView of(ScheduleOverride override) {
			return new OverrideView(override.id(), override.schedule(), override.user(), override.startsAt(),
					override.endsAt(), override.createdBy(), override.createdAt(), override.reason());
		}

	}

}
