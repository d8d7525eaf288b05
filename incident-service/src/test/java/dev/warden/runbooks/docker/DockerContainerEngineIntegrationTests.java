package dev.warden.runbooks.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@link DockerContainerEngine} against a real Docker engine (see
 * {@link DockerEngineAvailable}). Every test makes its own containers from
 * {@code warden-test/app:1}, without a network, labelled with a run id that cleans them
 * up afterwards.
 */
@ExtendWith(DockerEngineAvailable.class)
class DockerContainerEngineIntegrationTests {

	private static final String IMAGE = "warden-test/app:1";

	private static final String NEXT_IMAGE = "warden-test/app:2";

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private DockerClient docker;

	private DockerContainerEngine engine;

	@BeforeEach
	void connect() {
		this.docker = DockerEngineAvailable.client();
		DockerEngineAvailable.assumeImages(this.docker, IMAGE, NEXT_IMAGE);
		this.engine = new DockerContainerEngine(settings(DockerEngineAvailable.host(), Duration.ofSeconds(30)));
	}

	@AfterEach
	void removeContainersAndDisconnect() throws IOException {
		if (this.docker != null) {
			for (Container container : this.docker.listContainersCmd()
				.withShowAll(true)
				.withLabelFilter(Map.of("warden.test-run", this.run))
				.exec()) {
				this.docker.removeContainerCmd(container.getId()).withForce(true).exec();
			}
			this.docker.close();
		}
		if (this.engine != null) {
			this.engine.close();
		}
	}

	@Test
	void findsContainersByLabelsNewestFirst() {
		String oldest = start(name("a"), Map.of("app", "chat"));
		String middle = start(name("b"), Map.of("app", "chat"));
		String newest = create(name("c"), Map.of("app", "chat"));
		start(name("other"), Map.of("app", "embeddings"));

		List<ContainerInfo> found = this.engine
			.find(ContainerSelector.byLabels(Map.of("warden.test-run", this.run, "app", "chat")));

		assertThat(found).extracting(ContainerInfo::id).containsExactly(newest, middle, oldest);
		assertThat(found).extracting(ContainerInfo::name).containsExactly(name("c"), name("b"), name("a"));
		ContainerInfo running = found.get(1);
		assertThat(running.running()).isTrue();
		assertThat(running.image()).isEqualTo(IMAGE);
		assertThat(running.imageId()).isEqualTo(this.docker.inspectImageCmd(IMAGE).exec().getId());
		assertThat(running.labels()).containsEntry("app", "chat").containsEntry("warden.managed", "true");
		assertThat(running.startedAt()).isEqualTo(Instant.parse(inspect(middle).getState().getStartedAt()));
		assertThat(running.createdAt()).isEqualTo(Instant.parse(inspect(middle).getCreated()));
		ContainerInfo neverStarted = found.get(0);
		assertThat(neverStarted.running()).isFalse();
		assertThat(neverStarted.startedAt()).isNull();
	}

	@Test
	void findsAContainerByItsExactName() {
		String wanted = start(name("db.1"), Map.of());
		start(name("dbx1"), Map.of());
		start(name("db.1-replica"), Map.of());

		List<ContainerInfo> found = this.engine.find(ContainerSelector.byName(name("db.1")));

		assertThat(found).singleElement().satisfies((info) -> {
			assertThat(info.id()).isEqualTo(wanted);
			assertThat(info.name()).isEqualTo(name("db.1"));
		});
		assertThat(this.engine.find(ContainerSelector.byName(name("gone")))).isEmpty();
	}

	@Test
	void restartStartsTheContainerAgain() {
		String id = start(name("web"), Map.of());
		Instant startedBefore = Instant.parse(inspect(id).getState().getStartedAt());

		this.engine.restart(id, STOP_TIMEOUT);

		InspectContainerResponse after = inspect(id);
		assertThat(after.getState().getRunning()).isTrue();
		assertThat(Instant.parse(after.getState().getStartedAt())).isAfter(startedBefore);
		assertThat(this.engine.inspect(id).startedAt()).isEqualTo(Instant.parse(after.getState().getStartedAt()));
	}

	@Test
	void cloneStartsARunningCopyWithTheSameConfiguration() {
		String templateId = this.docker.createContainerCmd(IMAGE)
			.withName(name("worker"))
			.withLabels(labels(Map.of("app", "chat", "role", "worker")))
			.withEnv("APP_MODE=canary", "MODEL=small")
			.withCmd("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 100001 & wait")
			.withWorkingDir("/tmp")
			.withHostConfig(HostConfig.newHostConfig()
				.withNetworkMode("none")
				.withRestartPolicy(RestartPolicy.unlessStoppedRestart()))
			.exec()
			.getId();
		this.docker.startContainerCmd(templateId).exec();
		InspectContainerResponse template = inspect(templateId);

		ContainerInfo clone = this.engine.cloneOf(this.engine.inspect(templateId));

		InspectContainerResponse copy = inspect(clone.id());
		assertThat(clone.id()).isNotEqualTo(templateId);
		assertThat(clone.name()).startsWith(name("worker") + "-").isNotEqualTo(name("worker"));
		assertThat(clone.running()).isTrue();
		assertThat(copy.getState().getRunning()).isTrue();
		assertThat(copy.getConfig().getImage()).isEqualTo(IMAGE);
		assertThat(copy.getImageId()).isEqualTo(template.getImageId());
		assertThat(copy.getConfig().getCmd()).containsExactly(template.getConfig().getCmd());
		assertThat(copy.getConfig().getEnv()).contains("APP_MODE=canary", "MODEL=small");
		assertThat(copy.getConfig().getLabels()).isEqualTo(template.getConfig().getLabels());
		assertThat(copy.getConfig().getWorkingDir()).isEqualTo("/tmp");
		assertThat(copy.getHostConfig().getNetworkMode()).isEqualTo("none");
		assertThat(copy.getHostConfig().getRestartPolicy()).isEqualTo(RestartPolicy.unlessStoppedRestart());
		assertThat(inspect(templateId).getState().getRunning()).isTrue();
	}

	@Test
	void cloneRunsTheTemplatesImageEvenAfterItsTagMoved() {
		String tag = "moving-" + this.run;
		String firstImageId = this.docker.inspectImageCmd(IMAGE).exec().getId();
		this.docker.tagImageCmd(IMAGE, "warden-test/app", tag).exec();
		try {
			String templateId = this.docker.createContainerCmd("warden-test/app:" + tag)
				.withName(name("pinned"))
				.withLabels(labels(Map.of()))
				.withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
				.exec()
				.getId();
			this.docker.startContainerCmd(templateId).exec();
			this.docker.tagImageCmd(NEXT_IMAGE, "warden-test/app", tag).withForce(true).exec();

			ContainerInfo clone = this.engine.cloneOf(this.engine.inspect(templateId));

			assertThat(clone.imageId()).isEqualTo(firstImageId);
			assertThat(clone.running()).isTrue();
		}
		finally {
			this.docker.removeImageCmd("warden-test/app:" + tag).exec();
		}
	}

	@Test
	void stopAndRemoveRemovesARunningContainer() {
		String id = start(name("old"), Map.of());

		this.engine.stopAndRemove(id, STOP_TIMEOUT);

		assertGone(id);
	}

	@Test
	void stopAndRemoveAlsoRemovesAStoppedContainer() {
		String id = start(name("stopped"), Map.of());
		this.docker.stopContainerCmd(id).withTimeout(5).exec();

		this.engine.stopAndRemove(id, STOP_TIMEOUT);

		assertGone(id);
	}

	@Test
	void recreatePutsTheContainerOnTheNewImageUnderTheSameName() {
		String oldId = start(name("app"), Map.of("app", "chat"), "APP_MODE=blue");
		ContainerInfo old = this.engine.inspect(oldId);
		assertThat(old.labels()).containsEntry("dev.warden.test-image", "1");

		ContainerInfo recreated = this.engine.recreate(old, NEXT_IMAGE, STOP_TIMEOUT);

		InspectContainerResponse current = inspect(name("app"));
		assertThat(recreated.id()).isEqualTo(current.getId()).isNotEqualTo(oldId);
		assertThat(recreated.name()).isEqualTo(name("app"));
		assertThat(recreated.image()).isEqualTo(NEXT_IMAGE);
		assertThat(recreated.imageId()).isEqualTo(this.docker.inspectImageCmd(NEXT_IMAGE).exec().getId());
		assertThat(recreated.running()).isTrue();
		assertThat(current.getConfig().getLabels()).containsEntry("app", "chat")
			.containsEntry("warden.managed", "true")
			.containsEntry("warden.test-run", this.run)
			// the new image's own label, not the old image's
			.containsEntry("dev.warden.test-image", "2");
		assertThat(current.getConfig().getEnv()).contains("APP_MODE=blue");
		assertThat(current.getHostConfig().getNetworkMode()).isEqualTo("none");
		assertGone(oldId);
		assertThat(this.engine.find(ContainerSelector.byLabels(Map.of("warden.test-run", this.run))))
			.extracting(ContainerInfo::id)
			.containsExactly(recreated.id());
	}

	@Test
	void recreateOnAMissingImageLeavesTheContainerRunning() {
		String id = start(name("api"), Map.of());
		ContainerInfo container = this.engine.inspect(id);

		assertThatExceptionOfType(ContainerEngineException.class)
			.isThrownBy(() -> this.engine.recreate(container, "warden-test/app:missing", STOP_TIMEOUT))
			.withMessageContaining("Cannot recreate container " + name("api"))
			.withMessageContaining("no such image");

		assertThat(inspect(id).getState().getRunning()).isTrue();
		assertThat(this.engine.find(ContainerSelector.byLabels(Map.of("warden.test-run", this.run))))
			.extracting(ContainerInfo::id)
			.containsExactly(id);
	}

	@Test
	void removedContainerCannotBeInspectedOrRestarted() {
		String id = start(name("gone"), Map.of());
		this.docker.removeContainerCmd(id).withForce(true).exec();

		assertThatExceptionOfType(ContainerEngineException.class).isThrownBy(() -> this.engine.inspect(id))
			.withMessage("Cannot inspect container " + id.substring(0, 12) + ": no such container");
		assertThatExceptionOfType(ContainerEngineException.class)
			.isThrownBy(() -> this.engine.restart(id, STOP_TIMEOUT))
			.withMessage("Cannot restart container " + id.substring(0, 12) + ": no such container");
		assertThatExceptionOfType(ContainerEngineException.class)
			.isThrownBy(() -> this.engine.stopAndRemove(name("gone"), STOP_TIMEOUT))
			.withMessage("Cannot stop and remove container " + name("gone") + ": no such container");
	}

	@Test
	void stopTimeoutMustBeShorterThanTheResponseTimeout() {
		String id = start(name("slow"), Map.of());
		String startedAt = inspect(id).getState().getStartedAt();

		assertThatExceptionOfType(ContainerEngineException.class)
			.isThrownBy(() -> this.engine.restart(id, Duration.ofSeconds(30)))
			.withMessage("Cannot restart container " + id.substring(0, 12)
					+ ": the stop timeout 30s is not shorter than the response timeout 30s"
					+ " (warden.docker.response-timeout)");
		assertThat(inspect(id).getState().getStartedAt()).isEqualTo(startedAt);
	}

	@Test
	void engineAtAMissingSocketIsUnavailableAndUnreachable() throws IOException {
		String host = "unix:///tmp/warden-docker/missing-" + this.run + ".sock";
		try (DockerContainerEngine missing = new DockerContainerEngine(settings(host, Duration.ofSeconds(30)))) {
			assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
				assertThat(missing.isAvailable()).isFalse();
				assertThatThrownBy(() -> missing.find(ContainerSelector.byName("db")))
					.isInstanceOf(ContainerEngineException.class)
					.hasMessageStartingWith(
							"Cannot list containers with name=db: Docker engine at " + host + " is unreachable: ");
			});
		}
	}

	@Test
	void engineThatNeverAnswersTimesOutWithinTheResponseTimeout() throws Exception {
		Path socket = Files.createTempDirectory("warden-mute").resolve("docker.sock");
		List<SocketChannel> held = new CopyOnWriteArrayList<>();
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			Thread.ofVirtual().start(() -> {
				try {
					while (true) {
						held.add(server.accept());
					}
				}
				catch (IOException ex) {
					// closed at the end of the test
				}
			});
			try (DockerContainerEngine mute = new DockerContainerEngine(
					settings("unix://" + socket, Duration.ofSeconds(2)))) {
				assertTimeoutPreemptively(Duration.ofSeconds(8), () -> {
					assertThat(mute.isAvailable()).isFalse();
					assertThatThrownBy(() -> mute.restart("db-1", Duration.ofSeconds(1)))
						.isInstanceOf(ContainerEngineException.class)
						.hasMessage("Cannot restart container db-1: Docker engine at unix://" + socket
								+ " did not answer within 2s");
				});
			}
		}
		finally {
			for (SocketChannel channel : held) {
				channel.close();
			}
			Files.deleteIfExists(socket);
			Files.deleteIfExists(socket.getParent());
		}
	}

	private String start(String name, Map<String, String> labels, String... env) {
		String id = create(name, labels, env);
		this.docker.startContainerCmd(id).exec();
		return id;
	}

	private String create(String name, Map<String, String> labels, String... env) {
		return this.docker.createContainerCmd(IMAGE)
			.withName(name)
			.withLabels(labels(labels))
			.withEnv(env)
			.withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
			.exec()
			.getId();
	}

	private Map<String, String> labels(Map<String, String> labels) {
		Map<String, String> all = new HashMap<>(labels);
		all.put("warden.managed", "true");
		all.put("warden.test-run", this.run);
		return all;
	}

	private String name(String suffix) {
		return "warden-it-" + this.run + "-" + suffix;
	}

	private InspectContainerResponse inspect(String idOrName) {
		return this.docker.inspectContainerCmd(idOrName).exec();
	}

	private void assertGone(String id) {
		assertThatExceptionOfType(NotFoundException.class).isThrownBy(() -> inspect(id));
		assertThat(this.docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec()).isEmpty();
	}

	private static DockerSettings settings(String host, Duration responseTimeout) {
		return new DockerSettings(host, false, null, Duration.ofSeconds(2), responseTimeout, 5);
	}

}
