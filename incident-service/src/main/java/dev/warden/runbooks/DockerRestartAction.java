package dev.warden.runbooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.warden.runbooks.docker.ContainerEngineException;
import dev.warden.runbooks.docker.ContainerInfo;
import dev.warden.runbooks.docker.ContainerSelector;

import org.springframework.stereotype.Component;

/**
 * {@code docker.restart}: restarts the selected containers, each given its stop timeout.
 */
@Component
class DockerRestartAction implements RunbookAction {

	private final ManagedContainers containers;

	DockerRestartAction(ManagedContainers containers) {
		this.containers = containers;
	}

	@Override
	public String type() {
		return ActionSchemas.DOCKER_RESTART;
	}

	@Override
	public boolean declarative() {
		// A second restart is a second outage.
		return false;
	}

	@Override
	public StepResult run(StepContext context) {
		StepParameters parameters = ActionSchemas.parameters(type(), context.parameters());
		ContainerSelector selector = ManagedContainers.selectorOf(parameters);
		Duration stopTimeout = parameters.duration("stop-timeout");
		List<String> output = new ArrayList<>();
		try {
			List<ContainerInfo> targets = this.containers.select(selector);
			this.containers.observe(selector, targets);
			for (ContainerInfo target : targets) {
				context.fence().beforeActing("restart " + target.name());
				this.containers.engine().restart(target.id(), stopTimeout);
				ContainerInfo after = this.containers.engine().inspect(target.id());
				output.add("restarted %s (started %s, now %s, %s)".formatted(target.name(), target.startedAt(),
						after.startedAt(), after.running() ? "running" : "NOT running"));
				if (!after.running()) {
					return new StepResult.Failed(target.name() + " is not running after its restart", output);
				}
			}
			return new StepResult.Done(output);
		}
		catch (ManagedContainers.Refused | ContainerEngineException ex) {
			return new StepResult.Failed(ex.getMessage(), output);
		}
	}

	@Override
	public List<String> plan(StepContext context) {
		StepParameters parameters = ActionSchemas.parameters(type(), context.parameters());
		ContainerSelector selector = ManagedContainers.selectorOf(parameters);
		try {
			return this.containers.select(selector)
				.stream()
				.map((target) -> "would restart %s (%s, %s) with a stop timeout of %s".formatted(target.name(),
						target.image(), target.running() ? "running" : "stopped", parameters.duration("stop-timeout")))
				.toList();
		}
		catch (ManagedContainers.Refused | ContainerEngineException ex) {
			return List.of(ex.getMessage());
		}
	}

}
