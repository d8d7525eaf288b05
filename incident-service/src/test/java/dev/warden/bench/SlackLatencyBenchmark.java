package dev.warden.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.SharedPostgres;
import dev.warden.WardenClient;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a page takes to reach Slack: from the webhook's 200 to WireMock, standing in
 * for Slack's Web API, receiving the incident's first {@code chat.postMessage}. Every
 * incident goes to one channel, escalates to a person at once (a thread reply), and gets
 * a second alert a second after it opened (another reply and a card update), so new
 * incidents compete with other incidents' replies and updates. Measured idle (one
 * incident every 4 s, well within the channel's pace of one post a second) and in a storm
 * (20 incidents in 10 s). WireMock answers like Slack, after 100 to 250 ms. Warden runs
 * with its shipped defaults for Slack pacing and db-scheduler.
 * <p>
 * A benchmark to rerun, not a test: it asserts only that every incident was posted, and
 * writes the timings to {@code target/benchmark/slack-latency.txt}. Run it with
 * {@code ./mvnw -pl incident-service test -Dtest=SlackLatencyBenchmark -Dwarden.test.excluded-groups= -Dwarden.test.jvm-options=}.
 */
@Tag("benchmark")
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=slack-latency-benchmark", SharedPostgres.OWN + "=true",
		"warden.slack.bot-token=xoxb-benchmark", "warden.notifications.console-url=http://warden.test" })
class SlackLatencyBenchmark {

	private static final String CHANNEL = "#bench-oncall";

	private static final int IDLE_INCIDENTS = 20;

	private static final Duration IDLE_SPACING = Duration.ofSeconds(4);

	private static final int STORM_INCIDENTS = 20;

	private static final Duration STORM_SPACING = Duration.ofMillis(500);

	/** When the second alert of an incident arrives, after it opened. */
	private static final Duration FOLLOW_UP = Duration.ofSeconds(1);

	private static final String ROUTING = """
			route:
			  name: root
			  notify:
			    slack: ["%s"]
			  escalation-policy: bench-policy
			""".formatted(CHANNEL);

	private static final String ONCALL = """
			users:
			  - {name: alice, full-name: Alice Archer, email: alice@example.com, slack-user-id: U0ALICE,
			     time-zone: UTC}
			schedules:
			  - name: bench-primary
			    time-zone: UTC
			    rotations:
			      - {users: [alice], shift: 1w, handoff: 2026-11-16T09:00}
			escalation-policies:
			  - name: bench-policy
			    repeat: 1
			    levels:
			      - delay: 0m
			        notify:
			          users: [alice]
			      - delay: 30m
			        notify:
			          users: [alice]
			""";

	private static final WireMockServer slack = new WireMockServer(
			WireMockConfiguration.options().dynamicPort().containerThreads(40));

	static {
		slack.start();
		slack.stubFor(post(urlPathEqualTo("/api/chat.postMessage")).willReturn(okJson("""
				{"ok": true, "channel": "C0BENCH", "ts": "1763845200.{{randomValue length=6 type='NUMERIC'}}",
				 "message": {"type": "message", "text": "posted"}}""").withTransformers("response-template")
			.withUniformRandomDelay(100, 250)));
		slack.stubFor(post(urlPathEqualTo("/api/chat.update")).willReturn(okJson("""
				{"ok": true, "channel": "C0BENCH", "ts": "1763845200.000001", "text": "updated"}""")
			.withUniformRandomDelay(100, 250)));
		slack.stubFor(post(urlPathEqualTo("/api/conversations.history")).willReturn(okJson("""
				{"ok": true, "messages": [], "has_more": false}""").withUniformRandomDelay(100, 250)));
		slack.stubFor(post(urlPathEqualTo("/api/conversations.replies")).willReturn(okJson("""
				{"ok": true, "messages": [], "has_more": false}""").withUniformRandomDelay(100, 250)));
		slack.stubFor(post(urlPathEqualTo("/api/conversations.list")).willReturn(okJson("""
				{"ok": true, "channels": [{"id": "C0BENCH", "name": "bench-oncall"}],
				 "response_metadata": {"next_cursor": ""}}""").withUniformRandomDelay(100, 250)));
	}

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.slack.methods-url", () -> "http://localhost:" + slack.port() + "/api/");
		registry.add("warden.routing.file", () -> write("bench-routing-", ROUTING).toString());
		registry.add("warden.oncall.file", () -> write("bench-oncall-", ONCALL).toString());
	}

	@AfterAll
	static void stop() {
		slack.stop();
	}

	@Test
	void firstPostAfterTheWebhookIdleAndInAStormIntoOneChannel() throws Exception {
		WardenClient warden = new WardenClient(this.port);
		// Warm-up: the first incident pays for class loading and the channel lookup.
		Sent warmUp = open(warden, "warm-up");
		awaitFirstPosts(List.of(warmUp), Duration.ofSeconds(30));
		TimeUnit.SECONDS.sleep(5);

		List<Sent> idle = run(warden, "idle", IDLE_INCIDENTS, IDLE_SPACING);
		Map<Long, Long> idlePosts = awaitFirstPosts(idle, Duration.ofSeconds(60));
		// Let the idle incidents' replies and updates drain before the storm.
		TimeUnit.SECONDS.sleep(15);

		long stormStarted = System.currentTimeMillis();
		List<Sent> storm = run(warden, "storm", STORM_INCIDENTS, STORM_SPACING);
		Map<Long, Long> stormPosts = awaitFirstPosts(storm, Duration.ofSeconds(90));
		long stormLastPost = stormPosts.values().stream().mapToLong(Long::longValue).max().orElse(0);
		// Replies and updates of the storm that Slack had before its last first post.
		TimeUnit.SECONDS.sleep(10);
		long repliesBefore = calls("chat.postMessage").stream()
			.filter((call) -> call.form().containsKey("thread_ts"))
			.filter((call) -> call.at() >= stormStarted && call.at() <= stormLastPost)
			.count();
		long updatesBefore = calls("chat.update").stream()
			.filter((call) -> call.at() >= stormStarted && call.at() <= stormLastPost)
			.count();
		long replies = calls("chat.postMessage").stream()
			.filter((call) -> call.form().containsKey("thread_ts"))
			.filter((call) -> call.at() >= stormStarted)
			.count();
		long updates = calls("chat.update").stream().filter((call) -> call.at() >= stormStarted).count();

		String report = "Webhook answered 200 -> Slack (WireMock, answers in 100-250 ms) receives the incident's first chat.postMessage, ms%n"
			.formatted() + "%-44s %4s %7s %7s %7s %7s%n".formatted("scenario", "n", "p50", "p90", "p99", "max")
				+ row("idle: 1 incident every 4 s", latencies(idle, idlePosts))
				+ row("storm: 20 incidents in 10 s, one channel", latencies(storm, stormPosts))
				+ ("Storm traffic to the channel after its first post: %d thread replies and %d card updates in all;"
						+ " %d replies and %d updates reached Slack before the storm's last first post%n")
					.formatted(replies, updates, repliesBefore, updatesBefore);
		Path out = Path.of("target", "benchmark", "slack-latency.txt");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report);
		System.out.println(report);
		assertThat(idlePosts).hasSize(IDLE_INCIDENTS);
		assertThat(stormPosts).hasSize(STORM_INCIDENTS);
	}

	/**
	 * Opens incidents at a steady pace; each gets a second alert {@link #FOLLOW_UP} after
	 * it opened.
	 */
	private static List<Sent> run(WardenClient warden, String name, int count, Duration spacing)
			throws InterruptedException {
		List<Sent> sent = new ArrayList<>();
		List<Payloads.Group> groups = new ArrayList<>();
		List<Long> followUpAt = new ArrayList<>();
		long start = System.currentTimeMillis();
		int followedUp = 0;
		for (int i = 0; i < count || followedUp < count;) {
			long nextOpen = (i < count) ? start + i * spacing.toMillis() : Long.MAX_VALUE;
			long nextFollowUp = (followedUp < i) ? followUpAt.get(followedUp) : Long.MAX_VALUE;
			long next = Math.min(nextOpen, nextFollowUp);
			long wait = next - System.currentTimeMillis();
			if (wait > 0) {
				TimeUnit.MILLISECONDS.sleep(wait);
			}
			if (nextOpen <= nextFollowUp) {
				Payloads.Group group = Payloads.group();
				groups.add(group);
				sent.add(open(warden, group, name + "-" + i));
				followUpAt.add(System.currentTimeMillis() + FOLLOW_UP.toMillis());
				i++;
			}
			else {
				Payloads.Group group = groups.get(followedUp);
				warden.open(group.next()
					.firing("fp-" + UUID.randomUUID(), IntegrationTest.START.minusSeconds(20))
					.summary("benchmark " + name + "-" + followedUp)
					.json());
				followedUp++;
			}
		}
		return sent;
	}

	private static Sent open(WardenClient warden, String title) {
		return open(warden, Payloads.group(), title);
	}

	private static Sent open(WardenClient warden, Payloads.Group group, String title) {
		long incident = warden.open(
				group.firing("fp-" + UUID.randomUUID(), IntegrationTest.START.minusSeconds(30)).summary(title).json());
		return new Sent(incident, System.currentTimeMillis());
	}

	/**
	 * When Slack received each incident's first post (epoch millis), waiting for all of
	 * them up to the timeout.
	 */
	private static Map<Long, Long> awaitFirstPosts(List<Sent> sent, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		Map<Long, Long> found = new LinkedHashMap<>();
		while (true) {
			found.clear();
			for (Call call : calls("chat.postMessage")) {
				String metadata = call.form().getOrDefault("metadata", "");
				if (call.form().containsKey("thread_ts")) {
					continue;
				}
				for (Sent each : sent) {
					if (metadata.contains("incident:" + each.incident() + ":slack:" + CHANNEL + ":message")) {
						found.merge(each.incident(), call.at(), Math::min);
					}
				}
			}
			if (found.size() == sent.size() || System.nanoTime() > deadline) {
				return Map.copyOf(found);
			}
			TimeUnit.MILLISECONDS.sleep(200);
		}
	}

	private static double[] latencies(List<Sent> sent, Map<Long, Long> posts) {
		return sent.stream()
			.filter((each) -> posts.containsKey(each.incident()))
			.mapToDouble((each) -> posts.get(each.incident()) - each.answeredAt())
			.sorted()
			.toArray();
	}

	private static String row(String scenario, double[] millis) {
		if (millis.length == 0) {
			return "%-44s %4d%n".formatted(scenario, 0);
		}
		return "%-44s %4d %7.0f %7.0f %7.0f %7.0f%n".formatted(scenario, millis.length, percentile(millis, 0.50),
				percentile(millis, 0.90), percentile(millis, 0.99), millis[millis.length - 1]);
	}

	/** Nearest-rank percentile of sorted values. */
	private static double percentile(double[] sorted, double quantile) {
		return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
	}

	private static List<Call> calls(String method) {
		return slack.findAll(postRequestedFor(urlPathEqualTo("/api/" + method))).stream().map(Call::of).toList();
	}

	private static Path write(String prefix, String content) {
		try {
			Path file = Files.createTempFile(prefix, ".yaml");
			Files.writeString(file, content);
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** An incident opened, and when the webhook's 200 arrived (epoch millis). */
	private record Sent(long incident, long answeredAt) {
	}

	/** A call Slack received: its form fields and when it arrived (epoch millis). */
	private record Call(Map<String, String> form, long at) {

		static Call of(LoggedRequest request) {
			Map<String, String> fields = new LinkedHashMap<>();
			for (String pair : request.getBodyAsString().split("&")) {
				int equals = pair.indexOf('=');
				if (equals > 0) {
					fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
							URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
				}
			}
			return new Call(fields, request.getLoggedDate().getTime());
		}

	}

}
