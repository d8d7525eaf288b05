package dev.warden.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.RunsAlone;
import dev.warden.WardenClient;
import dev.warden.WardenProcess;
import dev.warden.notifications.SlackApi;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Warden instances behind HAProxy (round-robin, no stickiness) post to one channel of
 * one Slack (WireMock) no faster than one instance may: a storm of new incidents, each
 * followed by a second alert (a thread reply), arrives alternately at both instances, and
 * in every stretch of time the channel's posts, as WireMock received them, stay within
 * the channel's burst plus its steady pace over that stretch. Every incident's first
 * message is posted in the end. With a pace per instance, each instance would spend its
 * own burst and the storm's first second would carry twice the burst.
 */
@RunsAlone
@ResourceLock(RunsAlone.CORES)
@IntegrationTest
@ExtendWith(HaproxyAvailable.class)
@TestPropertySource(properties = { "db-scheduler.enabled=false", "warden.test.context=cluster-slack-pacing" })
class SlackPacingAcrossInstancesIntegrationTests {

	static final String CHANNEL = "#it-oncall";

	static final Duration INTERVAL = Duration.ofMillis(500);

	static final int BURST = 4;

	static final int INCIDENTS = 20;

	/**
	 * WireMock logs a request when it has read it, after the turn it took: a post whose
	 * request was slow (a loaded machine, a pause) arrives late and bunches up with the
	 * next turn's. One turn of slack covers that. The test still tells a shared pace from
	 * one per instance: two instances with a pace each post twice as fast over any long
	 * stretch, which no turn of slack covers: the whole storm (40 posts, burst 4) must
	 * take at least 17.5 s, where two paces would let it end in about half that. (On CI,
	 * with 150 ms of slack, 6 arrivals within 843 ms failed a run whose turns held.)
	 */
	static final Duration ARRIVAL_JITTER = INTERVAL;

	private static final SlackApi slack = new SlackApi();

	@Autowired
	DataSource dataSource;

	@AfterAll
	static void stop() {
		slack.close();
	}

	@Test
	void twoInstancesStormingOneChannelKeepItsPace() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("warden.slack.bot-token", "xoxb-cluster");
		properties.put("warden.slack.methods-url", slack.url());
		properties.put("warden.slack.channel-interval", INTERVAL.toMillis() + "ms");
		properties.put("warden.slack.channel-burst", String.valueOf(BURST));
		properties.put("warden.slack.reply-burst", "2");
		properties.put("warden.routing.file", write("routing-", """
				route:
				  name: root
				  notify:
				    slack: ["%s"]
				""".formatted(CHANNEL)).toString());
		properties.put("warden.oncall.file", write("oncall-", """
				users:
				  - {name: alice, full-name: Alice Archer, email: alice@example.com, slack-user-id: U0ALICE,
				     time-zone: UTC}
				""").toString());
		try (WardenCluster cluster = WardenCluster.start("slack-pacing", this.dataSource, 2, properties)) {
			WardenClient warden = new WardenClient(URI.create(cluster.haproxy().url()).getPort());
			Instant storm = warmUp(cluster);
			List<Long> incidents = new ArrayList<>();
			List<Payloads.Group> groups = new ArrayList<>();
			for (int i = 0; i < INCIDENTS; i++) {
				Payloads.Group group = Payloads.group();
				groups.add(group);
				incidents.add(warden.open(group.firing("fp-" + UUID.randomUUID(), Instant.now().minusSeconds(30))
					.summary("storm " + i)
					.json()));
			}
			for (Payloads.Group group : groups) {
				assertThat(
						warden.webhook(group.next().firing("fp-" + UUID.randomUUID(), Instant.now()).json()).status())
					.isEqualTo(200);
			}
			assertThat(cluster.haproxy().requests()).extracting(Haproxy.Request::server)
				.as("the storm reached both instances")
				.contains("w1", "w2");

			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofSeconds(1))
				.untilAsserted(
						() -> assertThat(incidents).allSatisfy((incident) -> assertThat(slack.calls("chat.postMessage")
							.stream()
							.filter((post) -> post.getOrDefault("metadata", "")
								.contains("incident:" + incident + ":slack:" + CHANNEL + ":message")))
							.as("incident %d's first message among %d posts", incident,
									slack.calls("chat.postMessage").size())
							.hasSize(1)));
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> arrivals(storm).size() >= 2 * INCIDENTS);

			List<Instant> arrivals = arrivals(storm);
			assertThat(arrivals).as("a first message and a reply per incident").hasSize(2 * INCIDENTS);
			assertWithinPace(arrivals);
		}
	}

	/**
	 * In every stretch from one post's arrival to a later one's, the posts in it are at
	 * most the burst plus one per interval of the stretch (plus the arrival jitter).
	 */
	static void assertWithinPace(List<Instant> arrivals) {
		for (int from = 0; from < arrivals.size(); from++) {
			for (int to = from; to < arrivals.size(); to++) {
				Duration stretch = Duration.between(arrivals.get(from), arrivals.get(to));
				long allowed = BURST + stretch.plus(ARRIVAL_JITTER).toNanos() / INTERVAL.toNanos();
				int posts = to - from + 1;
				assertThat(posts)
					.as("posts from %s to %s (%d ms), the channel's pace allows %d: %s", arrivals.get(from),
							arrivals.get(to), stretch.toMillis(), allowed, arrivals)
					.isLessThanOrEqualTo((int) allowed);
			}
		}
	}

	/**
	 * Has both instances post to Slack before the storm, so that no post of the storm
	 * arrives late only because its instance's Slack client was still loading: a burst
	 * arriving late and the next turn on time would look closer together than the turns
	 * were. Jobs go to whichever instance polls first, so six warm-up incidents (posted
	 * to each instance in turn) reach both. Then the channel's bucket refills whole.
	 * @return when the storm starts: only posts after it are judged
	 */
	private static Instant warmUp(WardenCluster cluster) {
		for (int i = 0; i < 6; i++) {
			new WardenClient(cluster.instance(1 + (i % 2)).port).open(Payloads.group()
				.firing("warm-up-" + UUID.randomUUID(), Instant.now())
				.summary("warm-up " + i)
				.json());
		}
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> posts().size() >= 6);
		WardenProcess.sleep(INTERVAL.multipliedBy(BURST).plusSeconds(1));
		return Instant.now();
	}

	private static List<LoggedRequest> posts() {
		return slack.journal(postRequestedFor(urlPathEqualTo("/api/chat.postMessage")));
	}

	/**
	 * When WireMock received each chat.postMessage to the channel (first messages and
	 * their thread replies), in order.
	 */
	private static List<Instant> arrivals(Instant storm) {
		return posts().stream()
			.map((request) -> request.getLoggedDate().toInstant())
			.filter((arrival) -> arrival.isAfter(storm))
			.sorted(Comparator.naturalOrder())
			.toList();
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

}
