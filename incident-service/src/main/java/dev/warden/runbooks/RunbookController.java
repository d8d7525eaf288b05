package dev.warden.runbooks;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import dev.warden.access.Audit;
import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;
import dev.warden.matching.LabelMatcher;
import dev.warden.cluster.ConfigVersions;
import dev.warden.incidents.IncidentId;

import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The runbooks JSON API: the catalog, dry-runs, runs, approvals, cancellation, the pause
 * switch.
 */
@RestController
@RequestMapping("/api/v1")
@Validated
@Tag(name = "Runbooks")
@SecurityRequirement(name = "apiToken")
class RunbookController {

	private final RunbookCatalog catalog;

	private final RunbookService runbooks;

	private final Audit audit;

	private final ConfigVersions versions;

	RunbookController(RunbookCatalog catalog, RunbookService runbooks, Audit audit, ConfigVersions versions) {
		this.versions = versions;
		this.catalog = catalog;
		this.runbooks = runbooks;
		this.audit = audit;
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/runbooks")
	@Operation(summary = "The runbook catalog, its load problems, and whether automatic runs are paused")
	Catalog list() {
		RunbookSwitch.State state = this.runbooks.automaticRuns();
		return new Catalog(this.catalog.all().stream().map(RunbookView::of).toList(), this.catalog.problems(),
				new Switch(state.paused(), state.changedBy(), state.changedAt(), state.reason()));
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/runbooks/{id}")
	@Operation(summary = "One runbook")
	RunbookView get(@PathVariable String id) {
		return this.catalog.find(id)
			.map(RunbookView::of)
			.orElseThrow(() -> new RunbookNotFound("There is no runbook " + id));
	}

	@RequiresScope(Scope.ADMIN)
	@PostMapping("/runbooks/reload")
	@Operation(summary = "Reload the runbook files; broken files keep their last good version. Records a new "
			+ "runbooks version, which every other instance takes in within seconds")
	LoadReport reload(Principal principal) {
		LoadReport report = this.versions.reload(RunbookCatalog.CONFIG_KIND, principal.getName(), this.catalog::reload);
		this.audit.record("runbooks.reload", "runbook catalog", null, report.summary());
		return report;
	}

	@RequiresScope(Scope.READ)
	@PostMapping("/runbooks/{id}/dry-run")
	@Operation(summary = "What running the runbook for an incident would do now; changes nothing")
	RunbookService.DryRun dryRun(@PathVariable String id, @Valid @RequestBody ForIncident request) {
		return this.runbooks.dryRun(id, new IncidentId(request.incident()));
	}

	@RequiresScope(Scope.AUTOMATE)
	@PostMapping("/runbooks/{id}/run")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(summary = "Run the runbook for an incident (approval runbooks wait for approval)")
	ExecutionJson run(@PathVariable String id, @Valid @RequestBody ForIncident request, Principal principal) {
		return ExecutionJson.of(this.runbooks.run(id, new IncidentId(request.incident()), principal.getName()));
	}

	@RequiresScope(Scope.AUTOMATE)
	@PostMapping("/runbooks/automatic/pause")
	@Operation(summary = "Pause every automatic run, on every instance")
	Switch pause(@RequestBody(required = false) @Valid Reason reason, Principal principal) {
		this.runbooks.pauseAutomaticRuns(true, principal.getName(), (reason != null) ? reason.reason() : null);
		return list().automaticRuns();
	}

	@RequiresScope(Scope.AUTOMATE)
	@PostMapping("/runbooks/automatic/resume")
	@Operation(summary = "Resume automatic runs")
	Switch resume(Principal principal) {
		this.runbooks.pauseAutomaticRuns(false, principal.getName(), null);
		return list().automaticRuns();
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/runbook-executions")
	@Operation(summary = "Executions with their steps: of one incident, or the latest 100")
	List<ExecutionJson> executions(@RequestParam(required = false) @Positive Long incident) {
		return this.runbooks.executions((incident != null) ? new IncidentId(incident) : null)
			.stream()
			.map(ExecutionJson::of)
			.toList();
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/runbook-executions/{id}")
	@Operation(summary = "One execution with its steps")
	ExecutionJson execution(@PathVariable @Positive long id) {
		return ExecutionJson.of(this.runbooks.execution(new ExecutionId(id)));
	}

	@RequiresScope(Scope.AUTOMATE)
	@PostMapping("/runbook-executions/{id}/approve")
	@Operation(summary = "Approve an execution that waits for approval")
	ExecutionJson approve(@PathVariable @Positive long id, Principal principal) {
		return ExecutionJson.of(this.runbooks.approve(new ExecutionId(id), principal.getName()));
	}

	@RequiresScope(Scope.AUTOMATE)
	@PostMapping("/runbook-executions/{id}/cancel")
	@Operation(summary = "Cancel an execution")
	ExecutionJson cancel(@PathVariable @Positive long id, Principal principal) {
		return ExecutionJson.of(this.runbooks.cancel(new ExecutionId(id), principal.getName()));
	}

	record ForIncident(@NotNull @Positive Long incident) {
	}

	record Reason(@Size(max = 500) String reason) {
	}

	record Catalog(List<RunbookView> runbooks, List<RunbookProblem> problems, Switch automaticRuns) {
	}

	record Switch(boolean paused, String changedBy, Instant changedAt, String reason) {
	}

	record RunbookView(String id, String title, String description, List<String> match, String mode,
			List<StepView> steps, Duration timeout, Duration cooldown, RunbookDefinition.Limits maxRuns,
			String onFailure, Map<String, List<String>> targets, boolean distinctApprover, String file) {

		static RunbookView of(RunbookDefinition runbook) {
			return new RunbookView(runbook.id(), runbook.title(), runbook.description(),
					runbook.matchers().stream().map(LabelMatcher::toString).toList(), lower(runbook.mode()),
					runbook.steps()
						.stream()
						.map((step) -> new StepView(step.name(), step.action(), step.parameters(), step.timeout()))
						.toList(),
					runbook.timeout(), runbook.cooldown(), runbook.limits(), lower(runbook.onFailure()),
					runbook.targets(), runbook.distinctApprover(),
					(runbook.source() != null) ? runbook.source().getFileName().toString() : null);
		}

	}

	record StepView(String name, String action, Map<String, Object> parameters, Duration timeout) {
	}

	// Named as the API documents it since before ExecutionView (the module's view) came.
	@Schema(name = "ExecutionView")
	record ExecutionJson(long id, String runbook, String title, long incident, String status, String trigger,
			String requestedBy, String approvedBy, Instant approvedAt, Instant approvalExpiresAt,
			String cancelRequestedBy, String target, Instant createdAt, Instant startedAt, Instant deadline,
			Instant finishedAt, String outcome, List<ExecutionStepJson> steps) {

		static ExecutionJson of(ExecutionView execution) {
			return new ExecutionJson(execution.id().value(), execution.runbookId(), execution.runbookTitle(),
					execution.incidentId().value(), lower(execution.status()), lower(execution.trigger()),
					execution.requestedBy(), execution.approvedBy(), execution.approvedAt(),
					execution.approvalExpiresAt(), execution.cancelRequestedBy(), execution.targetKey(),
					execution.createdAt(), execution.startedAt(), execution.deadline(), execution.finishedAt(),
					execution.outcome(), execution.steps().stream().map(ExecutionStepJson::of).toList());
		}

	}

	@Schema(name = "ExecutionStepView")
	record ExecutionStepJson(int position, String name, String action, String status, boolean declarative,
			Map<String, Object> parameters, int attempts, Instant startedAt, Instant resumeAt, Instant finishedAt,
			List<String> output, String error) {

		static ExecutionStepJson of(ExecutionStepView step) {
			return new ExecutionStepJson(step.position() + 1, step.name(), step.action(), lower(step.status()),
					step.declarative(), step.parameters(), step.attempts(), step.startedAt(), step.resumeAt(),
					step.finishedAt(), step.output(), step.error());
		}

	}

	private static String lower(Enum<?> value) {
		return (value != null) ? value.name().toLowerCase(Locale.ROOT) : null;
	}

}
