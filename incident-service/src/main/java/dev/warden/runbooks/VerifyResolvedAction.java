package dev.warden.runbooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.warden.incidents.AlertSnapshot;
import dev.warden.incidents.AlertStatus;
import dev.warden.incidents.IncidentService;

import org.springframework.stereotype.Component;

/**
 * {@code verify.resolved}: proves the remediation worked by waiting, without holding a
 * thread, until every alert of the incident has resolved; fails when the deadline passes
 * first, which triggers the runbook's failure policy.
 */
@Component
class VerifyResolvedAction implements RunbookAction {

	private final IncidentService incidents;

	VerifyResolvedAction(IncidentService incidents) {
		this.incidents = incidents;
	}

	@Override
	public String type() {
		return ActionSchemas.VERIFY_RESOLVED;
	}

	@Override
	public boolean declarative() {
		return true;
	}

	@Override
	public StepResult run(StepContext context) {
		StepParameters parameters = ActionSchemas.parameters(type(), context.parameters());
		Duration within = parameters.duration("within");
		Duration pollEvery = parameters.duration("poll-every");
		List<AlertSnapshot> alerts = this.incidents.alerts(context.incident());
		List<String> firing = alerts.stream()
			.filter((alert) -> alert.status() == AlertStatus.FIRING)
			.map((alert) -> alert.labels().getOrDefault("alertname", alert.fingerprint()))
			.toList();
		if (firing.isEmpty()) {
			return StepResult.Done.of("verified: all %d alert(s) of the incident resolved".formatted(alerts.size()));
		}
		Instant deadline = context.startedAt().plus(within);
		if (!context.now().isBefore(deadline)) {
			return new StepResult.Failed("the problem persists: %d alert(s) still firing after %s (%s)"
				.formatted(firing.size(), within, String.join(", ", firing)), List.of());
		}
		Instant next = context.now().plus(pollEvery);
		return new StepResult.WaitUntil(next.isBefore(deadline) ? next : deadline,
				List.of("waiting up to %s for %d firing alert(s) to resolve".formatted(within, firing.size())));
	}

	@Override
	public List<String> plan(StepContext context) {
		long firing = this.incidents.alerts(context.incident())
			.stream()
			.filter((alert) -> alert.status() == AlertStatus.FIRING)
			.count();
		return List.of("would wait up to %s for the incident's alerts to resolve (%d firing now)"
			.formatted(ActionSchemas.parameters(type(), context.parameters()).duration("within"), firing));
	}

}
