package dev.warden.notifications;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.WardenClient;
import dev.warden.WardenProcess;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Escalation timers across Warden JVMs on one PostgreSQL, on the real clock: two
 * instances escalate each level once, and an instance killed while an escalation waits
 * leaves a timer that another instance fires on time. The test's own Spring context only
 * provides the database; its scheduler is off.
 */
@IntegrationTest
@TestPropertySource(properties = { "db-scheduler.enabled=false", "warden.test.context=escalation-processes" })
class EscalationProcessesIntegrationTests {

	/**
	 * Level 2's delay: many polls of db-scheduler (500 ms) and escalation pauses (1 s),
	 * so a level fired twice, or early, shows; and time enough for the test to kill an
	 * instance between levels 1 and 2 once it has seen level 1, even when the other test
	 * JVM's work stalls this one for seconds (3 s was tried: too close).
	 */
	private static final Duration DELAY = Duration.ofSeconds(8);

	/**
	 * alice at once, bob {@link #DELAY} later, then the same once more (bob's delay again
	 * first).
	 */
	private static final String ONCALL = """
			users:
			  - {name: alice, full-name: Alice Archer, email: alice@example.com}
			  - {name: bob, full-name: Bob Baker, email: bob@example.com}
			schedules: []
			escalation-policies:
			  - name: fast
			    repeat: 1
			    levels:
			      - {delay: 0s, notify: {users: [alice]}}
			      - {delay: %ds, notify: {users: [bob]}}
			""".formatted(DELAY.toSeconds());

	private static final String ROUTING = """
			route:
			  name: root
			  escalation-policy: fast
			""";

	@Autowired
	HikariDataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	private final List<WardenProcess> instances = new ArrayList<>();

	@AfterEach
	void stopInstances() {
		this.instances.forEach(WardenProcess::close);
	}

	@Test
	void twoInstancesEscalateEachLevelOnce() {
		WardenProcess first = startTogether("escalation-a", "escalation-b").getFirst();
		List<Long> incidents = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			incidents.add(open(first));
		}

		for (long incident : incidents) {
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(levels(incident)).hasSize(4));
			assertThat(levels(incident)).containsExactly(1, 2, 1, 2);
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.sql("select count(*) from scheduled_tasks where task_name = 'escalation-timer'")
				.query(Long.class)
				.single() == 0);
	}

	@Test
	void timerOfAKilledInstanceFiresOnTimeOnAnother() {
		WardenProcess doomed = start("escalation-doomed");
		long incident = open(doomed);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(levels(incident)).containsExactly(1));
		doomed.kill();
		Instant killed = Instant.now();

		start("escalation-survivor");
		Instant survivorReady = Instant.now();

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(levels(incident)).hasSize(2));
		List<Instant> at = this.jdbc.sql("""
				select occurred_at from timeline_event where incident_id = ? and type = 'incident.escalated'
				order by id""").param(incident).query(Instant.class).list();
		assertThat(Duration.between(at.get(0), at.get(1))).as("level 2 waits its delay").isGreaterThanOrEqualTo(DELAY);
		assertThat(at.get(1)).as("level 2 fired after the kill, not by the killed instance").isAfter(killed);
		Instant due = at.get(0).plus(DELAY);
		Instant firstChance = due.isAfter(survivorReady) ? due : survivorReady;
		// The survivor fires it when due, or as soon as it is up when it came up later;
		// a few polls of slack for a loaded machine.
		assertThat(at.get(1)).as("fired on time by the survivor").isBefore(firstChance.plusSeconds(15));
	}

	private List<Integer> levels(long incident) {
		return this.jdbc.sql("""
				select (details ->> 'level')::int from timeline_event
				where incident_id = ? and type = 'incident.escalated' order by id""")
			.param(incident)
			.query(Integer.class)
			.list();
	}

	private long open(WardenProcess via) {
		return new WardenClient(via.port)
			.open(Payloads.group().firing("fp-" + UUID.randomUUID(), Instant.now().minusSeconds(5)).json());
	}

	private WardenProcess start(String name) {
		WardenProcess instance = WardenProcess.start(name, properties(name));
		this.instances.add(instance);
		return instance;
	}

	/**
	 * Starts the instances at once (each JVM takes seconds to start), in the order of the
	 * names.
	 */
	private List<WardenProcess> startTogether(String... names) {
		List<CompletableFuture<WardenProcess>> starting = Stream.of(names)
			.map((name) -> CompletableFuture.supplyAsync(() -> WardenProcess.start(name, properties(name))))
			.toList();
		List<WardenProcess> started = new ArrayList<>();
		RuntimeException failed = null;
		for (CompletableFuture<WardenProcess> each : starting) {
			try {
				started.add(each.join());
			}
			catch (CompletionException ex) {
				failed = (failed != null) ? failed : ex;
			}
		}
		// Stopped after the test even when another did not start.
		this.instances.addAll(started);
		if (failed != null) {
			throw failed;
		}
		return started;
	}

	private Map<String, String> properties(String name) {
		Map<String, String> properties = new HashMap<>(WardenProcess.database(this.dataSource));
		properties.put("warden.storage.directory", "target/test-data/" + name + "-" + UUID.randomUUID());
		properties.put("warden.alertmanager.bearer-token", IntegrationTest.WEBHOOK_TOKEN);
		properties.put("warden.api.token", IntegrationTest.API_TOKEN);
		properties.put("warden.oncall.file", NotificationFiles.write("oncall-", ONCALL).toString());
		properties.put("warden.routing.file", NotificationFiles.write("routing-", ROUTING).toString());
		properties.put("warden.runbooks.directory", emptyDirectory().toString());
		properties.put("warden.incidents.stale-after", "0");
		properties.put("db-scheduler.polling-interval", "500ms");
		properties.put("db-scheduler.heartbeat-interval", "1s");
		properties.put("db-scheduler.missed-heartbeats-limit", "4");
		return properties;
	}

	private static Path emptyDirectory() {
		try {
			return Files.createTempDirectory("no-runbooks");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
