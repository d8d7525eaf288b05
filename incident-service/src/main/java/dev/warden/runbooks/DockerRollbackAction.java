package dev.warden.runbooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.warden.runbooks.docker.ContainerEngineException;
import dev.warden.runbooks.docker.ContainerInfo;
import dev.warden.runbooks.docker.ContainerSelector;

import org.springframework.stereotype.Component;

/**
 * {@code docker.rollback}: puts a group's containers back on the image they ran before
 * the current one, recreating each with the same configuration. Declarative: the target
 * image is the same however often it is asked, and containers already on it are left
 * alone.
 */
@Component
class DockerRollbackAction implements RunbookAction {

	private static final String TARGET = "rolling back to ";

	/**
	 * The temporary name {@code recreate} gives a replacement until the old container is
	 * gone.
	 */
	private static final Pattern INTERRUPTED_REPLACEMENT = Pattern.compile("(.+)-next-[0-9a-f]{6}");

	private final ManagedContainers containers;

	DockerRollbackAction(ManagedContainers containers) {
		this.containers = containers;
	}

	@Override
	public String type() {
		return ActionSchemas.DOCKER_ROLLBACK;
	}

	@Override
	public boolean declarative() {
		return true;
	}

	@Override
	public StepResult run(StepContext context) {
		StepParameters parameters = ActionSchemas.parameters(type(), context.parameters());
		ContainerSelector group = ContainerSelector.byLabels(parameters.labels("selector"));
		Duration stopTimeout = parameters.duration("stop-timeout");
		List<String> output = new ArrayList<>();
		try {
			List<ContainerInfo> members = repairInterruptedRecreates(this.containers.select(group), stopTimeout,
					context.fence(), output);
			this.containers.observe(group, members);
			String target = decidedEarlier(context).orElseGet(() -> target(group, members));
			output.add(TARGET + target);
			for (ContainerInfo member : members) {
				if (member.image().equals(target)) {
					output.add("%s already runs %s".formatted(member.name(), target));
					continue;
				}
				context.fence().beforeActing("recreate %s on %s".formatted(member.name(), target));
				ContainerInfo replaced = this.containers.engine().recreate(member, target, stopTimeout);
				output.add("recreated %s on %s (was %s)".formatted(replaced.name(), target, member.image()));
			}
			output.add("%s is on %s".formatted(group, target));
			return new StepResult.Done(output);
		}
		catch (ManagedContainers.Refused | ContainerEngineException ex) {
			return new StepResult.Failed(ex.getMessage(), output);
		}
	}

	@Override
	public List<String> plan(StepContext context) {
		StepParameters parameters = ActionSchemas.parameters(type(), context.parameters());
		ContainerSelector group = ContainerSelector.byLabels(parameters.labels("selector"));
		try {
			// Plans only read: what Warden learns of the group's images it learns when it
			// acts.
			List<ContainerInfo> members = this.containers.select(group);
			String target = target(group, members);
			return members.stream()
				.map((member) -> member.image().equals(target) ? "%s already runs %s".formatted(member.name(), target)
						: "would recreate %s on %s (now %s)".formatted(member.name(), target, member.image()))
				.toList();
		}
		catch (ManagedContainers.Refused | ContainerEngineException ex) {
			return List.of(ex.getMessage());
		}
	}

	/**
	 * Finishes what a crash interrupted inside {@code recreate}: a replacement still
	 * under its temporary {@code -next-} name either takes the old container's name (the
	 * old one is gone) or is removed (the old one is still there and is recreated
	 * normally).
	 * @return the group as it is afterwards
	 */
	private List<ContainerInfo> repairInterruptedRecreates(List<ContainerInfo> members, Duration stopTimeout,
			Fence fence, List<String> output) {
		List<ContainerInfo> repaired = new ArrayList<>();
		for (ContainerInfo member : members) {
			Matcher leftover = INTERRUPTED_REPLACEMENT.matcher(member.name());
			if (!leftover.matches()) {
				repaired.add(member);
				continue;
			}
			String original = leftover.group(1);
			if (members.stream().anyMatch((other) -> other.name().equals(original))) {
				fence.beforeActing("remove " + member.name() + ", left over by an interrupted rollback");
				this.containers.engine().stopAndRemove(member.id(), stopTimeout);
				output.add("removed %s, left over by an interrupted rollback".formatted(member.name()));
			}
			else {
				fence.beforeActing("finish the interrupted replacement of " + original);
				repaired.add(this.containers.engine().renameAndStart(member.id(), original));
				output.add("finished the interrupted replacement of %s (%s)".formatted(original, member.image()));
			}
		}
		return repaired;
	}

	/**
	 * A repeat after a crash aims at the image the first attempt chose, whatever the
	 * group runs now.
	 */
	private static Optional<String> decidedEarlier(StepContext context) {
		return context.earlierOutput()
			.stream()
			.filter((line) -> line.startsWith(TARGET))
			.map((line) -> line.substring(TARGET.length()))
			.findFirst();
	}

	private String target(ContainerSelector group, List<ContainerInfo> members) {
		return this.containers.previousImage(group, members)
			.orElseThrow(
					() -> new ManagedContainers.Refused("no previous image is known for %s: Warden has seen only %s"
						.formatted(group, members.stream().map(ContainerInfo::image).distinct().toList())));
	}

}
