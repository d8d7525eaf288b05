package dev.warden.runbooks;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A silenced alert is recorded but starts no runbook, and the incident's timeline names
 * the silence; once the silence is expired the same runbook starts again. No Docker
 * engine is needed: the runbook's run is only created, its outcome does not matter here.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=silenced-alerts",
		"warden.docker.host=unix:///tmp/warden-no-such-dir/docker.sock" })
class SilencedAlertsIntegrationTests {

	/** The alerts' run label, which the runbook declares as a target. */
	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	private static final Path RUNBOOKS = writeRunbooks();

	private final String run = RUN;

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void silencedAlertStartsNoRunbookAndTheTimelineNamesTheSilence() {
		Response silence = this.warden.post("/api/v1/silences",
				Map.of("matchers", List.of("alertname=\"SilencedDown\"", "run=\"" + this.run + "\""), "endsAt",
						this.clock.instant().plus(Duration.ofHours(2)).toString(), "comment", "planned maintenance"));
		assertThat(silence.status()).as(silence.toString()).isEqualTo(201);
		String silenceId = silence.json().get("id").asString();

		long silenced = openIncident("fp-silenced");

		assertThat(executionsOf(silenced)).isEmpty();
		assertThat(timeline(silenced)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("alert.suppressed");
			assertThat(event.get("summary").asString()).contains(silenceId).contains("planned maintenance");
			assertThat(event.get("details").get("silence").asString()).isEqualTo(silenceId);
		});

		assertThat(this.warden
			.send(java.net.http.HttpRequest.newBuilder(this.warden.uri("/api/v1/silences/" + silenceId))
				.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
				.DELETE())
			.status()).isEqualTo(200);
		long afterwards = openIncident("fp-after");

		assertThat(executionsOf(afterwards)).as("no silence any more: the runbook starts").hasSize(1);
		assertThat(timeline(afterwards))
			.noneSatisfy((event) -> assertThat(event.get("type").asString()).isEqualTo("alert.suppressed"));
	}

	@Test
	void catastrophicRegexSilenceDoesNotHoldTheWebhookAndStillSilences() {
		// With java.util.regex this matcher backtracks exponentially on 40 a's and a b;
		// RE2/J answers in time linear in the value. The job matcher comes first so that
		// it
		// is the one evaluated for every alert.
		// Its own target: the runbook this hostile alert starts must not spend the other
		// test's budget (budgets hold per target across incidents).
		String run = this.run + "-regex";
		Response silence = this.warden.post("/api/v1/silences",
				Map.of("matchers", List.of("job=~\"(.*a){12}\"", "run=\"" + run + "\""), "endsAt",
						this.clock.instant().plus(Duration.ofHours(2)).toString(), "comment", "regex torture"));
		assertThat(silence.status()).as(silence.toString()).isEqualTo(201);
		String silenceId = silence.json().get("id").asString();
		String hostile = "a".repeat(40) + "b";

		// A first webhook warms the request path up, so that the bound below measures the
		// matching, not a cold start on a loaded machine.
		openIncident("fp-warm-up", Map.of("job", "warm-up", "run", run));

		// Well under a second on a quiet machine; the bound is generous for shared ones,
		// and still far below what a backtracking engine needs (hours for 40 a's).
		long notSilenced = assertTimeoutPreemptively(Duration.ofSeconds(20),
				() -> openIncident("fp-hostile", Map.of("job", hostile, "run", run)));

		assertThat(timeline(notSilenced))
			.noneSatisfy((event) -> assertThat(event.get("type").asString()).isEqualTo("alert.suppressed"));

		long silenced = openIncident("fp-twelve", Map.of("job", "xa".repeat(12), "run", run));

		assertThat(executionsOf(silenced)).isEmpty();
		assertThat(timeline(silenced)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("alert.suppressed");
			assertThat(event.get("details").get("silence").asString()).isEqualTo(silenceId);
		});
		assertThat(this.warden
			.send(HttpRequest.newBuilder(this.warden.uri("/api/v1/silences/" + silenceId))
				.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
				.DELETE())
			.status()).isEqualTo(200);
	}

	@Test
	void silenceWithAPatternRe2RefusesIsABadRequestNamingTheMatcher() {
		Response lookahead = this.warden.post("/api/v1/silences",
				Map.of("matchers", List.of("alertname=\"SilencedDown\"", "job=~\"(?=api).*\""), "endsAt",
						this.clock.instant().plus(Duration.ofHours(2)).toString(), "comment", "lookahead"));

		assertThat(lookahead.status()).isEqualTo(400);
		assertThat(lookahead.contentType()).startsWith("application/problem+json");
		assertThat(lookahead.json().get("detail").asString()).contains("matchers[1]", "job=~\"(?=api).*\"", "RE2");

		Response backreference = this.warden.post("/api/v1/silences", Map.of("matchers", List.of("job=~\"(a)\\\\1\""),
				"endsAt", this.clock.instant().plus(Duration.ofHours(2)).toString(), "comment", "backreference"));
		assertThat(backreference.status()).isEqualTo(400);
		assertThat(backreference.json().get("detail").asString()).contains("matchers[0]", "(a)\\1", "RE2");
		assertThat(this.warden.get("/api/v1/silences?state=all").json().findValuesAsString("comment"))
			.doesNotContain("lookahead", "backreference");
	}

	private long openIncident(String fingerprint) {
		return openIncident(fingerprint, Map.of());
	}

	private long openIncident(String fingerprint, Map<String, String> extraLabels) {
		Payloads.Group group = Payloads.group();
		ObjectNode payload = group
			.alert(fingerprint + "-" + this.run, "firing", this.clock.instant().minusSeconds(10), null, "critical")
			.json();
		ObjectNode labels = (ObjectNode) payload.get("alerts").get(0).get("labels");
		labels.put("alertname", "SilencedDown");
		labels.put("run", this.run);
		extraLabels.forEach(labels::put);
		Response response = this.warden.webhook(payload);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().get("incident").asLong();
	}

	private JsonNode executionsOf(long incident) {
		this.warden.awaitFollowedUp(incident);
		return this.warden.get("/api/v1/runbook-executions?incident=" + incident).json();
	}

	/**
	 * The timeline once the followers (runbooks among them) have acted on the incident.
	 */
	private List<JsonNode> timeline(long incident) {
		return this.warden.awaitFollowedUp(incident).get("timeline").valueStream().toList();
	}

	private static Path writeRunbooks() {
		RunbookDirectory directory = new RunbookDirectory().substituting("RUN_ID", RUN);
		directory.write("silenced-restart.yaml", """
				id: silenced-restart
				title: Restart, unless silenced
				match: ['alertname="SilencedDown"']
				mode: auto
				cooldown: 0s
				targets: {run: ["RUN_ID", "RUN_ID-regex"]}
				steps:
				  - name: Restart
				    action: docker.restart
				    with:
				      selector:
				        app: silenced
				        warden.test-run: "{{ labels.run }}"
				      stop-timeout: 1s
				""");
		return directory.path();
	}

}
