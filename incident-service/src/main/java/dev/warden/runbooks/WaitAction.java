package dev.warden.runbooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

/** {@code wait}: pauses the run for a duration without holding a thread. */
@Component
class WaitAction implements RunbookAction {

	@Override
	public String type() {
		return ActionSchemas.WAIT;
	}

	@Override
	public boolean declarative() {
		return true;
	}

	@Override
	public StepResult run(StepContext context) {
		Duration duration = ActionSchemas.parameters(type(), context.parameters()).duration("duration");
		Instant until = context.startedAt().plus(duration);
		if (!context.now().isBefore(until)) {
			return StepResult.Done.of("waited " + duration);
		}
		return new StepResult.WaitUntil(until, List.of("waiting %s, until %s".formatted(duration, until)));
	}

	@Override
	public List<String> plan(StepContext context) {
		return List.of("would wait " + ActionSchemas.parameters(type(), context.parameters()).duration("duration"));
	}

}
