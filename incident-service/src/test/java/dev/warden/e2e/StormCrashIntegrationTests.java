package dev.warden.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import tools.jackson.databind.json.JsonMapper;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.RunsAlone;
import dev.warden.TestFork;
import dev.warden.WardenClient;
import dev.warden.WardenProcess;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An alert storm on two Warden instances (separate JVMs) sharing one PostgreSQL, with one
 * instance killed with SIGKILL in the middle. 10,000 alerts in 1,000 groups arrive as
 * Alertmanager sends them: each group twice (first 5 of its alerts, then all 10), from
 * concurrent senders that re-post the identical body on 503 and on connection errors. The
 * senders reach the instances as through a load balancer with passive health checks: an
 * instance that refused or dropped a connection gets no more requests, and the retry goes
 * to the other one. Afterwards every alert answered 200 is stored once, every group has
 * exactly one open incident, opened once, and every incident's email is owed and then
 * delivered to a real SMTP server.
 */
@RunsAlone
@ResourceLock(RunsAlone.CORES)
class StormCrashIntegrationTests {

	private static final int GROUPS = 1_000;

	private static final int ALERTS_PER_GROUP = 10;

	private static final int SENDERS = 8;

	/**
	 * Webhooks each instance takes before the storm (new groups of one alert): the storm
	 * meets instances that have been running for a while, not cold JVMs.
	 */
	private static final int WARM_UP = 100;

	/**
	 * The storm must be over within this: 2 minutes ({@code -Dwarden.storm.limit=5m} to
	 * watch it on a machine busy with other work).
	 */
	private static final Duration STORM_LIMIT = Duration
		.parse("PT" + System.getProperty("warden.storm.limit", "2m").toUpperCase(Locale.ROOT));

	private static final String RECIPIENT = "storm@example.com";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static EmbeddedPostgres postgres;

	private static GreenMail smtp;

	private static JdbcClient jdbc;

	@BeforeAll
	static void startDatabaseAndMail() throws Exception {
		// Durable like Warden's own embedded PostgreSQL: the storm is timed with every
		// commit flushed to disk.
		postgres = EmbeddedPostgres.builder()
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setServerConfig("full_page_writes", "on")
			.start();
		JdbcClient.create(postgres.getPostgresDatabase()).sql("create database warden").update();
		jdbc = JdbcClient.create(postgres.getDatabase("postgres", "warden"));
		smtp = new GreenMail(new ServerSetup(TestFork.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
	}

	@AfterAll
	static void stop() throws IOException {
		if (smtp != null) {
			smtp.stop();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void stormWithOneInstanceKilledLosesNothingAndDuplicatesNothing() throws Exception {
		Path routing = routingFile();
		CompletableFuture<WardenProcess> startingA = CompletableFuture.supplyAsync(() -> start("storm-a", routing));
		CompletableFuture<WardenProcess> startingB = CompletableFuture.supplyAsync(() -> start("storm-b", routing));
		try (WardenProcess a = startingA.join(); WardenProcess b = startingB.join()) {
			List<WardenClient> instances = List.of(new WardenClient(a.port), new WardenClient(b.port));
			instances.forEach(StormCrashIntegrationTests::warmUp);
			Storm storm = new Storm(instances);
			Instant started = Instant.now();
			storm.begin();
			assertThat(storm.halfAnswered.await(STORM_LIMIT.toSeconds(), TimeUnit.SECONDS))
				.as("half the webhooks answered 200; answered %d, retries %d, unexpected %s", storm.answered.size(),
						storm.retries.get(), storm.unexpected)
				.isTrue();
			a.kill();
			Instant killed = Instant.now();
			storm.await(started.plus(STORM_LIMIT));
			Duration took = Duration.between(started, Instant.now());

			assertThat(storm.unexpected).as("answers other than 200 and 503").isEmpty();
			assertThat(storm.answered).as("webhooks answered 200").hasSize(storm.webhooks.size());
			assertThat(storm.retries.get()).as("webhooks re-posted after the kill").isPositive();
			assertThat(took).isLessThan(STORM_LIMIT);
			System.out.printf(
					"Storm: %d alerts in %d groups, %d webhooks (+%d retries) by %d senders on 2 instances in %d ms"
							+ " (%.0f alerts/s, %.0f webhooks/s); instance A killed after %d ms%n",
					GROUPS * ALERTS_PER_GROUP, GROUPS, storm.webhooks.size(), storm.retries.get(), SENDERS,
					took.toMillis(), GROUPS * ALERTS_PER_GROUP / (took.toMillis() / 1000.0),
					storm.webhooks.size() / (took.toMillis() / 1000.0), Duration.between(started, killed).toMillis());

			assertEveryAnsweredAlertStoredOnce(storm);
			assertOneOpenIncidentPerGroupOpenedOnce(storm);
			assertEveryIncidentOwesItsEmail();
			assertEveryIncidentEmailedBy(b);
		}
	}

	private static void assertEveryAnsweredAlertStoredOnce(Storm storm) {
		Map<String, String> expectedGroupOfFingerprint = new HashMap<>();
		for (Webhook webhook : storm.answered) {
			webhook.fingerprints()
				.forEach((fingerprint) -> expectedGroupOfFingerprint.put(fingerprint, webhook.group()));
		}
		assertThat(expectedGroupOfFingerprint).hasSize(GROUPS * ALERTS_PER_GROUP);
		Map<String, String> storedGroupOfFingerprint = new HashMap<>();
		List<String> duplicates = new ArrayList<>();
		jdbc.sql("""
				select a.fingerprint, i.group_key from alert a join incident i on i.id = a.incident_id
				where a.fingerprint like 'storm-%'""").query((row) -> {
			if (storedGroupOfFingerprint.put(row.getString(1), row.getString(2)) != null) {
				duplicates.add(row.getString(1));
			}
		});
		assertThat(duplicates).as("alerts stored twice").isEmpty();
		assertThat(storedGroupOfFingerprint).isEqualTo(expectedGroupOfFingerprint);
	}

	private static void assertOneOpenIncidentPerGroupOpenedOnce(Storm storm) {
		Map<String, Long> openPerGroup = new HashMap<>();
		jdbc.sql("select group_key, count(*) filter (where status <> 'RESOLVED') from incident group by group_key")
			.query((row) -> {
				openPerGroup.put(row.getString(1), row.getLong(2));
			});
		assertThat(openPerGroup).hasSize(GROUPS + 2 * WARM_UP).containsKeys(storm.groups.toArray(String[]::new));
		assertThat(openPerGroup).allSatisfy((group, open) -> assertThat(open).as(group).isEqualTo(1));
		assertThat(jdbc.sql("select count(*) from incident").query(Long.class).single())
			.as("one incident per group, warm-up included")
			.isEqualTo(GROUPS + 2 * WARM_UP);
		assertThat(jdbc.sql("""
				select i.id from incident i
				where (select count(*) from timeline_event t
				       where t.incident_id = i.id and t.type = 'incident.opened') <> 1""").query(Long.class).list())
			.as("incidents not opened exactly once")
			.isEmpty();
	}

	/**
	 * The notifications follower owes the email after the opening commits; the follow-ups
	 * the killed instance had claimed are taken over after its missed heartbeats. Waits
	 * until every incident owes one, then asserts none owes two.
	 */
	private static void assertEveryIncidentOwesItsEmail() {
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(jdbc.sql("""
					select i.id from incident i
					where not exists (select 1 from notification_plan p where p.incident_id = i.id)
					   or not exists (select 1 from notification n
					                  where n.incident_id = i.id and n.kind = 'email.opened' and n.target = ?)""")
				.param(RECIPIENT)
				.query(Long.class)
				.list()).as("incidents that owe no email (yet)").isEmpty());
		assertThat(jdbc.sql("""
				select i.id from incident i
				where (select count(*) from notification n
				       where n.incident_id = i.id and n.kind = 'email.opened' and n.target = ?) <> 1""")
			.param(RECIPIENT)
			.query(Long.class)
			.list()).as("incidents without exactly one owed email").isEmpty();
	}

	/**
	 * The survivor takes over the deliveries the killed instance had claimed (after its
	 * missed heartbeats) and delivers every email: at least once, as SMTP can promise no
	 * more across a crash between the send and its record.
	 */
	private static void assertEveryIncidentEmailedBy(WardenProcess survivor) {
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(
					jdbc.sql("select count(*) from notification where kind = 'email.opened' and status <> 'sent'")
						.query(Long.class)
						.single())
				.as("emails not yet sent (survivor on port %d)", survivor.port)
				.isZero());
		Set<String> emailed = new HashSet<>();
		for (MimeMessage message : smtp.getReceivedMessages()) {
			try {
				emailed.add(message.getMessageID());
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		List<String> expected = jdbc.sql("select id from incident")
			.query(Long.class)
			.list()
			.stream()
			.map((id) -> "<incident-" + id + "@")
			.toList();
		assertThat(expected).allSatisfy((prefix) -> assertThat(emailed).anyMatch((id) -> id.startsWith(prefix)));
	}

	private static void warmUp(WardenClient instance) {
		ExecutorService senders = Executors.newFixedThreadPool(4);
		List<CompletableFuture<Integer>> answers = new ArrayList<>();
		for (int i = 0; i < WARM_UP; i++) {
			answers.add(CompletableFuture.supplyAsync(
					() -> instance.webhook(Payloads.firing("Warm-up", Instant.now().minusSeconds(60))).status(),
					senders));
		}
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.join()).isEqualTo(200));
		senders.shutdown();
	}

	private static WardenProcess start(String name, Path routing) {
		Map<String, String> properties = new HashMap<>();
		properties.put("spring.datasource.url", postgres.getJdbcUrl("postgres", "warden"));
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "postgres");
		properties.put("warden.storage.directory", "target/test-data/" + name + "-" + UUID.randomUUID());
		properties.put("warden.alertmanager.bearer-token", IntegrationTest.WEBHOOK_TOKEN);
		properties.put("warden.api.token", IntegrationTest.API_TOKEN);
		properties.put("warden.routing.file", routing.toString());
		properties.put("warden.incidents.stale-after", "0");
		properties.put("spring.mail.host", "127.0.0.1");
		properties.put("spring.mail.port", String.valueOf(smtp.getSmtp().getPort()));
		properties.put("db-scheduler.polling-interval", "500ms");
		properties.put("db-scheduler.heartbeat-interval", "1s");
		properties.put("db-scheduler.missed-heartbeats-limit", "4");
		return WardenProcess.start(name, properties);
	}

	/** Every incident emails one address; nothing escalates. */
	private static Path routingFile() throws IOException {
		Path file = Files.createDirectories(Path.of("target", "test-data"))
			.resolve("storm-routing-" + UUID.randomUUID() + ".yaml");
		Files.writeString(file, """
				route:
				  name: root
				  notify:
				    email: [%s]
				""".formatted(RECIPIENT));
		return file;
	}

	/**
	 * One webhook as Alertmanager sends it: the group's alerts so far.
	 *
	 * @param group the group key
	 * @param body the JSON body, posted identically on every retry
	 * @param fingerprints the alerts it carries
	 */
	private record Webhook(String group, String body, List<String> fingerprints) {
	}

	/** The senders and what they were answered. */
	private static final class Storm {

		final List<Webhook> webhooks = new ArrayList<>();

		final Set<String> groups = new HashSet<>();

		final ConcurrentLinkedQueue<Webhook> queue;

		final ConcurrentLinkedQueue<Webhook> answered = new ConcurrentLinkedQueue<>();

		final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

		final AtomicInteger retries = new AtomicInteger();

		final CountDownLatch halfAnswered;

		private final List<WardenClient> instances;

		/** The load balancer's view: 1 for an instance it took out of rotation. */
		private final AtomicIntegerArray down;

		private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);

		private Instant deadline = Instant.now().plus(STORM_LIMIT);

		Storm(List<WardenClient> instances) {
			this.instances = instances;
			this.down = new AtomicIntegerArray(instances.size());
			Instant startsAt = Instant.now().minusSeconds(60);
			String run = UUID.randomUUID().toString().substring(0, 8);
			List<Webhook> firsts = new ArrayList<>();
			List<Webhook> seconds = new ArrayList<>();
			for (int g = 0; g < GROUPS; g++) {
				Payloads.Group group = Payloads.group().summary("Storm group " + g);
				List<String> fingerprints = new ArrayList<>();
				for (int i = 0; i < ALERTS_PER_GROUP; i++) {
					String fingerprint = "storm-%s-%04d-%02d".formatted(run, g, i);
					group.firing(fingerprint, startsAt);
					fingerprints.add(fingerprint);
					if (i == ALERTS_PER_GROUP / 2 - 1) {
						firsts.add(new Webhook(group.key(), json.writeValueAsString(group.json()),
								List.copyOf(fingerprints)));
					}
				}
				seconds.add(new Webhook(group.key(), json.writeValueAsString(group.json()), List.copyOf(fingerprints)));
				this.groups.add(group.key());
			}
			// Each group's second notification follows its first after a while, as
			// Alertmanager's group_interval does, while other groups' first ones still
			// arrive: the two halves interleave.
			for (int g = 0; g < GROUPS; g++) {
				this.webhooks.add(firsts.get(g));
				if (g >= 50) {
					this.webhooks.add(seconds.get(g - 50));
				}
			}
			this.webhooks.addAll(seconds.subList(GROUPS - 50, GROUPS));
			this.queue = new ConcurrentLinkedQueue<>(this.webhooks);
			this.halfAnswered = new CountDownLatch(this.webhooks.size() / 2);
		}

		void begin() {
			this.deadline = Instant.now().plus(STORM_LIMIT);
			Thread.ofVirtual().start(() -> {
				while (!this.senders.isTerminated()) {
					System.out.printf("Storm progress: %d answered, %d retries%n", this.answered.size(),
							this.retries.get());
					WardenProcess.sleep(Duration.ofSeconds(5));
				}
			});
			for (int s = 0; s < SENDERS; s++) {
				int home = s % this.instances.size();
				this.senders.execute(() -> {
					Webhook webhook;
					while ((webhook = this.queue.poll()) != null) {
						send(webhook, home);
					}
				});
			}
		}

		void await(Instant until) throws InterruptedException {
			this.senders.shutdown();
			assertThat(this.senders.awaitTermination(Math.max(1, Duration.between(Instant.now(), until).toMillis()),
					TimeUnit.MILLISECONDS))
				.as("storm over in time")
				.isTrue();
		}

		/**
		 * Posts until answered: 503 and connection errors are retried with a backoff
		 * (shorter than Alertmanager's), any other answer is final.
		 */
		private void send(Webhook webhook, int home) {
			Duration backoff = Duration.ofMillis(100);
			for (int attempt = 0;; attempt++) {
				int target = pick(home);
				try {
					WardenClient.Response response = this.instances.get(target).webhook(webhook.body());
					if (response.status() == 200) {
						this.answered.add(webhook);
						this.halfAnswered.countDown();
						return;
					}
					if (response.status() != 503) {
						this.unexpected.add(webhook.group() + ": " + response);
						return;
					}
				}
				catch (UncheckedIOException ex) {
					// Refused or dropped: a passive health check takes the instance out.
					this.down.set(target, 1);
				}
				if (Instant.now().isAfter(this.deadline)) {
					this.unexpected.add(webhook.group() + ": not answered 200 before the deadline");
					return;
				}
				this.retries.incrementAndGet();
				WardenProcess.sleep(backoff);
				backoff = (backoff.compareTo(Duration.ofSeconds(1)) < 0) ? backoff.multipliedBy(2) : backoff;
			}
		}

		private int pick(int home) {
			for (int i = 0; i < this.instances.size(); i++) {
				int candidate = (home + i) % this.instances.size();
				if (this.down.get(candidate) == 0) {
					return candidate;
				}
			}
			return home;
		}

	}

}
