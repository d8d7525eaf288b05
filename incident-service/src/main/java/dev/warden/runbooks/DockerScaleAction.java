package dev.warden.runbooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.warden.runbooks.docker.ContainerEngineException;
import dev.warden.runbooks.docker.ContainerInfo;
import dev.warden.runbooks.docker.ContainerSelector;

import org.springframework.stereotype.Component;

/**
 * {@code docker.scale}: makes a worker group have the desired number of running replicas,
 * cloning the newest running one or removing the newest surplus. Declarative: a second
 * run finds the group as wanted and does nothing.
 */
@Component
class DockerScaleAction implements RunbookAction {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private final ManagedContainers containers;

	DockerScaleAction(ManagedContainers containers) {
		this.containers = containers;
	}

	@Override
	public String type() {
		return ActionSchemas.DOCKER_SCALE;
	}

	@Override
	public boolean declarative() {
		return true;
	}

	@Override
	public StepResult run(StepContext context) {
		List<String> output = new ArrayList<>();
		try {
			Plan plan = plan(ActionSchemas.parameters(type(), context.parameters()));
			this.containers.observe(plan.group(), plan.running());
			int current = plan.running().size();
			if (plan.desired() > current) {
				ContainerInfo template = plan.running().getFirst();
				for (int i = current; i < plan.desired(); i++) {
					ContainerInfo clone = this.containers.engine().cloneOf(template);
					output
						.add("started %s as a copy of %s (%s)".formatted(clone.name(), template.name(), clone.image()));
				}
			}
			else {
				for (ContainerInfo surplus : plan.running().subList(0, current - plan.desired())) {
					this.containers.engine().stopAndRemove(surplus.id(), STOP_TIMEOUT);
					output.add("stopped and removed %s".formatted(surplus.name()));
				}
			}
			output.add("%s now has %d running replica(s), was %d".formatted(plan.group(), plan.desired(), current));
			return new StepResult.Done(output);
		}
		catch (ManagedContainers.Refused | ContainerEngineException | IllegalArgumentException ex) {
			return new StepResult.Failed(ex.getMessage(), output);
		}
	}

	@Override
	public List<String> plan(StepContext context) {
		try {
			Plan plan = plan(ActionSchemas.parameters(type(), context.parameters()));
			int current = plan.running().size();
			String change = (plan.desired() > current)
					? "would start %d copy(ies) of %s".formatted(plan.desired() - current,
							plan.running().getFirst().name())
					: (plan.desired() < current) ? "would stop and remove %s".formatted(plan.running()
						.subList(0, current - plan.desired())
						.stream()
						.map(ContainerInfo::name)
						.toList()) : "nothing to do";
			return List.of("%s: %d running, desired %d: %s".formatted(plan.group(), current, plan.desired(), change));
		}
		catch (ManagedContainers.Refused | ContainerEngineException | IllegalArgumentException ex) {
			return List.of(ex.getMessage());
		}
	}

	private Plan plan(StepParameters parameters) {
		ContainerSelector group = ContainerSelector.byLabels(parameters.labels("selector"));
		int desired = parameters.integer("replicas");
		if (desired < this.containers.minReplicas() || desired > this.containers.maxReplicas()) {
			throw new ManagedContainers.Refused("REFUSED: %d replicas is outside the allowed %d..%d".formatted(desired,
					this.containers.minReplicas(), this.containers.maxReplicas()));
		}
		List<ContainerInfo> running = this.containers.select(group).stream().filter(ContainerInfo::running).toList();
		if (running.isEmpty() && desired > 0) {
			throw new ManagedContainers.Refused("no running replica of " + group + " to copy");
		}
		return new Plan(group, running, desired);
	}

	private record Plan(ContainerSelector group, List<ContainerInfo> running, int desired) {
	}

}
