package dev.warden.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing and silences through the running service: the route test answers as documented,
 * a broken reload keeps the last good tree, and silences are created, listed and expired
 * by the API token's owner.
 */
@IntegrationTest
@TestPropertySource(properties = "warden.test.context=routing")
class RoutingIntegrationTests {

	private static final Path ROUTING = routingFile();

	private static final String TREE = """
			route:
			  team: ml-platform
			  notify:
			    slack: ["#ai-oncall"]
			    email: [oncall@example.com]
			    schedules: [ai-primary]
			  escalation-policy: default
			  routes:
			    - name: warden
			      match: [service="warden"]
			      continue: true
			    - name: ai-inference-api
			      match: [service="ai-inference-api"]
			      service: ai-inference-api
			      routes:
			        - name: database
			          match: [alertname="DatabasePortDown"]
			          team: data-platform
			          notify:
			            slack: ["#db-oncall"]
			        - name: model-quality
			          match: [alertname=~"ModelAccuracyLow|DataDriftHigh"]
			          team: ml-research
			          severity: warning
			          notify:
			            slack: ["#ml-quality"]
			          mute:
			            - {days: [mon-fri], from: "18:00", to: "08:00", timezone: Europe/Berlin}
			""";

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	Silences silences;

	@Autowired
	Routing routing;

	@Autowired
	JdbcClient jdbc;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.routing.file", ROUTING::toString);
	}

	@BeforeEach
	void setUp() throws IOException {
		this.warden = new WardenClient(this.port);
		Files.writeString(ROUTING, TREE);
		assertThat(this.routing.reload().applied()).isTrue();
	}

	@Test
	void routeTestAnswersTheMatchedRoutesAndWhatTheyWouldDo() {
		Response response = this.warden.post("/api/v1/routing/test",
				Map.of("labels", Map.of("alertname", "DatabasePortDown", "service", "ai-inference-api")));

		assertThat(response.status()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.get("at").asString()).isEqualTo(this.clock.instant().toString());
		assertThat(body.get("routes")).hasSize(1);
		JsonNode database = body.get("routes").get(0);
		assertThat(database.get("path").asString()).isEqualTo("root > ai-inference-api > database");
		assertThat(database.get("match").get(0).asString()).isEqualTo("alertname=\"DatabasePortDown\"");
		assertThat(database.get("team").asString()).isEqualTo("data-platform");
		assertThat(database.get("service").asString()).isEqualTo("ai-inference-api");
		assertThat(database.get("severity").isNull()).isTrue();
		assertThat(database.get("targets").get("slack").get(0).asString()).isEqualTo("#db-oncall");
		assertThat(database.get("targets").get("email").get(0).asString()).isEqualTo("oncall@example.com");
		assertThat(database.get("targets").get("schedules").get(0).asString()).isEqualTo("ai-primary");
		assertThat(database.get("escalationPolicy").asString()).isEqualTo("default");
		assertThat(database.get("muted").asBoolean()).isFalse();
		assertThat(body.get("silencedBy").isNull()).isTrue();
	}

	@Test
	void routeTestAtAGivenTimeShowsTheMuteWindowAndContinuedRoutes() {
		Response response = this.warden.post("/api/v1/routing/test", Map.of("labels",
				Map.of("alertname", "ModelAccuracyLow", "service", "ai-inference-api"), "at", "2026-06-10T20:00:00Z"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode muted = response.json().get("routes").get(0);

		assertThat(muted.get("path").asString()).isEqualTo("root > ai-inference-api > model-quality");
		assertThat(muted.get("severity").asString()).isEqualTo("warning");
		assertThat(muted.get("muted").asBoolean()).isTrue();
		assertThat(muted.get("muteWindow").get("description").asString())
			.isEqualTo("mon,tue,wed,thu,fri 18:00-08:00 Europe/Berlin");

		JsonNode both = this.warden
			.post("/api/v1/routing/test", Map.of("labels", Map.of("service", "warden", "alertname", "WardenDown")))
			.json();
		assertThat(both.get("routes").findValuesAsString("path")).containsExactly("root > warden");
	}

	@Test
	void routeTestWithoutLabelsIsABadRequest() {
		Response response = this.warden.post("/api/v1/routing/test", Map.of("at", "2026-06-10T20:00:00Z"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains("labels");
	}

	@Test
	void brokenReloadKeepsTheLastGoodTreeAndReportsItsProblems() throws IOException {
		Files.writeString(ROUTING,
				TREE.replace("team: data-platform", "team: data-platform\n          severity: urgent")
					.replace("oncall@example.com", "oncall-at-example"));

		Response reload = this.warden.post("/api/v1/routing/reload", null);

		assertThat(reload.status()).isEqualTo(200);
		assertThat(reload.json().get("applied").asBoolean()).isFalse();
		assertThat(reload.json().get("problems").findValues("line")).extracting(JsonNode::asInt).containsExactly(5, 19);
		assertThat(reload.json().get("problems").findValuesAsString("file")).containsOnly(ROUTING.toString());
		JsonNode tree = this.warden.get("/api/v1/routing").json();
		assertThat(tree.get("problems")).hasSize(2);
		assertThat(tree.get("root").get("routes").get(1).get("routes").get(0).get("severity").isNull())
			.as("the tree in use is still the last good one")
			.isTrue();
		assertThat(this.warden
			.post("/api/v1/routing/test",
					Map.of("labels", Map.of("alertname", "DatabasePortDown", "service", "ai-inference-api")))
			.json()
			.get("routes")
			.get(0)
			.get("team")
			.asString()).isEqualTo("data-platform");

		Files.writeString(ROUTING, TREE.replace("team: data-platform", "team: storage"));
		Response fixed = this.warden.post("/api/v1/routing/reload", null);
		assertThat(fixed.status()).as(fixed.toString()).isEqualTo(200);

		assertThat(fixed.json().get("applied").asBoolean()).isTrue();
		assertThat(this.warden.get("/api/v1/routing").json().get("problems")).isEmpty();
		assertThat(this.routing.route(Map.of("alertname", "DatabasePortDown", "service", "ai-inference-api"),
				this.clock.instant()))
			.extracting(RouteDecision::team)
			.containsExactly("storage");
	}

	@Test
	void silenceIsCreatedListedAndExpiredByTheTokensOwner() {
		Instant now = this.clock.instant();
		Response created = this.warden.post("/api/v1/silences",
				Map.of("matchers", List.of("alertname=\"SilencedDuringMaintenance\"", "service=~\"ai-.*\""), "endsAt",
						now.plus(Duration.ofHours(2)).toString(), "comment", "database maintenance"));

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode silence = created.json();
		String id = silence.get("id").asString();
		assertThat(created.header("Location")).endsWith("/api/v1/silences/" + id);
		assertThat(silence.get("state").asString()).isEqualTo("active");
		assertThat(silence.get("createdBy").asString()).isNotBlank().isNotEqualTo("anonymous");
		assertThat(silence.get("startsAt").asString()).isEqualTo(now.toString());
		assertThat(silence.get("matchers").get(1).asString()).isEqualTo("service=~\"ai-.*\"");

		assertThat(ids(this.warden.get("/api/v1/silences?state=active"))).contains(id);
		assertThat(ids(this.warden.get("/api/v1/silences?state=expired"))).doesNotContain(id);
		assertThat(
				this.warden
					.post("/api/v1/routing/test",
							Map.of("labels",
									Map.of("alertname", "SilencedDuringMaintenance", "service", "ai-inference-api")))
					.json()
					.get("silencedBy")
					.get("id")
					.asString())
			.isEqualTo(id);

		Response expired = delete("/api/v1/silences/" + id);

		assertThat(expired.status()).as(expired.toString()).isEqualTo(200);
		assertThat(expired.json().get("state").asString()).isEqualTo("expired");
		assertThat(expired.json().get("expiredBy").asString()).isEqualTo(silence.get("createdBy").asString());
		assertThat(ids(this.warden.get("/api/v1/silences?state=active"))).doesNotContain(id);
		assertThat(ids(this.warden.get("/api/v1/silences?state=expired"))).contains(id);
		assertThat(ids(this.warden.get("/api/v1/silences?state=all"))).contains(id);

		Response again = delete("/api/v1/silences/" + id);
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.contentType()).startsWith("application/problem+json");
		assertThat(again.json().get("detail").asString()).contains("already been expired");
		assertThat(delete("/api/v1/silences/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
	}

	@Test
	void invalidSilencesAreBadRequestsWithEveryReason() {
		Instant now = this.clock.instant();

		Response noMatchers = this.warden.post("/api/v1/silences", Map.of("matchers", List.of(), "startsAt",
				now.plusSeconds(60).toString(), "endsAt", now.toString(), "comment", " "));

		assertThat(noMatchers.status()).isEqualTo(400);
		assertThat(noMatchers.contentType()).startsWith("application/problem+json");
		assertThat(noMatchers.json().get("detail").asString()).contains("at least one matcher is required",
				"endsAt (" + now + ") must be after startsAt", "comment is required");

		Response badMatchers = this.warden.post("/api/v1/silences", Map.of("matchers",
				List.of("alertname=~\"(\"", "env!=\"\""), "endsAt", now.plusSeconds(60).toString(), "comment", "x"));
		assertThat(badMatchers.status()).isEqualTo(400);
		assertThat(badMatchers.json().get("detail").asString()).contains("matchers[0]",
				"not a valid regular expression");

		Response everything = this.warden.post("/api/v1/silences",
				Map.of("matchers", List.of("env=~\".*\""), "endsAt", now.plusSeconds(60).toString(), "comment", "x"));
		assertThat(everything.status()).isEqualTo(400);
		assertThat(everything.json().get("detail").asString())
			.contains("at least one matcher must not match an empty label set");

		Response ended = this.warden.post("/api/v1/silences", Map.of("matchers", List.of("env=\"prod\""), "startsAt",
				now.minusSeconds(120).toString(), "endsAt", now.minusSeconds(60).toString(), "comment", "x"));
		assertThat(ended.json().get("detail").asString()).contains("must be in the future");

		assertThat(this.warden.get("/api/v1/silences?state=sleeping").status()).isEqualTo(400);
		assertThat(this.warden.getAnonymously("/api/v1/silences").status()).isEqualTo(401);
	}

	@Test
	void silencingFindsAnActiveSilenceButNotAnExpiredOrFutureOne() {
		Instant now = this.clock.instant();
		Map<String, String> labels = Map.of("alertname", "SilencingProbe", "env", "prod");
		Silence active = this.silences.create(List.of("alertname=\"SilencingProbe\""), null,
				now.plus(Duration.ofHours(1)), "tester", "active now");
		Silence future = this.silences.create(List.of("alertname=\"SilencingProbe\"", "env=\"staging\""),
				now.plus(Duration.ofHours(3)), now.plus(Duration.ofHours(4)), "tester", "later, other env");
		Silence laterProd = this.silences.create(List.of("env=\"prod\"", "alertname=\"SilencingProbe\""),
				now.plus(Duration.ofHours(5)), now.plus(Duration.ofHours(6)), "tester", "later, prod");

		assertThat(this.silences.silencing(labels, now)).map(Silence::id).contains(active.id());
		assertThat(this.silences.silencing(Map.of("alertname", "OtherAlert"), now)).isEmpty();
		assertThat(this.silences.silencing(labels, now.plus(Duration.ofMinutes(90))))
			.as("between the active one's end and the future one's start")
			.isEmpty();
		assertThat(this.silences.silencing(Map.of("alertname", "SilencingProbe", "env", "staging"),
				now.plus(Duration.ofMinutes(200))))
			.map(Silence::id)
			.contains(future.id());
		assertThat(this.silences.silencing(labels, now.plus(Duration.ofHours(4)).plusSeconds(1)))
			.as("the prod one has not started yet")
			.isEmpty();

		this.silences.expire(active.id(), "tester");
		this.silences.expire(laterProd.id(), "tester");

		assertThat(this.silences.silencing(labels, now)).as("expired by hand").isEmpty();
		assertThat(this.silences.silencing(labels, now.plus(Duration.ofMinutes(330)))).as("pending, then expired")
			.isEmpty();
		assertThat(this.silences.find(active.id()).orElseThrow().stateAt(now)).isEqualTo(SilenceState.EXPIRED);
		assertThat(this.silences.find(future.id()).orElseThrow().stateAt(now)).isEqualTo(SilenceState.PENDING);
	}

	@Test
	void storedSilenceRe2RefusesSilencesNothingAndIsExpiredWithTheReason() {
		Instant now = this.clock.instant();
		UUID id = UUID.randomUUID();
		this.jdbc
			.sql("insert into silence (id, matchers, starts_at, ends_at, created_by, created_at, comment)"
					+ " values (?, ?, ?, ?, 'tester', ?, 'stored before matchers were RE2')")
			.params(id, new String[] { "alertname=\"StoredLookahead\"", "job=~\"(?=api).*\"" },
					Timestamp.from(now.minusSeconds(60)), Timestamp.from(now.plus(Duration.ofHours(1))),
					Timestamp.from(now.minusSeconds(60)))
			.update();
		Map<String, String> labels = Map.of("alertname", "StoredLookahead", "job", "api");

		assertThat(this.silences.silencing(labels, now)).isEmpty();
		Response test = this.warden.post("/api/v1/routing/test", Map.of("labels", labels));
		assertThat(test.status()).as(test.toString()).isEqualTo(200);
		assertThat(test.json().get("silencedBy").isNull()).isTrue();
		assertThat(ids(this.warden.get("/api/v1/silences?state=all"))).doesNotContain(id.toString());

		this.silences.expireSilencesRe2Refuses();

		assertThat(this.jdbc.sql("select expired_by from silence where id = ?").param(id).query(String.class).single())
			.isEqualTo("warden (RE2 refuses job=~\"(?=api).*\")");
	}

	private Response delete(String path) {
		return this.warden.send(HttpRequest.newBuilder(this.warden.uri(path))
			.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
			.DELETE());
	}

	private static List<String> ids(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().findValuesAsString("id");
	}

	private static Path routingFile() {
		try {
			return Files.createTempDirectory("warden-routing").resolve("routing.yaml");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
