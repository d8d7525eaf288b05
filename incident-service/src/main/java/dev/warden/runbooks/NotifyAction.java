package dev.warden.runbooks;

import java.util.List;
import java.util.Map;

import dev.warden.incidents.Actor;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;

import org.springframework.stereotype.Component;

/**
 * {@code notify}: tells the incident's responders something. Until notifications exist it
 * is a timeline entry.
 */
@Component
class NotifyAction implements RunbookAction {

	static final TimelineEventType NOTIFIED = new TimelineEventType("runbook.notify");

	private final IncidentService incidents;

	NotifyAction(IncidentService incidents) {
		this.incidents = incidents;
	}

	@Override
	public String type() {
		return ActionSchemas.NOTIFY;
	}

	@Override
	public boolean declarative() {
		// Posting twice is a duplicate message.
		return false;
	}

	@Override
	public StepResult run(StepContext context) {
		String message = ActionSchemas.parameters(type(), context.parameters()).string("message");
		context.fence().beforeActing("post: " + message);
		this.incidents.record(context.incident(), new TimelineEntry(NOTIFIED, Actor.SYSTEM, message,
				Map.of("runbook", context.runbookId(), "execution", context.executionId())));
		return StepResult.Done.of("posted: " + message);
	}

	@Override
	public List<String> plan(StepContext context) {
		return List.of("would post: " + ActionSchemas.parameters(type(), context.parameters()).string("message"));
	}

}
