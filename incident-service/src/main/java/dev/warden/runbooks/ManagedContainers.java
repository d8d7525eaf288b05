package dev.warden.runbooks;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.warden.runbooks.docker.ContainerEngine;
import dev.warden.runbooks.docker.ContainerInfo;
import dev.warden.runbooks.docker.ContainerSelector;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The containers Warden may touch, and what it remembers of them. Every Docker action
 * selects its targets here: a selection that includes a container outside the allowlist
 * is refused whole, with the reason, in runs and dry-runs alike.
 */
@Component
class ManagedContainers {

	/**
	 * A label naming the image a container group should roll back to, honoured before the
	 * history.
	 */
	static final String PREVIOUS_IMAGE_LABEL = "warden.previous-image";

	private final ContainerEngine engine;

	private final RunbookSafetySettings safety;

	private final JdbcClient jdbc;

	private final Clock clock;

	ManagedContainers(ContainerEngine engine, RunbookSafetySettings safety, JdbcClient jdbc, Clock clock) {
		this.engine = engine;
		this.safety = safety;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	ContainerEngine engine() {
		return this.engine;
	}

	/**
	 * The selector a step's parameters describe: {@code container} or {@code selector}.
	 */
	static ContainerSelector selectorOf(StepParameters parameters) {
		Optional<String> name = parameters.has("container") ? parameters.optionalString("container") : Optional.empty();
		return name.map(ContainerSelector::byName)
			.orElseGet(() -> ContainerSelector.byLabels(parameters.labels("selector")));
	}

	/**
	 * The containers the selector picks, newest first, all allowlisted.
	 * @throws Refused naming every container outside the allowlist, or when none matches
	 */
	List<ContainerInfo> select(ContainerSelector selector) {
		List<ContainerInfo> found = this.engine.find(selector);
		if (found.isEmpty()) {
			throw new Refused("no container matches " + selector);
		}
		List<String> refused = found.stream()
			.filter((container) -> !isAllowed(container))
			.map(ContainerInfo::name)
			.toList();
		if (!refused.isEmpty()) {
			throw new Refused(
					"REFUSED: %s not allowlisted (needs label %s or a name in warden.runbooks.safety.allowlist-names)"
						.formatted(String.join(", ", refused), this.safety.allowlistLabel()));
		}
		return found;
	}

	boolean isAllowed(ContainerInfo container) {
		return this.safety.allowlistLabelValue().equals(container.labels().get(this.safety.allowlistLabelName()))
				|| this.safety.allowlistNames().contains(container.name());
	}

	int minReplicas() {
		return this.safety.minReplicas();
	}

	int maxReplicas() {
		return this.safety.maxReplicas();
	}

	/** Remembers the images a group's containers run, for rollbacks. */
	void observe(ContainerSelector group, List<ContainerInfo> containers) {
		String key = groupKey(group);
		Timestamp now = Timestamp.from(this.clock.instant());
		containers.stream()
			.map(ContainerInfo::image)
			.distinct()
			.forEach((image) -> this.jdbc.sql("""
					insert into container_image_history (group_key, image, first_seen, last_seen) values (?, ?, ?, ?)
					on conflict (group_key, image) do update set last_seen = excluded.last_seen""")
				.params(key, image, now, now)
				.update());
	}

	/**
	 * The image a group should roll back to: the one its containers name in
	 * {@value #PREVIOUS_IMAGE_LABEL}, else the image Warden saw the group run most
	 * recently other than the one its newest container runs now. A run decides this once
	 * and keeps to it (see {@link DockerRollbackAction}), so repeating it is harmless.
	 */
	Optional<String> previousImage(ContainerSelector group, List<ContainerInfo> containers) {
		Optional<String> labelled = containers.stream()
			.map((container) -> container.labels().get(PREVIOUS_IMAGE_LABEL))
			.filter((image) -> image != null && !image.isBlank())
			.findFirst();
		if (labelled.isPresent()) {
			return labelled;
		}
		String current = containers.getFirst().image();
		return this.jdbc.sql("""
				select image from container_image_history where group_key = ? and image <> ?
				order by last_seen desc, id desc limit 1""")
			.params(groupKey(group), current)
			.query(String.class)
			.optional();
	}

	static String groupKey(ContainerSelector selector) {
		return (selector.name() != null) ? "name=" + selector.name()
				: new TreeMap<>(selector.labels()).entrySet()
					.stream()
					.map((entry) -> entry.getKey() + "=" + entry.getValue())
					.collect(Collectors.joining(","));
	}

	static Map<String, String> describe(ContainerInfo container) {
		return Map.of("name", container.name(), "image", container.image(), "running",
				String.valueOf(container.running()));
	}

	/** A selection Warden will not act on. */
	static class Refused extends RuntimeException {

		Refused(String message) {
			super(message);
		}

	}

}
