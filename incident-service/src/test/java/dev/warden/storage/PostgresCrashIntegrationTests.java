package dev.warden.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.WardenClient;
import dev.warden.WardenProcess;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole PostgreSQL crash under Warden's embedded database: every process of the server
 * is killed with SIGKILL right after a burst of webhooks was answered 200, while what
 * they wrote lives only in the write-ahead log (no checkpoint since), and Warden is
 * restarted on the same data directory. With PostgreSQL's durable settings (Warden's
 * default) crash recovery brings back every acknowledged alert; with the embedded
 * library's own test settings ({@code synchronous_commit=off}) the last commits before
 * such a kill can vanish.
 */
class PostgresCrashIntegrationTests {

	/** Acknowledged webhooks after which PostgreSQL is killed. */
	private static final int BURST = 300;

	private static final int SENDERS = 8;

	private static final Pattern REDO_STARTS = Pattern.compile("redo starts at ([0-9A-F]+/[0-9A-F]+)");

	private final List<WardenProcess> instances = new ArrayList<>();

	private final Path storage = Path.of("target", "test-data", "postgres-crash-" + UUID.randomUUID());

	@AfterEach
	void stop() throws IOException {
		this.instances.forEach(WardenProcess::close);
		// The JVM's SIGKILL leaves its embedded PostgreSQL running (zonky stops it from a
		// shutdown hook): stop it here so no test leaves a server behind.
		killPostgres(this.storage.resolve("postgres"));
	}

	@Test
	void everyWebhookAnswered200SurvivesPostgresKilledRightAfter() throws Exception {
		WardenProcess warden = start("postgres-crash-before");
		Path data = this.storage.resolve("postgres");
		long burstStart;
		try (Connection connection = connect(data)) {
			assertThat(settings(connection)).containsEntry("fsync", "on")
				.containsEntry("synchronous_commit", "on")
				.containsEntry("full_page_writes", "on");
			burstStart = lsn(single(connection, "select pg_current_wal_insert_lsn()::text"));
		}

		List<Acknowledged> acknowledged = burstThenKill(new WardenClient(warden.port), data);
		warden.kill();

		WardenProcess restarted = start("postgres-crash-after");
		String log = Files.readString(restarted.log());
		assertThat(log).as("PostgreSQL recovered from a crash, not from a clean shutdown")
			.contains("database system was not properly shut down");
		Matcher redo = REDO_STARTS.matcher(log);
		assertThat(redo.find()).as("crash recovery replayed the write-ahead log").isTrue();
		assertThat(lsn(redo.group(1))).as("the burst was only in the write-ahead log: no checkpoint since it began")
			.isLessThanOrEqualTo(burstStart);

		try (Connection connection = connect(data)) {
			Map<Long, Set<String>> stored = storedAlerts(connection);
			for (Acknowledged each : acknowledged) {
				assertThat(stored.get(each.incident())).as("alerts of incident %d, answered 200", each.incident())
					.isNotNull()
					.containsAll(each.fingerprints());
			}
		}
		assertThat(
				new WardenClient(restarted.port).get("/api/v1/incidents/" + acknowledged.getLast().incident()).status())
			.isEqualTo(200);
	}

	@Test
	void wardenKilledLeavesNoServerInTheWayOfTheNextStart() throws Exception {
		WardenProcess warden = start("warden-killed");
		long incident = new WardenClient(warden.port).open(Payloads.firing("Before the kill", Instant.now()));
		warden.kill();
		Path data = this.storage.resolve("postgres");
		List<ProcessHandle> leftover = serverProcesses(data);
		assertThat(leftover).as("the killed JVM left its PostgreSQL running").isNotEmpty();

		var settings = new StorageSettings(this.storage,
				new StorageSettings.EmbeddedPostgresSettings(0, "warden", true));
		try (EmbeddedPostgres postgres = new EmbeddedPostgresConfiguration().embeddedPostgres(settings)) {
			assertThat(leftover.getFirst().isAlive()).as("the old server was stopped").isFalse();
			assertThat(JdbcClient.create(postgres.getDatabase("postgres", "warden"))
				.sql("select count(*) from incident where id = ?")
				.param(incident)
				.query(Long.class)
				.single()).isEqualTo(1);
		}
	}

	/**
	 * Senders post new groups; the sender that receives the {@link #BURST}th 200 kills
	 * every process of the PostgreSQL server at once, so the newest acknowledged commits
	 * are milliseconds old. Requests still in flight get whatever they get.
	 */
	private static List<Acknowledged> burstThenKill(WardenClient warden, Path data) throws Exception {
		ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
		AtomicInteger answered = new AtomicInteger();
		CountDownLatch killed = new CountDownLatch(1);
		ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
		for (int i = 0; i < SENDERS; i++) {
			senders.execute(() -> {
				while (killed.getCount() > 0) {
					String first = "fp-crash-" + UUID.randomUUID();
					String second = "fp-crash-" + UUID.randomUUID();
					Payloads.Group group = Payloads.group()
						.firing(first, Instant.now().minusSeconds(30))
						.firing(second, Instant.now().minusSeconds(30));
					try {
						WardenClient.Response response = warden.webhook(group.json());
						if (response.status() == 200) {
							acknowledged.add(
									new Acknowledged(response.json().get("incident").asLong(), List.of(first, second)));
							if (answered.incrementAndGet() == BURST) {
								kill(serverProcesses(data));
								killed.countDown();
							}
						}
					}
					catch (RuntimeException ex) {
						// the server went away mid-request: not acknowledged
					}
				}
			});
		}
		assertThat(killed.await(2, TimeUnit.MINUTES)).as("%d webhooks answered 200", BURST).isTrue();
		senders.shutdown();
		assertThat(senders.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
		return List.copyOf(acknowledged);
	}

	/**
	 * Stops whatever is left of the PostgreSQL server in {@code data}, as a crash would.
	 */
	static void killPostgres(Path data) throws IOException {
		kill(serverProcesses(data));
	}

	/**
	 * The postmaster running in {@code data} and all its children; none if it is down.
	 */
	static List<ProcessHandle> serverProcesses(Path data) {
		try {
			Path pidFile = data.resolve("postmaster.pid");
			if (!Files.exists(pidFile)) {
				return List.of();
			}
			long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
			return ProcessHandle.of(pid)
				.filter((process) -> process.info().command().orElse("").endsWith("/postgres"))
				.map((postmaster) -> Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList())
				.orElse(List.of());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * SIGKILL to each process, one system call each and the postmaster first: nothing
	 * gets to write out what it holds in memory.
	 */
	static void kill(List<ProcessHandle> server) {
		server.forEach(ProcessHandle::destroyForcibly);
		for (ProcessHandle process : server) {
			try {
				process.onExit().get(30, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new IllegalStateException("PostgreSQL process " + process.pid() + " did not die", ex);
			}
		}
	}

	/** A connection to the embedded PostgreSQL that runs in {@code data}. */
	static Connection connect(Path data) throws IOException, SQLException {
		List<String> pid = Files.readAllLines(data.resolve("postmaster.pid"));
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pid.get(3).strip() + "/warden", "postgres",
				"postgres");
	}

	static Map<String, String> settings(Connection connection) throws SQLException {
		Map<String, String> settings = new HashMap<>();
		for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
			settings.put(name, single(connection, "show " + name));
		}
		return settings;
	}

	private static Map<Long, Set<String>> storedAlerts(Connection connection) throws SQLException {
		Map<Long, Set<String>> alerts = new HashMap<>();
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select incident_id, fingerprint from alert")) {
			while (rows.next()) {
				alerts.computeIfAbsent(rows.getLong(1), (id) -> new HashSet<>()).add(rows.getString(2));
			}
		}
		return alerts;
	}

	private static String single(Connection connection, String query) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
			result.next();
			return result.getString(1);
		}
	}

	/** A write-ahead log position such as {@code 0/1A2B3C8} as a number. */
	private static long lsn(String text) {
		String[] parts = text.split("/");
		return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
	}

	private WardenProcess start(String name) {
		Map<String, String> properties = new HashMap<>();
		properties.put("warden.storage.directory", this.storage.toString());
		properties.put("warden.alertmanager.bearer-token", IntegrationTest.WEBHOOK_TOKEN);
		properties.put("warden.api.token", IntegrationTest.API_TOKEN);
		// PostgreSQL's own log (crash recovery and its redo start) goes to Warden's log.
		properties.put("logging.level.io.zonky.test.db.postgres", "info");
		WardenProcess instance = WardenProcess.start(name, properties);
		this.instances.add(instance);
		return instance;
	}

	private record Acknowledged(long incident, List<String> fingerprints) {
	}

}
