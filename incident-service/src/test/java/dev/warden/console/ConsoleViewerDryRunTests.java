package dev.warden.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.runbooks.docker.DockerEngineAvailable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A viewer's dry-run in the console, against real containers on the real Docker engine:
 * it shows what a rollback and a restart would do, and writes no row in any table (nor
 * changes one Warden remembers about the containers) and changes no container.
 */
@IntegrationTest
@ExtendWith(DockerEngineAvailable.class)
@TestPropertySource(
		properties = { "warden.test.context=console-viewer-dry-run", "db-scheduler.polling-interval=200ms" })
class ConsoleViewerDryRunTests {

	private static final String PASSWORD = "viewer-dry-run-password-0123";

	private static final String IMAGE_1 = "warden-test/app:1";

	private static final String IMAGE_2 = "warden-test/app:2";

	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	private static final Path RUNBOOKS = runbooks();

	private static DockerClient docker;

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
		registry.add("warden.docker.host", DockerEngineAvailable::host);
	}

	@BeforeAll
	static void engine() {
		docker = DockerEngineAvailable.client();
	}

	@AfterAll
	static void cleanUp() throws IOException {
		if (docker != null) {
			for (Container container : docker.listContainersCmd()
				.withShowAll(true)
				.withLabelFilter(Map.of("warden.test-run", RUN))
				.exec()) {
				docker.removeContainerCmd(container.getId()).withForce(true).exec();
			}
			docker.close();
		}
	}

	@Test
	void aViewersDryRunShowsThePlanAndWritesNothingAndTouchesNoContainer() {
		List<String> group = List.of(start("viewer-app-a"), start("viewer-app-b"));
		Map<String, String> containersBefore = state(group);
		long incident = new WardenClient(this.port).open(Payloads.group()
			.firing("fp-viewer-" + RUN, this.clock.instant().minusSeconds(60))
			.summary("Viewer dry-run " + RUN)
			.json());
		ConsoleBrowser viewer = new ConsoleBrowser(this.port)
			.signedIn(ConsoleUserRows.create(this.jdbc, "viewer", PASSWORD), PASSWORD);
		// The session settles (CSRF token and all) on the first page, as in any visit.
		assertThat(viewer.get("/incidents/" + incident).status()).isEqualTo(200);
		// Warden's own watcher records the group's image once a minute: let it, so that
		// it is a minute away, and move the clock on, so that anything the dry-run
		// wrote would carry a new time.
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(imageHistory()).isNotEmpty());
		this.clock.advance(Duration.ofSeconds(1));
		Map<String, Long> rowsBefore = settledRowCounts();
		List<Map<String, Object>> historyBefore = imageHistory();

		ConsoleBrowser.Page rollback = viewer.get("/incidents/" + incident + "/runbooks/viewer-rollback/dry-run");
		ConsoleBrowser.Page restart = viewer.get("/incidents/" + incident + "/runbooks/viewer-restart/dry-run");

		assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
		assertThat(rollback.body()).contains("would recreate viewer-app-a-" + RUN + " on " + IMAGE_1)
			.contains("would recreate viewer-app-b-" + RUN + " on " + IMAGE_1);
		assertThat(restart.status()).as(restart.body()).isEqualTo(200);
		assertThat(restart.body()).contains("would restart viewer-app-a-" + RUN)
			.contains("would restart viewer-app-b-" + RUN);
		assertThat(rowCounts()).as("rows of every table").isEqualTo(rowsBefore);
		assertThat(imageHistory()).as("what Warden remembers of the group's images").isEqualTo(historyBefore);
		assertThat(state(group)).as("the containers, as the engine sees them").isEqualTo(containersBefore);
		assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("warden.test-run", RUN)).exec())
			.as("no container created")
			.hasSize(2);
	}

	private String start(String name) {
		String id = docker.createContainerCmd(IMAGE_2)
			.withName(name + "-" + RUN)
			.withLabels(Map.of("app", "viewer-app", "warden.managed", "true", "warden.test-run", RUN,
					"warden.previous-image", IMAGE_1))
			.withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
			.exec()
			.getId();
		docker.startContainerCmd(id).exec();
		return id;
	}

	/** Each container's id, image, start time and whether it runs. */
	private static Map<String, String> state(List<String> ids) {
		Map<String, String> state = new LinkedHashMap<>();
		for (String id : ids) {
			InspectContainerResponse inspected = docker.inspectContainerCmd(id).exec();
			state.put(id, inspected.getConfig().getImage() + " " + inspected.getState().getStartedAt() + " "
					+ inspected.getState().getRunning() + " " + inspected.getName());
		}
		return state;
	}

	/** Row counts once background work (notifications of the new incident) is done. */
	private Map<String, Long> settledRowCounts() {
		AtomicReference<Map<String, Long>> counts = new AtomicReference<>(rowCounts());
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(counts.getAndSet(rowCounts())).isEqualTo(counts.get()));
		return counts.get();
	}

	/** The number of rows of every table Warden's migrations made. */
	private Map<String, Long> rowCounts() {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : this.jdbc.sql("""
				select table_name from information_schema.tables
				where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name""")
			.query(String.class)
			.list()) {
			counts.put(table, this.jdbc.sql("select count(*) from \"" + table + "\"").query(Long.class).single());
		}
		assertThat(counts).containsKeys("container_image_history", "runbook_execution", "runbook_audit",
				"runbook_target", "timeline_event");
		return counts;
	}

	/** What Warden remembers of this group's images, with the times it saw them. */
	private List<Map<String, Object>> imageHistory() {
		return this.jdbc.sql("select * from container_image_history where group_key = ? order by id")
			.param("app=viewer-app,warden.test-run=" + RUN)
			.query()
			.listOfRows();
	}

	private static Path runbooks() {
		try {
			Path directory = Files.createDirectories(Path.of("target", "test-runbooks", UUID.randomUUID().toString()))
				.toAbsolutePath();
			String selector = "{app: viewer-app, warden.test-run: \"" + RUN + "\"}";
			Files.writeString(directory.resolve("viewer-rollback.yaml"), """
					id: viewer-rollback
					title: Roll the viewer app back
					mode: manual
					steps:
					  - name: Roll back
					    action: docker.rollback
					    with: {selector: %s}
					""".formatted(selector));
			Files.writeString(directory.resolve("viewer-restart.yaml"), """
					id: viewer-restart
					title: Restart the viewer app
					mode: manual
					steps:
					  - name: Restart
					    action: docker.restart
					    with: {selector: %s}
					""".formatted(selector));
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
