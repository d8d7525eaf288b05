package dev.warden.notifications;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A change that commits while an incident's Slack refresh job takes its last look (after
 * its last update, before it ends) still reaches the card within seconds, not at the
 * sweep ({@link NotificationJobs#SWEEP_INTERVAL}). The job ends only under the incident's
 * refresh lock (see {@link Deliveries#endRefresh}), so the test holds that lock from its
 * own connection to stop the job in its last look, commits the change meanwhile, and then
 * lets the job go: the card has to show the change within seconds, and the job ends only
 * after that.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=slack-refresh-lock", "warden.slack.bot-token=xoxb-test-token",
		"warden.slack.timeout=1s", "warden.slack.channel-interval=50ms",
		"warden.notifications.console-url=http://warden.test" })
class SlackRefreshLockIntegrationTests {

	private static final SlackApi slack = new SlackApi();

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		NotificationFiles.register(registry, slack);
	}

	@AfterAll
	static void stop() {
		slack.close();
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		slack.reset();
	}

	@Test
	void changeCommittedWhileTheRefreshTakesItsLastLookReachesTheCard() throws Exception {
		String title = "refresh-lock-" + UUID.randomUUID();
		long incident = this.warden.open(Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30))
			.summary(title)
			.json());
		String ts = awaitThread(incident);
		assertThat(slack.calls("chat.postMessage")).as("the incident's message")
			.anySatisfy((post) -> assertThat(post.get("text")).contains(title));

		Response acknowledge = this.warden.post("/api/v1/incidents/" + incident + "/acknowledge", Map.of());
		assertThat(acknowledge.status()).as(acknowledge.toString()).isEqualTo(200);
		await("the refresh job for the acknowledgement is scheduled").atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> refreshJobs(incident) == 1);

		try (Connection connection = this.dataSource.getConnection()) {
			JdbcClient session = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			// The job, due a second after the acknowledgement, first updates the card
			// and only then looks again: taken now, the lock holds up that last look.
			session.sql("select pg_advisory_lock(hashtext(?))").param(lockKey(incident)).query().rowSet();
			try {
				int holder = session.sql("select pg_backend_pid()").query(Integer.class).single();
				Waiter lastLook = await("the refresh job updates the card and waits for the lock in its last look")
					.atMost(Duration.ofSeconds(15))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> lastLookWaiting(incident, ts, holder), Optional::isPresent)
					.orElseThrow();

				Response resolve = this.warden.post("/api/v1/incidents/" + incident + "/resolve", Map.of());
				assertThat(resolve.status()).as(resolve.toString()).isEqualTo(200);

				// A wait for a lock gives up after lock_timeout (5 s), and a last look
				// that gave up looks again anyway: only the same wait, still on, shows
				// that the resolution committed during the last look.
				assertThat(waiters(holder)).as("the job's last look still waits after the resolution committed")
					.contains(lastLook);
				assertThat(updates(ts)).as("no update shows the resolution while the job waits")
					.noneSatisfy((update) -> assertThat(update.get("text")).contains(status(incident, "resolved")));
			}
			finally {
				session.sql("select pg_advisory_unlock(hashtext(?))").param(lockKey(incident)).query().rowSet();
			}
		}

		await("the card shows the resolution").atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(updates(ts)).last()
				.satisfies((update) -> assertThat(update.get("text")).contains(status(incident, "resolved"))));
		await("the refresh job ends").atMost(Duration.ofSeconds(5)).until(() -> refreshJobs(incident) == 0);
		long resolved = this.jdbc
			.sql("select id from timeline_event where incident_id = ? and type = 'incident.resolved'")
			.param(incident)
			.query(Long.class)
			.single();
		assertThat(this.jdbc.sql("select rendered_event_id from slack_thread where incident_id = ?")
			.param(incident)
			.query(Long.class)
			.single()).as("the message is known to show the resolution").isGreaterThanOrEqualTo(resolved);
	}

	/**
	 * The connection that waits for the lock the test holds in the refresh job's last
	 * look: once the job updated the card to the acknowledgement and runs again.
	 */
	private Optional<Waiter> lastLookWaiting(long incident, String ts, int holder) {
		boolean updated = updates(ts).stream()
			.anyMatch((update) -> update.get("text").contains(status(incident, "acknowledged")));
		if (!updated || !refreshRunning(incident)) {
			return Optional.empty();
		}
		return waiters(holder).stream().findFirst();
	}

	/**
	 * Connections waiting for a refresh lock that the connection {@code holder} holds.
	 */
	private List<Waiter> waiters(int holder) {
		return this.jdbc.sql("""
				select pid, query_start::text as since from pg_stat_activity
				where wait_event_type = 'Lock' and wait_event = 'advisory'
				and query like '%pg_advisory_xact_lock%' and ? = any(pg_blocking_pids(pid))
				order by query_start""")
			.param(holder)
			.query((row, number) -> new Waiter(row.getInt("pid"), row.getString("since")))
			.list();
	}

	private boolean refreshRunning(long incident) {
		return this.jdbc.sql("select picked from scheduled_tasks where task_name = ? and task_instance = ?")
			.params(NotificationJobs.REFRESH.getTaskName(), String.valueOf(incident))
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	private long refreshJobs(long incident) {
		return this.jdbc.sql("select count(*) from scheduled_tasks where task_name = ? and task_instance = ?")
			.params(NotificationJobs.REFRESH.getTaskName(), String.valueOf(incident))
			.query(Long.class)
			.single();
	}

	private static List<Map<String, String>> updates(String ts) {
		return slack.calls("chat.update").stream().filter((update) -> ts.equals(update.get("ts"))).toList();
	}

	private String awaitThread(long incident) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.sql("select count(*) from slack_thread where incident_id = ?")
				.param(incident)
				.query(Long.class)
				.single() == 1);
		return this.jdbc.sql("select ts from slack_thread where incident_id = ?")
			.param(incident)
			.query(String.class)
			.single();
	}

	/** How the card's text ends for the incident in the status. */
	private static String status(long incident, String status) {
		return "(#" + incident + ", " + status + ")";
	}

	/** The key of the incident's refresh lock, as {@link NotificationStore} takes it. */
	private static String lockKey(long incident) {
		return "slack-refresh:" + incident;
	}

	/**
	 * A connection waiting for a lock: the same connection waiting in another statement
	 * started at another time.
	 */
	private record Waiter(int pid, String since) {
	}

}
