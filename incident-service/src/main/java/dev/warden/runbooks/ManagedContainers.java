package dev.warden.runbooks;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
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
	 * {@value #PREVIOUS_IMAGE_LABEL}; else, while the group runs the newest image Warden
	 * has seen it run (the latest deploy) or one it has not seen yet, the image it ran
	 * most recently before that deploy; and once it runs an older image (rolled back
	 * already), that image, so that running a rollback again changes nothing.
	 */
	Optional<String> previousImage(ContainerSelector group, List<ContainerInfo> containers) {
		Optional<String> labelled = containers.stream()
			.map((container) -> container.labels().get(PREVIOUS_IMAGE_LABEL))
			.filter((image) -> image != null && !image.isBlank())
			.findFirst();
		if (labelled.isPresent()) {
			return labelled;
		}
		List<SeenImage> history = this.jdbc
			.sql("select image, first_seen, last_seen from container_image_history where group_key = ?")
			.param(groupKey(group))
			.query((row, n) -> new SeenImage(row.getString(1), row.getTimestamp(2).toInstant(),
					row.getTimestamp(3).toInstant()))
			.list();
		String current = containers.getFirst().image();
		if (history.stream().noneMatch((seen) -> seen.image().equals(current))) {
			// A deploy Warden has not seen yet (a dry-run only looks): the newest of all,
			// so the previous image is the one the group ran most recently.
			return history.stream().max(Comparator.comparing(SeenImage::lastSeen)).map(SeenImage::image);
		}
		Optional<SeenImage> deployed = history.stream().max(Comparator.comparing(SeenImage::firstSeen));
		if (deployed.isEmpty() || !deployed.get().image().equals(current)) {
			return deployed.map((latest) -> current);
		}
		return history.stream()
			.filter((seen) -> seen.firstSeen().isBefore(deployed.get().firstSeen()))
			.max(Comparator.comparing(SeenImage::lastSeen))
			.map(SeenImage::image);
	}

	private record SeenImage(String image, Instant firstSeen, Instant lastSeen) {
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
