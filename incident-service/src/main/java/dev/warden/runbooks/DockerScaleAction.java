package dev.warden.runbooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.warden.runbooks.docker.ContainerEngineException;
import dev.warden.runbooks.docker.ContainerInfo;
import dev.warden.runbooks.docker.ContainerSelector;

import org.springframework.stereotype.Component;

/**
 * {@code docker.scale}: raises a worker group to at least the desired number of running
 * replicas by cloning the newest running one, and leaves a larger group alone. Only a
 * step that says {@code scale-down: true} removes replicas (the newest first), and never
 * below its {@code min} or the global minimum. Declarative: a second run finds the group
 * as wanted and does nothing.
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
			int target = plan.target();
			if (target > current) {
				ContainerInfo template = plan.running().getFirst();
				for (int i = current; i < target; i++) {
					context.fence().beforeActing("start a copy of " + template.name());
					ContainerInfo clone = this.containers.engine().cloneOf(template);
					output
						.add("started %s as a copy of %s (%s)".formatted(clone.name(), template.name(), clone.image()));
				}
			}
			else if (target < current) {
				for (ContainerInfo surplus : plan.surplus()) {
					context.fence().beforeActing("stop and remove " + surplus.name());
					this.containers.engine().stopAndRemove(surplus.id(), STOP_TIMEOUT);
					output.add("stopped and removed %s".formatted(surplus.name()));
				}
			}
			output.add("%s now has %d running replica(s), was %d; %s".formatted(plan.group(), target, current,
					plan.rule()));
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
			int target = plan.target();
			String change = (target > current)
					? "would start %d copy(ies) of %s".formatted(target - current, plan.running().getFirst().name())
					: (target < current) ? "would stop and remove %s"
						.formatted(plan.surplus().stream().map(ContainerInfo::name).toList()) : "nothing to do";
			return List.of("%s: %d running, %s: %s".formatted(plan.group(), current, plan.rule(), change));
		}
		catch (ManagedContainers.Refused | ContainerEngineException | IllegalArgumentException ex) {
			return List.of(ex.getMessage());
		}
	}

	private Plan plan(StepParameters parameters) {
		ContainerSelector group = ContainerSelector.byLabels(parameters.labels("selector"));
		int desired = parameters.integer("replicas");
		boolean scaleDown = parameters.bool(ActionSchemas.SCALE_DOWN);
		if (desired < this.containers.minReplicas() || desired > this.containers.maxReplicas()) {
			throw new ManagedContainers.Refused("REFUSED: %d replicas is outside the allowed %d..%d".formatted(desired,
					this.containers.minReplicas(), this.containers.maxReplicas()));
		}
		int floor = Math.max(this.containers.minReplicas(),
				parameters.optionalInteger(ActionSchemas.FLOOR).orElse(this.containers.minReplicas()));
		if (scaleDown && desired < floor) {
			// Only a template can get here (the catalog refuses a literal below min).
			throw new ManagedContainers.Refused(
					"REFUSED: %d replicas is below the step's floor of %d".formatted(desired, floor));
		}
		List<ContainerInfo> running = this.containers.select(group).stream().filter(ContainerInfo::running).toList();
		if (running.isEmpty() && desired > 0) {
			throw new ManagedContainers.Refused("no running replica of " + group + " to copy");
		}
		return new Plan(group, running, desired, scaleDown, floor);
	}

	/**
	 * @param running the group's running replicas, newest first
	 * @param desired the step's {@code replicas}
	 * @param scaleDown whether the step may remove replicas
	 * @param floor the fewest replicas a scale-down leaves
	 */
	private record Plan(ContainerSelector group, List<ContainerInfo> running, int desired, boolean scaleDown,
			int floor) {

		/** How many replicas the group will have. */
		int target() {
			if (this.desired >= this.running.size() || !this.scaleDown) {
				return Math.max(this.desired, this.running.size());
			}
			return Math.max(this.desired, this.floor);
		}

		/** The newest replicas beyond the target, which a scale-down removes. */
		List<ContainerInfo> surplus() {
			return this.running.subList(0, Math.max(0, this.running.size() - target()));
		}

		String rule() {
			return this.scaleDown
					? "exactly %d wanted (scale-down allowed, never below %d)".formatted(this.desired, this.floor)
					: "at least %d wanted (more are left alone)".formatted(this.desired);
		}

	}

}
