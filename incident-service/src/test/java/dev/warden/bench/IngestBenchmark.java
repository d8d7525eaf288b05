package dev.warden.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.WardenClient;
import dev.warden.WardenProcess;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast Warden takes in Alertmanager webhooks, next to what its PostgreSQL can take
 * for the same rows written by plain JDBC, and how long the work that follows an
 * incident's commit takes. A benchmark to rerun, not a test: it asserts only that the
 * database is crash-safe, that no webhook failed and that every incident is stored, and
 * writes the table to {@code target/benchmark/ingest.txt}. Run it with
 * {@code ./mvnw -pl incident-service test -Dtest=IngestBenchmark -Dwarden.test.excluded-groups= -Dwarden.test.jvm-options=}
 * ({@code -Dwarden.ingest-bench.load=60s} to measure each load longer than the default 15
 * s; the whole run takes about 5 minutes on a 2-core machine;
 * {@code -Dwarden.ingest-bench.after-commit-only=true} runs the after-commit load alone).
 * <p>
 * Warden runs as users run it: its own JVM, no datasource configured, so it starts its
 * embedded PostgreSQL with the production settings ({@code fsync},
 * {@code synchronous_commit} and {@code full_page_writes} on, read back and asserted
 * here). Its port is fixed by {@code warden.storage.embedded-postgres.port}, so the
 * plain-SQL baseline connects to the same server and writes copies of Warden's tables in
 * a schema of its own ({@code ingest_bench}): same columns, indexes and constraints,
 * without Warden reading them or its job scheduler picking up their jobs. The loads only
 * read Warden's public HTTP API and its tables' columns, so the benchmark measures any
 * version of the webhook flow.
 * <p>
 * Only the after-commit load's alerts choose the benchmark's runbook (a {@code notify}
 * step, no Docker), so the other loads measure ingest as the first table did;
 * every incident is routed by a one-route file that notifies nobody (Slack and email are
 * off). Each load starts once the after-commit work of the load before is done; how many
 * changes were left to follow and how long that took is reported: how far the followers
 * fall behind a load and how fast they catch up.
 */
@Tag("benchmark")
class IngestBenchmark {

	/**
	 * How long each load runs. Warden's loads follow one warm-up of half that length,
	 * each plain-SQL load one of a quarter.
	 */
	private static final Duration LOAD = Duration
		.parse("PT" + System.getProperty("warden.ingest-bench.load", "15s").toUpperCase(Locale.ROOT));

	/**
	 * New incidents per second on the after-commit path, sent open loop: the issue's
	 * rate, and one this machine's followers keep up with.
	 */
	private static final int AFTER_COMMIT_RATE = Integer.getInteger("warden.ingest-bench.after-commit-rate", 50);

	private static final int AFTER_COMMIT_SUSTAINED_RATE = 15;

	private static final Duration AFTER_COMMIT_LOAD = Duration.ofSeconds(20);

	/** Resends of the 1,000-alert group, one after the other. */
	private static final int BIG_GROUP_RESENDS = 20;

	/** Only the after-commit load's alerts start the benchmark's runbook. */
	private static final String RUNBOOK_ALERT = "IngestBenchRunbook";

	private static final String ALERT = "InferenceLatencyHigh";

	private static final Pattern INCIDENT = Pattern.compile("\"incident\":(\\d+)");

	private static final Pattern OUTCOME = Pattern.compile("\"outcome\":\"([a-z]+)\"");

	private static final List<String> DURABILITY = List.of("fsync", "synchronous_commit", "full_page_writes");

	private final Path storage = Path.of("target", "test-data", "ingest-bench-" + UUID.randomUUID());

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private final AtomicLong groups = new AtomicLong();

	private WardenProcess warden;

	private String jdbcUrl;

	@AfterEach
	void stop() throws IOException {
		if (this.warden != null) {
			this.warden.stop();
		}
		// A Warden that had to be killed leaves its PostgreSQL running (the library stops
		// it from a shutdown hook).
		Path pidFile = this.storage.resolve("postgres").resolve("postmaster.pid");
		if (Files.exists(pidFile)) {
			ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().strip()))
				.filter((process) -> process.info().command().orElse("").endsWith("/postgres"))
				.ifPresent((postmaster) -> {
					postmaster.destroy();
					postmaster.onExit().orTimeout(60, TimeUnit.SECONDS).join();
				});
		}
		FileSystemUtils.deleteRecursively(this.storage);
	}

	@Test
	void ingestLoadsBesidePlainSqlOnTheSameCrashSafePostgres() throws Exception {
		String loadBefore = loadAverage();
		int postgresPort = WardenProcess.freePort();
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("warden.storage.directory", this.storage.toString());
		properties.put("warden.storage.embedded-postgres.port", String.valueOf(postgresPort));
		properties.put("warden.alertmanager.bearer-token", IntegrationTest.WEBHOOK_TOKEN);
		properties.put("warden.api.token", IntegrationTest.API_TOKEN);
		properties.put("warden.runbooks.directory", runbooks().toString());
		properties.put("warden.routing.file", routing().toString());
		this.warden = WardenProcess.startForMeasuring("ingest-bench", properties);
		this.jdbcUrl = "jdbc:postgresql://127.0.0.1:" + postgresPort + "/warden";
		Map<String, String> durability = durability();
		assertThat(durability).as("Warden's embedded PostgreSQL is crash-safe")
			.containsEntry("fsync", "on")
			.containsEntry("synchronous_commit", "on")
			.containsEntry("full_page_writes", "on");

		if (Boolean.getBoolean("warden.ingest-bench.after-commit-only")) {
			// For working on the after-commit path: its load alone, reported alone.
			afterCommit(AFTER_COMMIT_RATE, Duration.ofSeconds(2));
			Drain drain = drain("after-commit warm-up");
			StringBuilder backlog = new StringBuilder();
			Thread sampler = Thread.ofVirtual().start(() -> sampleBacklog(backlog));
			AfterCommit afterCommit = afterCommit(AFTER_COMMIT_RATE, AFTER_COMMIT_LOAD);
			sampler.interrupt();
			sampler.join();
			String report = report(durability, loadBefore, List.of(), List.of(drain), List.of(afterCommit), Map.of(),
					Map.of()) + "\nDue jobs each second during the load (task priority: due/picked):\n" + backlog;
			Files.createDirectories(Path.of("target", "benchmark"));
			Files.writeString(Path.of("target", "benchmark", "ingest-after-commit.txt"), report);
			System.out.println(report);
			assertThat(afterCommit.missing()).as("incidents never routed or never started their runbook").isZero();
			return;
		}
		List<Row> rows = new ArrayList<>();
		closedLoop(16, LOAD.dividedBy(2), newIncidents(1), null);
		// Each load starts on a quiet Warden: the after-commit work a load left behind is
		// done first (and timed), so that no load, plain SQL included, is measured
		// beside an earlier load's backlog.
		List<Drain> drains = new ArrayList<>();
		drains.add(drain("warm-up"));

		// a, then c, each between two counts of the rows written, then the rest.
		Map<String, long[]> statsBeforeA = tableStats();
		List<String> sentInA = Collections.synchronizedList(new ArrayList<>());
		Measured a = closedLoop(16, LOAD, newIncidents(1), sentInA);
		drains.add(drain("a"));
		Map<String, long[]> statsBeforeC = tableStats();
		Map<String, Double> rowsPerWebhookA = rowsPerWebhook(statsBeforeA, statsBeforeC, a.webhooks());
		Measured c = closedLoop(16, LOAD, newIncidents(50), null);
		drains.add(drain("c"));
		Map<String, Double> rowsPerWebhookC = rowsPerWebhook(statsBeforeC, tableStats(), c.webhooks());

		Measured b = closedLoop(64, LOAD, newIncidents(1), null);
		drains.add(drain("b"));

		AtomicInteger next = new AtomicInteger();
		Measured d = closedLoop(16, LOAD, (recorder) -> recorder
			.post(sentInA.get(Math.floorMod(next.getAndIncrement(), sentInA.size())), "attached", 1), null);

		Measured e = closedLoop(16, LOAD, (recorder) -> {
			Group group = newGroup(ALERT, 1);
			recorder.post(group.firing(), "opened", 1);
			recorder.post(group.resolved(), "attached", 1);
		}, null);
		drains.add(drain("e"));

		Measured f = bigGroupResent();
		drains.add(drain("f"));

		Measured plainA = plainSql(1);
		Measured plainC = plainSql(50);

		afterCommit(AFTER_COMMIT_RATE, Duration.ofSeconds(2));
		drains.add(drain("after-commit warm-up"));
		AfterCommit afterCommit = afterCommit(AFTER_COMMIT_RATE, AFTER_COMMIT_LOAD);
		drains.add(drain("after-commit at %d/s".formatted(AFTER_COMMIT_RATE)));
		AfterCommit sustained = afterCommit(AFTER_COMMIT_SUSTAINED_RATE, AFTER_COMMIT_LOAD);
		drains.add(drain("after-commit at %d/s".formatted(AFTER_COMMIT_SUSTAINED_RATE)));

		rows.add(new Row("a. new incident per webhook, 1 alert", 16, a, 1, plainA));
		rows.add(new Row("b. new incident per webhook, 1 alert", 64, b, 1, plainA));
		rows.add(new Row("c. new incident per webhook, 50 alerts", 16, c, 50, plainC));
		rows.add(new Row("d. identical resend (replay) of a's", 16, d, 1, null));
		rows.add(new Row("e. fire, then resolve (2 webhooks)", 16, e, 1, null));
		rows.add(new Row("f. 1,000-alert group resent", 1, f, 1000, null));
		rows.add(new Row("plain SQL, a's rows (1+1+2+1)", 16, plainA, 1, null));
		rows.add(new Row("plain SQL, c's rows (1+50+51+1)", 16, plainC, 50, null));
		String report = report(durability, loadBefore, rows, drains, List.of(afterCommit, sustained), rowsPerWebhookA,
				rowsPerWebhookC);
		Path out = Path.of("target", "benchmark", "ingest.txt");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report);
		System.out.println(report);

		SoftAssertions sanity = new SoftAssertions();
		for (Row row : rows) {
			sanity.assertThat(row.measured().errors())
				.as("errors in %s: %s", row.load(), row.measured().firstErrors())
				.isZero();
		}
		for (AfterCommit each : List.of(afterCommit, sustained)) {
			sanity.assertThat(each.answered().errors())
				.as("after-commit webhooks at %d/s failed: %s", each.rate(), each.answered().firstErrors())
				.isZero();
			sanity.assertThat(each.missing())
				.as("after-commit incidents at %d/s never routed or never started their runbook", each.rate())
				.isZero();
		}
		assertEveryIncidentStored(sanity, "a", a, 1);
		assertEveryIncidentStored(sanity, "b", b, 1);
		assertEveryIncidentStored(sanity, "c", c, 50);
		assertEveryIncidentStored(sanity, "e", e, 1);
		sanity
			.assertThat(
					count("select count(*) from incident where id = any(?) and status <> 'RESOLVED'", e.incidents()))
			.as("incidents of load e still open after their resolve")
			.isZero();
		sanity.assertAll();
	}

	/**
	 * Each iteration posts a new group of {@code alerts} firing alerts: a new incident.
	 */
	private Iteration newIncidents(int alerts) {
		return (recorder) -> recorder.post(newGroup(ALERT, alerts).firing(), "opened", alerts);
	}

	/**
	 * {@code senders} threads run {@code iteration} over and over for {@code duration};
	 * the rate counts the webhooks answered until the last sender finished.
	 */
	private Measured closedLoop(int senders, Duration duration, Iteration iteration, List<String> sent)
			throws Exception {
		Recorder recorder = new Recorder(sent);
		ExecutorService pool = Executors.newFixedThreadPool(senders);
		long started = System.nanoTime();
		long deadline = started + duration.toNanos();
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < senders; i++) {
			done.add(pool.submit(() -> {
				while (System.nanoTime() < deadline) {
					iteration.run(recorder);
				}
				return null;
			}));
		}
		for (Future<?> each : done) {
			each.get();
		}
		long elapsed = System.nanoTime() - started;
		pool.shutdown();
		return recorder.measured(elapsed);
	}

	/**
	 * One group of 1,000 alerts opens an incident, then the identical webhook is resent,
	 * one after the other, as Alertmanager's group_interval resends a big group.
	 */
	private Measured bigGroupResent() {
		Group group = newGroup(ALERT, 1000);
		String body = group.firing();
		Recorder first = new Recorder(null);
		first.post(body, "opened", 1000);
		assertThat(first.errors.get()).as("the 1,000-alert group opened: %s", first.firstErrors).isZero();
		Recorder recorder = new Recorder(null);
		long started = System.nanoTime();
		for (int i = 0; i < BIG_GROUP_RESENDS; i++) {
			recorder.post(body, "attached", 1000);
		}
		return recorder.measured(System.nanoTime() - started);
	}

	/**
	 * The rows a new-incident webhook writes once its follow-up work runs after commit,
	 * written by plain JDBC into copies of Warden's tables: the incident, its alerts, its
	 * timeline (incident.opened and one alert.fired per alert) and one job row in
	 * db-scheduler's table, one transaction per webhook, 16 connections.
	 */
	private Measured plainSql(int alerts) throws Exception {
		createScratchTables();
		ConcurrentLinkedQueue<Connection> connections = new ConcurrentLinkedQueue<>();
		try {
			Iteration transaction = (recorder) -> {
				Connection connection = connections.poll();
				try {
					if (connection == null) {
						connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "postgres");
						connection.setAutoCommit(false);
					}
					long started = System.nanoTime();
					try {
						writeWebhookRows(connection, newGroup(ALERT, alerts));
						connection.commit();
						recorder.record(System.nanoTime() - started, null);
					}
					catch (SQLException ex) {
						connection.rollback();
						recorder.failed(ex.toString());
					}
					connections.add(connection);
				}
				catch (SQLException ex) {
					recorder.failed(ex.toString());
				}
			};
			closedLoop(16, LOAD.dividedBy(4), transaction, null);
			return closedLoop(16, LOAD, transaction, null);
		}
		finally {
			for (Connection connection : connections) {
				connection.close();
			}
		}
	}

	/**
	 * Copies of Warden's tables as they are now (columns, defaults, identities, indexes,
	 * checks) plus the foreign keys to the incident, in a schema Warden never reads.
	 */
	private void createScratchTables() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			statement.execute("drop schema if exists ingest_bench cascade");
			statement.execute("create schema ingest_bench");
			for (String table : List.of("incident", "alert", "timeline_event", "scheduled_tasks")) {
				statement
					.execute("create table ingest_bench.%s (like public.%s including all)".formatted(table, table));
			}
			for (String table : List.of("alert", "timeline_event")) {
				statement.execute(
						"alter table ingest_bench.%s add foreign key (incident_id) references ingest_bench.incident (id)"
							.formatted(table));
			}
		}
	}

	private static void writeWebhookRows(Connection connection, Group group) throws SQLException {
		Timestamp now = Timestamp.from(Instant.now());
		String commonLabels = "{\"alertname\":\"%s\",\"service\":\"ai-inference-api\",\"team\":\"ml-platform\"}"
			.formatted(group.alertName());
		long incident;
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into ingest_bench.incident (group_key, group_hash, receiver, group_status, status, severity,
				    title, service, team, external_url, group_labels, common_labels, common_annotations,
				    truncated_alerts, impact_started_at, detected_at, last_alert_at, updated_at)
				values (?, ?, 'warden', 'firing', 'TRIGGERED', 'WARNING', ?, 'ai-inference-api', 'ml-platform',
				    'http://127.0.0.1:9093', ?::jsonb, ?::jsonb, ?::jsonb, 0, ?, ?, ?, ?)
				returning id""")) {
			insert.setString(1, group.key());
			insert.setString(2, sha256(group.key()));
			insert.setString(3, group.summary());
			insert.setString(4, "{\"alertname\":\"%s\"}".formatted(group.alertName()));
			insert.setString(5, commonLabels);
			insert.setString(6, "{\"summary\":\"%s\"}".formatted(group.summary()));
			insert.setTimestamp(7, Timestamp.from(group.startsAt()));
			insert.setTimestamp(8, now);
			insert.setTimestamp(9, now);
			insert.setTimestamp(10, now);
			try (ResultSet id = insert.executeQuery()) {
				id.next();
				incident = id.getLong(1);
			}
		}
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into ingest_bench.alert (incident_id, fingerprint, alert_name, status, severity, labels,
				    annotations, starts_at, generator_url, first_seen_at, last_seen_at)
				values (?, ?, ?, 'FIRING', 'warning', ?::jsonb, ?::jsonb, ?, ?, ?, ?)""")) {
			for (int i = 0; i < group.size(); i++) {
				insert.setLong(1, incident);
				insert.setString(2, group.fingerprint(i));
				insert.setString(3, group.alertName());
				insert.setString(4, group.labels(i));
				insert.setString(5, group.annotations(i));
				insert.setTimestamp(6, Timestamp.from(group.startsAt()));
				insert.setString(7, "http://127.0.0.1:9090/graph?g0.expr=latency");
				insert.setTimestamp(8, now);
				insert.setTimestamp(9, now);
				insert.addBatch();
			}
			insert.executeBatch();
		}
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into ingest_bench.timeline_event (incident_id, occurred_at, type, actor_kind, actor_name,
				    summary, details)
				values (?, ?, ?, 'ALERTMANAGER', 'alertmanager', ?, ?::jsonb)""")) {
			insert.setLong(1, incident);
			insert.setTimestamp(2, now);
			insert.setString(3, "incident.opened");
			insert.setString(4, "Incident opened: " + group.summary());
			insert.setString(5,
					"{\"severity\":\"WARNING\",\"service\":\"ai-inference-api\",\"team\":\"ml-platform\",\"receiver\":\"warden\",\"groupKey\":\"%s\"}"
						.formatted(group.key().replace("\"", "\\\"")));
			insert.addBatch();
			for (int i = 0; i < group.size(); i++) {
				insert.setLong(1, incident);
				insert.setTimestamp(2, now);
				insert.setString(3, "alert.fired");
				insert.setString(4, "Alert fired: %s on %s".formatted(group.alertName(), group.fingerprint(i)));
				insert.setString(5,
						"{\"fingerprint\":\"%s\",\"alertname\":\"%s\",\"status\":\"FIRING\",\"severity\":\"warning\",\"labels\":%s}"
							.formatted(group.fingerprint(i), group.alertName(), group.labels(i)));
				insert.addBatch();
			}
			insert.executeBatch();
		}
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into ingest_bench.scheduled_tasks (task_name, task_instance, task_data, execution_time, picked,
				    version, priority)
				values ('incident-follow-up', ?, ?, ?, false, 1, 100)""")) {
			insert.setString(1, incident + "-" + UUID.randomUUID());
			insert.setBytes(2, "{\"incident\":%d,\"events\":[\"incident.opened\"]}".formatted(incident)
				.getBytes(StandardCharsets.UTF_8));
			insert.setTimestamp(3, now);
			insert.executeUpdate();
		}
	}

	/**
	 * New incidents at a steady rate, each sent on its own thread whatever the others
	 * wait for (open loop), whose alerts choose the benchmark's runbook; then, from the
	 * tables, when each was routed and when its runbook's first step started, against the
	 * time its webhook was sent (Warden's clock is this machine's).
	 */
	private AfterCommit afterCommit(int rate, Duration duration) throws Exception {
		Map<Long, Long> sentAt = new ConcurrentHashMap<>();
		Recorder recorder = new Recorder(null);
		int total = (int) (rate * duration.toSeconds());
		long interval = TimeUnit.SECONDS.toNanos(1) / rate;
		try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
			long started = System.nanoTime();
			for (int i = 0; i < total; i++) {
				long due = started + i * interval;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				String body = newGroup(RUNBOOK_ALERT, 1).firing();
				senders.execute(() -> {
					long sent = System.currentTimeMillis();
					Long incident = recorder.post(body, "opened", 1);
					if (incident != null) {
						sentAt.put(incident, sent);
					}
				});
			}
		}
		Long[] ids = sentAt.keySet().toArray(Long[]::new);
		Map<Long, Instant[]> followed = new HashMap<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (true) {
			followed.clear();
			try (Connection connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "postgres");
					PreparedStatement query = connection.prepareStatement("""
							select i.id,
							       (select min(t.occurred_at) from timeline_event t
							        where t.incident_id = i.id and t.type = 'incident.routed'),
							       (select min(s.started_at) from runbook_step s
							        join runbook_execution e on e.id = s.execution_id where e.incident_id = i.id),
							       (select min(e.created_at) from runbook_execution e where e.incident_id = i.id)
							from incident i where i.id = any(?)""")) {
				query.setArray(1, connection.createArrayOf("bigint", ids));
				try (ResultSet result = query.executeQuery()) {
					while (result.next()) {
						Timestamp routed = result.getTimestamp(2);
						Timestamp step = result.getTimestamp(3);
						Timestamp run = result.getTimestamp(4);
						followed.put(result.getLong(1), new Instant[] { (routed != null) ? routed.toInstant() : null,
								(step != null) ? step.toInstant() : null, (run != null) ? run.toInstant() : null });
					}
				}
			}
			boolean complete = followed.size() == ids.length
					&& followed.values().stream().allMatch((times) -> times[0] != null && times[1] != null);
			if (complete || System.nanoTime() > deadline) {
				break;
			}
			WardenProcess.sleep(Duration.ofSeconds(1));
		}
		List<Double> routed = new ArrayList<>();
		List<Double> stepStarted = new ArrayList<>();
		List<Double> runCreated = new ArrayList<>();
		int missing = 0;
		for (var each : followed.entrySet()) {
			long sent = sentAt.get(each.getKey());
			Instant[] times = each.getValue();
			if (times[0] == null || times[1] == null) {
				missing++;
				continue;
			}
			routed.add((double) (times[0].toEpochMilli() - sent));
			stepStarted.add((double) (times[1].toEpochMilli() - sent));
			if (times[2] != null) {
				runCreated.add((double) (times[2].toEpochMilli() - sent));
			}
		}
		missing += ids.length - followed.size();
		return new AfterCommit(rate, total, recorder.measured(duration.toNanos()), routed, runCreated, stepStarted,
				missing);
	}

	/** Every second until interrupted, the due jobs by task and priority. */
	private void sampleBacklog(StringBuilder out) {
		long started = System.nanoTime();
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "postgres");
				PreparedStatement query = connection.prepareStatement("""
						select string_agg(task_name || ' ' || priority || ': ' || due || '/' || picked, ', '
						                  order by task_name, priority)
						from (select task_name, priority, count(*) due, count(*) filter (where picked) picked
						      from scheduled_tasks where execution_time <= now() and task_instance <> 'recurring'
						      group by 1, 2) t""")) {
			while (!Thread.currentThread().isInterrupted()) {
				try (ResultSet result = query.executeQuery()) {
					result.next();
					out.append("%5.1f s  %s%n".formatted((System.nanoTime() - started) / 1e9, result.getString(1)));
				}
				Thread.sleep(1000);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (SQLException ex) {
			out.append("sampling failed: ").append(ex).append('\n');
		}
	}

	/**
	 * Waits until no job is due (follow-ups, runbook steps, anything but the recurring
	 * housekeeping) and no follow-up or runbook step waits to run again: the after-commit
	 * work of the load before is done.
	 */
	private Drain drain(String after) throws SQLException {
		long started = System.nanoTime();
		long deadline = started + TimeUnit.MINUTES.toNanos(10);
		long followUps = -1;
		long jobs = -1;
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "postgres");
				PreparedStatement query = connection.prepareStatement("""
						select count(*) filter (where task_name = 'incident-follow-up'), count(*)
						from scheduled_tasks where task_instance <> 'recurring'
						and (execution_time <= now() or task_name in ('incident-follow-up', 'runbook-execution'))""")) {
			while (true) {
				try (ResultSet result = query.executeQuery()) {
					result.next();
					if (followUps < 0) {
						followUps = result.getLong(1);
						jobs = result.getLong(2);
					}
					if (result.getLong(2) == 0) {
						break;
					}
				}
				assertThat(System.nanoTime()).as("after-commit work of load %s done within 10 minutes", after)
					.isLessThan(deadline);
				WardenProcess.sleep(Duration.ofMillis(200));
			}
		}
		return new Drain(after, followUps, jobs, (System.nanoTime() - started) / 1e9);
	}

	/**
	 * Every webhook answered "opened" opened an incident of its own, stored with all its
	 * alerts.
	 */
	private void assertEveryIncidentStored(SoftAssertions sanity, String load, Measured measured, int alertsEach)
			throws SQLException {
		Long[] ids = measured.incidents();
		sanity.assertThat(ids)
			.as("load %s: distinct incidents, one per webhook answered \"opened\"", load)
			.hasSize(measured.answeredOpened());
		sanity.assertThat(count("select count(*) from incident where id = any(?)", ids))
			.as("load %s: incidents stored", load)
			.isEqualTo(ids.length);
		sanity.assertThat(count("select count(*) from alert where incident_id = any(?)", ids))
			.as("load %s: alerts stored", load)
			.isEqualTo((long) ids.length * alertsEach);
	}

	private long count(String sql, Long[] ids) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "postgres");
				PreparedStatement query = connection.prepareStatement(sql)) {
			Array array = connection.createArrayOf("bigint", ids);
			query.setArray(1, array);
			try (ResultSet result = query.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	private Map<String, String> durability() throws SQLException {
		Map<String, String> settings = new LinkedHashMap<>();
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			for (String name : DURABILITY) {
				try (ResultSet result = statement.executeQuery("show " + name)) {
					result.next();
					settings.put(name, result.getString(1));
				}
			}
		}
		return settings;
	}

	/**
	 * Rows inserted, updated and deleted so far in each of Warden's tables, once what the
	 * last load wrote is counted: a backend that published its counts less than a second
	 * before publishes the rest only after 10 idle seconds (PostgreSQL's
	 * {@code PGSTAT_IDLE_INTERVAL}).
	 */
	private Map<String, long[]> tableStats() throws SQLException {
		WardenProcess.sleep(Duration.ofSeconds(11));
		Map<String, long[]> stats = new TreeMap<>();
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl, "postgres", "postgres");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("""
						select relname, n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables
						where schemaname = 'public'""")) {
			while (result.next()) {
				stats.put(result.getString(1), new long[] { result.getLong(2), result.getLong(3), result.getLong(4) });
			}
		}
		return stats;
	}

	/**
	 * Rows written per webhook since {@code before}, by table and kind: the webhook's own
	 * and those its after-commit work wrote in the same time.
	 */
	private static Map<String, Double> rowsPerWebhook(Map<String, long[]> before, Map<String, long[]> after,
			long webhooks) {
		Map<String, Double> perWebhook = new TreeMap<>();
		String[] kinds = { "ins", "upd", "del" };
		for (var table : after.entrySet()) {
			long[] was = before.getOrDefault(table.getKey(), new long[3]);
			for (int i = 0; i < kinds.length; i++) {
				long delta = table.getValue()[i] - was[i];
				if (delta > 0) {
					perWebhook.put(table.getKey() + " " + kinds[i], delta / (double) webhooks);
				}
			}
		}
		return perWebhook;
	}

	private Group newGroup(String alertName, int size) {
		return new Group(this.run + "-" + this.groups.incrementAndGet(), alertName, size,
				Instant.now().minusSeconds(30));
	}

	private Path runbooks() throws IOException {
		Path directory = Files.createDirectories(this.storage.resolve("runbooks"));
		Files.writeString(directory.resolve("ingest-bench.yaml"), """
				id: ingest-bench
				title: Tell the responders (ingest benchmark)
				match:
				  - alertname="%s"
				mode: auto
				steps:
				  - name: Tell the responders
				    action: notify
				    with: {message: "benchmark incident"}
				""".formatted(RUNBOOK_ALERT));
		return directory;
	}

	/**
	 * Every incident is routed to one team; nobody is notified (Slack and email are off).
	 */
	private Path routing() throws IOException {
		Path file = Files.createDirectories(this.storage).resolve("routing.yaml");
		Files.writeString(file, """
				route:
				  name: root
				  team: ml-platform
				  service: ai-inference-api
				""");
		return file;
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).strip();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String report(Map<String, String> durability, String loadBefore, List<Row> rows, List<Drain> drains,
			List<AfterCommit> afterCommits, Map<String, Double> rowsA, Map<String, Double> rowsC) {
		StringBuilder out = new StringBuilder();
		out.append("Ingest benchmark, %s, %d cores, Warden on its embedded PostgreSQL (%s)%n".formatted(LocalDate.now(),
				Runtime.getRuntime().availableProcessors(),
				durability.entrySet()
					.stream()
					.map((each) -> each.getKey() + "=" + each.getValue())
					.reduce((x, y) -> x + ", " + y)
					.orElse("")));
		out.append("Load average (1, 5, 15 min) before: %s; after: %s. Each load %d s after a warm-up.%n%n"
			.formatted(loadBefore, loadAverage(), LOAD.toSeconds()));
		out.append("%-40s %7s %8s %10s %10s %8s %8s %8s %6s %7s%n".formatted("load", "senders", "webhooks",
				"webhooks/s", "alerts/s", "p50 ms", "p99 ms", "max ms", "errors", "ratio"));
		for (Row row : rows) {
			Measured m = row.measured();
			double rate = m.rate();
			out.append("%-40s %7d %8d %10.1f %10.0f %8.1f %8.1f %8.1f %6d %7s%n".formatted(row.load(), row.senders(),
					m.webhooks(), rate, rate * row.alertsEach(), m.percentile(0.50), m.percentile(0.99), m.max(),
					m.errors(), (row.plain() != null) ? "%.3f".formatted(rate / row.plain().rate()) : ""));
		}
		out.append("ratio: Warden's webhooks/s over plain SQL's transactions/s for the same rows.%n%n".formatted());
		out.append("After-commit work a load left behind, done before the next load (incident changes still to be"
				+ " followed when the load ended (for the after-commit loads: once every incident was routed and had its run),"
				+ " jobs still to run, and the time until none was left):%n".formatted());
		out.append("%-40s %10s %10s %10s%n".formatted("after load", "changes", "due jobs", "seconds"));
		for (Drain drain : drains) {
			out.append("%-40s %10d %10d %10.1f%n".formatted(drain.after(), drain.followUps(), drain.jobs(),
					drain.seconds()));
		}
		out.append("%n".formatted());
		for (AfterCommit afterCommit : afterCommits) {
			out.append("After-commit path, %d new incidents/s for %d s, open loop (%d sent, %d never followed):%n"
				.formatted(afterCommit.rate(), AFTER_COMMIT_LOAD.toSeconds(), afterCommit.sent(),
						afterCommit.missing()));
			out.append("%-40s %8s %8s %8s %8s%n".formatted("from webhook sent to", "n", "p50 ms", "p99 ms", "max ms"));
			Measured answered = afterCommit.answered();
			out.append("%-40s %8d %8.1f %8.1f %8.1f%n".formatted("its 200 (errors: " + answered.errors() + ")",
					answered.webhooks(), answered.percentile(0.5), answered.percentile(0.99), answered.max()));
			out.append(latency("incident.routed in the timeline", afterCommit.routed()));
			out.append(latency("runbook run recorded (runbooks follower)", afterCommit.runCreated()));
			out.append(latency("first runbook step started", afterCommit.stepStarted()));
			if (answered.errors() > 0) {
				out.append("first errors: %s%n".formatted(answered.firstErrors()));
			}
			out.append("%n".formatted());
		}
		out.append(("%nRows written per webhook, all of Warden's tables (pg_stat_user_tables: the webhook's own and"
				+ " what its after-commit work wrote until it was done):%n")
			.formatted());
		out.append("a (1 alert):   %s%n".formatted(rowsText(rowsA)));
		out.append("c (50 alerts): %s%n".formatted(rowsText(rowsC)));
		return out.toString();
	}

	private static String latency(String name, List<Double> values) {
		double[] millis = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return "%-40s %8d %8.0f %8.0f %8.0f%n".formatted(name, millis.length, percentile(millis, 0.5),
				percentile(millis, 0.99), (millis.length > 0) ? millis[millis.length - 1] : Double.NaN);
	}

	private static String rowsText(Map<String, Double> rows) {
		return String.join(", ",
				rows.entrySet().stream().map((each) -> "%s %.2f".formatted(each.getKey(), each.getValue())).toList());
	}

	private static double percentile(double[] sorted, double quantile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		return sorted[Math.max(0, (int) Math.ceil(sorted.length * quantile) - 1)];
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One sender's unit of work, repeated until the load's time is up. */
	@FunctionalInterface
	private interface Iteration {

		void run(Recorder recorder) throws Exception;

	}

	/**
	 * An Alertmanager group in the shape of {@code shared/samples/alertmanager} (and
	 * {@code Payloads}), its webhook bodies built as text so the senders spend little
	 * CPU.
	 */
	private record Group(String id, String alertName, int size, Instant startsAt) {

		String key() {
			return "{}:{alertname=\"%s\", bench=\"%s\"}".formatted(this.alertName, this.id);
		}

		String summary() {
			return "Ingest benchmark group " + this.id;
		}

		String fingerprint(int i) {
			return "bench-%s-%04d".formatted(this.id, i);
		}

		String labels(int i) {
			return "{\"alertname\":\"%s\",\"service\":\"ai-inference-api\",\"team\":\"ml-platform\",\"severity\":\"warning\",\"instance\":\"%s\"}"
				.formatted(this.alertName, fingerprint(i));
		}

		String annotations(int i) {
			return "{\"summary\":\"p95 latency above 500 ms on %s\"}".formatted(fingerprint(i));
		}

		String firing() {
			return body("firing", "0001-01-01T00:00:00Z");
		}

		String resolved() {
			return body("resolved", Instant.now().toString());
		}

		private String body(String status, String endsAt) {
			StringBuilder alerts = new StringBuilder();
			for (int i = 0; i < this.size; i++) {
				if (i > 0) {
					alerts.append(',');
				}
				alerts.append(
						"{\"status\":\"%s\",\"labels\":%s,\"annotations\":%s,\"startsAt\":\"%s\",\"endsAt\":\"%s\",\"generatorURL\":\"http://127.0.0.1:9090/graph?g0.expr=latency\",\"fingerprint\":\"%s\"}"
							.formatted(status, labels(i), annotations(i), this.startsAt, endsAt, fingerprint(i)));
			}
			return "{\"receiver\":\"warden\",\"status\":\"%s\",\"alerts\":[%s],\"groupLabels\":{\"alertname\":\"%s\"},\"commonLabels\":{\"alertname\":\"%s\",\"service\":\"ai-inference-api\",\"team\":\"ml-platform\"},\"commonAnnotations\":{\"summary\":\"%s\"},\"externalURL\":\"http://127.0.0.1:9093\",\"version\":\"4\",\"groupKey\":\"%s\",\"truncatedAlerts\":0}"
				.formatted(status, alerts, this.alertName, this.alertName, summary(), key().replace("\"", "\\\""));
		}

	}

	/** Collects the latencies and errors of one load's webhooks, from any thread. */
	private final class Recorder {

		final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();

		final AtomicInteger errors = new AtomicInteger();

		final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();

		final Set<Long> opened = ConcurrentHashMap.newKeySet();

		final AtomicInteger answeredOpened = new AtomicInteger();

		private final List<String> sent;

		Recorder(List<String> sent) {
			this.sent = sent;
		}

		/**
		 * Posts one webhook and records its latency.
		 * @return the incident it opened, or null
		 */
		Long post(String body, String expectedOutcome, int alerts) {
			boolean opens = "opened".equals(expectedOutcome);
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + IngestBenchmark.this.warden.port + WardenClient.WEBHOOK))
				.timeout(Duration.ofSeconds(60))
				.header("Authorization", "Bearer " + IntegrationTest.WEBHOOK_TOKEN)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			long started = System.nanoTime();
			HttpResponse<String> response;
			try {
				response = IngestBenchmark.this.http.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				failed(ex.toString());
				return null;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			long took = System.nanoTime() - started;
			Matcher outcome = OUTCOME.matcher(response.body());
			if (response.statusCode() != 200 || !outcome.find() || !outcome.group(1).equals(expectedOutcome)) {
				failed(response.statusCode() + " " + response.body());
				return null;
			}
			Matcher incident = INCIDENT.matcher(response.body());
			Long id = incident.find() ? Long.valueOf(incident.group(1)) : null;
			if (opens) {
				this.answeredOpened.incrementAndGet();
			}
			record(took, opens ? id : null);
			if (this.sent != null) {
				this.sent.add(body);
			}
			return id;
		}

		void record(long took, Long opened) {
			this.nanos.add(took);
			if (opened != null) {
				this.opened.add(opened);
			}
		}

		void failed(String what) {
			this.errors.incrementAndGet();
			if (this.firstErrors.size() < 5) {
				this.firstErrors.add(what);
			}
		}

		Measured measured(long elapsedNanos) {
			double[] millis = this.nanos.stream().mapToDouble((nanos) -> nanos / 1e6).sorted().toArray();
			return new Measured(millis, elapsedNanos, this.errors.get(), List.copyOf(this.firstErrors),
					this.opened.toArray(Long[]::new), this.answeredOpened.get());
		}

	}

	/**
	 * One load's results.
	 *
	 * @param millis latencies of the answered webhooks, sorted
	 * @param elapsedNanos the load's duration
	 * @param errors webhooks not answered 200 with the expected outcome
	 * @param firstErrors what the first errors were
	 * @param incidents the incidents the load's webhooks opened
	 * @param answeredOpened webhooks answered 200 "opened"
	 */
	private record Measured(double[] millis, long elapsedNanos, int errors, List<String> firstErrors, Long[] incidents,
			int answeredOpened) {

		long webhooks() {
			return this.millis.length;
		}

		double rate() {
			return this.millis.length / (this.elapsedNanos / 1e9);
		}

		double percentile(double quantile) {
			return IngestBenchmark.percentile(this.millis, quantile);
		}

		double max() {
			return (this.millis.length > 0) ? this.millis[this.millis.length - 1] : Double.NaN;
		}

	}

	private record Row(String load, int senders, Measured measured, int alertsEach, Measured plain) {
	}

	private record AfterCommit(int rate, int sent, Measured answered, List<Double> routed, List<Double> runCreated,
			List<Double> stepStarted, int missing) {
	}

	private record Drain(String after, long followUps, long jobs, double seconds) {
	}

}
