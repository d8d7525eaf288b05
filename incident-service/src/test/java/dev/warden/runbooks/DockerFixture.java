package dev.warden.runbooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.HostConfig;

import dev.warden.runbooks.docker.DockerEngineAvailable;

/**
 * Containers for runbook tests on the real engine, created straight through the Docker
 * API (not through Warden), with no network, labelled so each test class finds only its
 * own, and removed afterwards.
 */
final class DockerFixture implements AutoCloseable {

	static final String IMAGE_1 = "warden-test/app:1";

	static final String IMAGE_2 = "warden-test/app:2";

	final String run;

	private final DockerClient docker;

	private final List<String> created = new ArrayList<>();

	DockerFixture() {
		this(newRun());
	}

	/**
	 * A fixture for a run id the test class chose already, e.g. to declare it in its
	 * runbooks' {@code targets}.
	 */
	DockerFixture(String run) {
		this.run = run;
		this.docker = DockerEngineAvailable.client();
	}

	/**
	 * A fresh run id: the value of the {@code warden.test-run} label of its containers.
	 */
	static String newRun() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/** Starts a container on {@code image} with these labels plus this run's label. */
	String start(String name, String image, Map<String, String> labels) {
		var all = new java.util.HashMap<>(labels);
		all.put("warden.test-run", this.run);
		String id = this.docker.createContainerCmd(image)
			.withName(name + "-" + this.run)
			.withLabels(all)
			.withEnv("ROLE=test", "RUN=" + this.run)
			.withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
			.exec()
			.getId();
		this.created.add(id);
		this.docker.startContainerCmd(id).exec();
		return id;
	}

	InspectContainerResponse inspect(String id) {
		return this.docker.inspectContainerCmd(id).exec();
	}

	Instant startedAt(String id) {
		return Instant.parse(inspect(id).getState().getStartedAt());
	}

	/**
	 * How often the engine restarted the container from {@code since} until now: its
	 * {@code restart} events.
	 */
	int restarts(String id, Instant since) {
		List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		try {
			this.docker.eventsCmd()
				.withSince(String.valueOf(since.getEpochSecond() - 1))
				.withUntil(String.valueOf(Instant.now().getEpochSecond() + 1))
				.withContainerFilter(id)
				.withEventFilter("restart")
				.exec(new ResultCallback.Adapter<Event>() {
					@Override
					public void onNext(Event event) {
						events.add(event);
					}
				})
				.awaitCompletion(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return events.size();
	}

	/** This run's containers with the label, running or not. */
	List<Container> withLabel(String name, String value) {
		return this.docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(Map.of(name, value, "warden.test-run", this.run))
			.exec();
	}

	@Override
	public void close() {
		for (Container container : this.docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(Map.of("warden.test-run", this.run))
			.exec()) {
			this.docker.removeContainerCmd(container.getId()).withForce(true).exec();
		}
		try {
			this.docker.close();
		}
		catch (java.io.IOException ex) {
			// nothing left to clean up
		}
	}

}
