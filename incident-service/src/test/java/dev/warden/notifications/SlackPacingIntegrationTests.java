package dev.warden.notifications;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.RunsAlone;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.WardenProcess;

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
 * Pages first: a new incident's first message in a channel overtakes other incidents'
 * replies queued for the same channel, and card updates coalesce so that only the newest
 * state of a card is sent. Asserted on the order and content of the calls WireMock,
 * standing in for Slack, received, with generous bounds rather than timings. The
 * channel's pace is slow here (one post per 1.5 s, a burst of 2, of which replies may use
 * 1) so that replies queue up. A card update whose job is about to end never loses a
 * change that commits meanwhile.
 */
@RunsAlone
@Isolated
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=slack-pacing", "warden.slack.bot-token=xoxb-test-token",
		"warden.slack.timeout=2s", "warden.slack.channel-interval=1500ms", "warden.slack.channel-burst=2",
		"warden.slack.reply-burst=1", "warden.notifications.console-url=http://warden.test" })
class SlackPacingIntegrationTests {

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
	void newIncidentsFirstMessageOvertakesRepliesQueuedForTheSameChannel() {
		Payloads.Group busy = Payloads.group();
		long busyIncident = open(busy, "busy-" + UUID.randomUUID());
		String thread = awaitThread(busyIncident);
		// Eight batches of new alerts: eight replies owed to the channel at once, more
		// than its pace lets through for several seconds.
		for (int i = 0; i < 8; i++) {
			assertThat(this.warden
				.webhook(busy.next().firing("fp-" + UUID.randomUUID(), this.clock.instant()).summary("busy").json())
				.status()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> replies(busyIncident) == 8);
		long repliesBeforeThePage = channelPosts(thread, -1).stream().filter("reply"::equals).count();
		assertThat(repliesBeforeThePage).as("the channel's pace holds most replies back").isLessThanOrEqualTo(4);

		long page = open(Payloads.group(), "page-" + UUID.randomUUID());

		await().atMost(Duration.ofSeconds(40))
			.until(() -> channelPosts(thread, page).stream().filter("reply"::equals).count() == 8);
		List<String> order = channelPosts(thread, page);
		int pageAt = order.indexOf("page");
		assertThat(pageAt).as("the page was posted: %s", order).isNotNegative();
		long repliesAfterThePage = order.subList(pageAt + 1, order.size()).stream().filter("reply"::equals).count();
		// Every reply was owed before the page; at most one had booked its turn or was on
		// the wire when the page came.
		assertThat(repliesAfterThePage).as("replies owed earlier but posted after the page: %s", order)
			.isGreaterThanOrEqualTo(8 - repliesBeforeThePage - 1);
		assertThat(order.stream().filter("page"::equals).count()).as("the page posted once").isEqualTo(1);
	}

	@Test
	void rapidChangesMakeFewerUpdatesAndTheLastCarriesTheNewestState() {
		long incident = open(Payloads.group(), "coalesce-" + UUID.randomUUID());
		String ts = awaitThread(incident);
		WardenProcess.sleep(Duration.ofSeconds(3));
		assertThat(updates(ts)).as("the message was posted current: nothing to update").isEmpty();

		List<Response> changes = new ArrayList<>();
		changes.add(this.warden.post("/api/v1/incidents/" + incident + "/acknowledge", Map.of()));
		for (int i = 0; i < 3; i++) {
			changes.add(this.warden.post("/api/v1/incidents/" + incident + "/notes", Map.of("text", "note " + i)));
			WardenProcess.sleep(Duration.ofMillis(300));
		}
		changes.add(this.warden.post("/api/v1/incidents/" + incident + "/severity", Map.of("severity", "critical")));
		changes.add(this.warden.post("/api/v1/incidents/" + incident + "/resolve", Map.of()));
		assertThat(changes).allSatisfy((change) -> assertThat(change.status()).as(change.toString()).isEqualTo(200));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(updates(ts)).last()
				.satisfies((update) -> assertThat(update.get("text")).contains("resolved").contains("CRITICAL")));
		WardenProcess.sleep(Duration.ofSeconds(3));
		List<Map<String, String>> updates = updates(ts);
		assertThat(updates).as("%d changes", changes.size()).isNotEmpty().hasSizeLessThan(changes.size());
		assertThat(updates.getLast().get("text")).as("nothing older after the newest state")
			.contains("resolved")
			.contains("CRITICAL");
		assertMessageKnownToShowResolution(incident);
	}

	/**
	 * A change that commits while an incident's Slack refresh job takes its last look
	 * (after its last update, before it ends) still reaches the card within seconds, not
	 * at the sweep ({@link NotificationJobs#SWEEP_INTERVAL}). The job ends only under the
	 * incident's refresh lock (see {@link Deliveries#endRefresh}), so the test holds that
	 * lock from its own connection to stop the job in its last look, commits the change
	 * meanwhile, and then lets the job go: the card has to show the change within
	 * seconds, and the job ends only after that.
	 */
	@Test
	void changeCommittedWhileTheRefreshTakesItsLastLookReachesTheCard() throws Exception {
		String title = "refresh-lock-" + UUID.randomUUID();
		long incident = open(Payloads.group(), title);
		String ts = awaitThread(incident);
		assertThat(slack.calls("chat.postMessage")).as("the incident's message")
			.anySatisfy((post) -> assertThat(post.get("text")).contains(title));

		Response acknowledge = this.warden.post("/api/v1/incidents/" + incident + "/acknowledge", Map.of());
		assertThat(acknowledge.status()).as(acknowledge.toString()).isEqualTo(200);
		await("the refresh job for the acknowledgement is scheduled").atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> refreshJobs(incident) == 1);

		// A connection of its own, not the application's pool: a lock left on it by a
		// failed unlock ends with the connection instead of going back to the pool.
		HikariDataSource pool = (HikariDataSource) this.dataSource;
		long versionInLastLook;
		try (Connection connection = DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(),
				pool.getPassword())) {
			JdbcClient session = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			// The job, due a second after the acknowledgement, first updates the card
			// and only then looks again: taken now, the lock holds up that last look.
			session.sql("select pg_advisory_lock(hashtext(?))")
				.param(NotificationStore.refreshLockKey(incident))
				.query()
				.rowSet();
			try {
				int holder = session.sql("select pg_backend_pid()").query(Integer.class).single();
				Waiter lastLook = await("the refresh job updates the card and waits for the lock in its last look")
					.atMost(Duration.ofSeconds(15))
					.pollInterval(Duration.ofMillis(50))
					.until(() -> lastLookWaiting(incident, ts, holder), Optional::isPresent)
					.orElseThrow();

				versionInLastLook = refreshJobVersion(incident).orElseThrow();

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
				session.sql("select pg_advisory_unlock(hashtext(?))")
					.param(NotificationStore.refreshLockKey(incident))
					.query()
					.rowSet();
			}
		}

		// The job's last look saw the resolution and stayed: the same row, rescheduled
		// (db-scheduler counts up its version), never removed and written anew by the
		// resolution's follower (a new row starts again at version 1).
		long versionAfter = await("the refresh job is rescheduled after its last look").atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> waitingRefreshVersion(incident), (version) -> version != 0);
		assertThat(versionAfter).as("the refresh job's version: the job stayed rather than being written anew")
			.isGreaterThan(versionInLastLook);
		await("the card shows the resolution").atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(updates(ts)).last()
				.satisfies((update) -> assertThat(update.get("text")).contains(status(incident, "resolved"))));
		await("the refresh job ends").atMost(Duration.ofSeconds(10)).until(() -> refreshJobs(incident) == 0);
		assertMessageKnownToShowResolution(incident);
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

	private Optional<Long> refreshJobVersion(long incident) {
		return this.jdbc.sql("select version from scheduled_tasks where task_name = ? and task_instance = ?")
			.params(NotificationJobs.REFRESH.getTaskName(), String.valueOf(incident))
			.query(Long.class)
			.optional();
	}

	/**
	 * The version of the incident's refresh job once it waits to run again (not picked);
	 * 0 while it is running. Fails if the job is gone.
	 */
	private long waitingRefreshVersion(long incident) {
		Map<String, Object> row = this.jdbc
			.sql("select picked, version from scheduled_tasks where task_name = ? and task_instance = ?")
			.params(NotificationJobs.REFRESH.getTaskName(), String.valueOf(incident))
			.query()
			.listOfRows()
			.stream()
			.findFirst()
			.orElseThrow(() -> new AssertionError("the refresh job was removed after its last look"));
		return Boolean.TRUE.equals(row.get("picked")) ? 0 : ((Number) row.get("version")).longValue();
	}

	private long refreshJobs(long incident) {
		return this.jdbc.sql("select count(*) from scheduled_tasks where task_name = ? and task_instance = ?")
			.params(NotificationJobs.REFRESH.getTaskName(), String.valueOf(incident))
			.query(Long.class)
			.single();
	}

	private void assertMessageKnownToShowResolution(long incident) {
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
	 * The channel's posts in the order Slack received them: {@code reply} for a reply in
	 * the thread, {@code page} for the page's first message, {@code other} otherwise.
	 */
	private static List<String> channelPosts(String thread, long page) {
		return slack.calls("chat.postMessage").stream().map((post) -> {
			if (thread.equals(post.get("thread_ts"))) {
				return "reply";
			}
			return post.getOrDefault("metadata", "").contains("incident:" + page + ":slack:#it-oncall:message") ? "page"
					: "other";
		}).toList();
	}

	private static List<Map<String, String>> updates(String ts) {
		return slack.calls("chat.update").stream().filter((update) -> ts.equals(update.get("ts"))).toList();
	}

	/** The replies owed in the incident's thread, whatever their state. */
	private long replies(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident + "/notifications")
			.json()
			.valueStream()
			.filter((each) -> each.get("kind").asString().equals("slack.reply"))
			.count();
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

	private long open(Payloads.Group group, String title) {
		return this.warden
			.open(group.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30)).summary(title).json());
	}

	/** How the card's text ends for the incident in the status. */
	private static String status(long incident, String status) {
		return "(#" + incident + ", " + status + ")";
	}

	/**
	 * A connection waiting for a lock: the same connection waiting in another statement
	 * started at another time.
	 */
	private record Waiter(int pid, String since) {
	}

}
