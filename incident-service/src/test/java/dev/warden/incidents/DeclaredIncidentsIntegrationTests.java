package dev.warden.incidents;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incidents a person declares over the API ({@code POST /api/v1/incidents}): what the
 * declaration keeps, the idempotency key, bad declarations refused with nothing opened,
 * and an Alertmanager group attached later whose alerts then come to the declared
 * incident (which their resolution does not resolve).
 */
@IntegrationTest
class DeclaredIncidentsIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	WardenClient warden;

	/** Unique per test: the declarations' description, to count what they opened. */
	String marker;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		this.marker = "declared-test-" + UUID.randomUUID();
	}

	@Test
	void declarationOpensATriggeredIncidentThatIsRoutedAndAudited() {
		Instant impact = this.clock.instant().minus(Duration.ofMinutes(40));
		Response declared = this.warden.post("/api/v1/incidents",
				declaration("Chat answers cite the wrong policy documents", "critical", "ai-inference-api",
						"ml-platform", Map.of("model", "llama-3-70b"), impact));

		assertThat(declared.status()).as(declared.toString()).isEqualTo(201);
		long id = declared.json().get("id").asLong();
		assertThat(declared.header("Location")).isEqualTo("/api/v1/incidents/" + id);
		JsonNode incident = declared.json();
		assertThat(incident.get("title").asString()).isEqualTo("Chat answers cite the wrong policy documents");
		assertThat(incident.get("status").asString()).isEqualTo("triggered");
		assertThat(incident.get("severity").asString()).isEqualTo("critical");
		assertThat(incident.get("service").asString()).isEqualTo("ai-inference-api");
		assertThat(incident.get("team").asString()).isEqualTo("ml-platform");
		assertThat(incident.get("declaredBy").asString()).isEqualTo("bootstrap");
		assertThat(incident.get("description").asString()).isEqualTo(this.marker);
		assertThat(incident.get("groupKey").asString()).startsWith("warden:declared:");
		assertThat(incident.get("alerts")).isEmpty();
		assertThat(incident.get("groupLabels").toString()).contains("\"model\":\"llama-3-70b\"",
				"\"service\":\"ai-inference-api\"", "\"team\":\"ml-platform\"", "\"severity\":\"critical\"");
		JsonNode milestones = incident.get("milestones");
		assertThat(Instant.parse(milestones.get("impactStartedAt").asString())).isEqualTo(impact);
		assertThat(milestones.get("impactStartCorrected").asBoolean()).isTrue();
		JsonNode opened = incident.get("timeline").get(0);
		assertThat(opened.get("type").asString()).isEqualTo("incident.opened");
		assertThat(opened.get("actor").asString()).isEqualTo("bootstrap");
		assertThat(opened.get("actorKind").asString()).isEqualTo("user");
		assertThat(opened.get("summary").asString())
			.isEqualTo("Incident declared by bootstrap: Chat answers cite the wrong policy documents");
		assertThat(opened.get("details").get("declaredBy").asString()).isEqualTo("bootstrap");

		// Followed like an alert's incident: routing decided who hears about it.
		JsonNode followed = this.warden.awaitFollowedUp(id);
		assertThat(followed.get("timeline").findValuesAsString("type")).contains("incident.routed");
		assertThat(followed.get("severity").asString()).as("the person's severity stands").isEqualTo("critical");
		assertThat(audited(id)).containsExactly("incident.declare");
	}

	@Test
	void sameIdempotencyKeyGivesTheIncidentTheFirstDeclarationOpened() {
		String key = UUID.randomUUID().toString();
		Map<String, Object> body = declaration("Quality regression after the v42 rollout", "high", null, null, null,
				null);

		Response first = declare(body, key);
		Response again = declare(body, key);
		Response other = declare(body, UUID.randomUUID().toString());

		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		assertThat(again.status()).as(again.toString()).isEqualTo(200);
		assertThat(again.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
		assertThat(other.status()).isEqualTo(201);
		assertThat(other.json().get("id").asLong()).isNotEqualTo(first.json().get("id").asLong());
		assertThat(opened()).isEqualTo(2);

		Response blankKey = declare(body, " ");
		assertThat(blankKey.status()).isEqualTo(400);
		assertThat(opened()).isEqualTo(2);
	}

	@Test
	void aRepeatedDeclarationFindsItsIncidentAfterAGroupWasAttached() {
		String key = UUID.randomUUID().toString();
		Map<String, Object> body = declaration("Retried after a timeout", "high", null, null, null, null);
		long id = declare(body, key).json().get("id").asLong();
		assertThat(
				this.warden.post("/api/v1/incidents/" + id + "/alert-group", Map.of("groupKey", Payloads.group().key()))
					.status())
			.isEqualTo(200);

		Response again = declare(body, key);

		assertThat(again.status()).as(again.toString()).isEqualTo(200);
		assertThat(again.json().get("id").asLong()).isEqualTo(id);
		assertThat(opened()).isEqualTo(1);
	}

	@Test
	void badDeclarationsAre400sThatOpenNothing() {
		Map<String, String> tooManyLabels = new LinkedHashMap<>();
		for (int i = 0; i <= Incident.MAX_LABELS; i++) {
			tooManyLabels.put("l" + i, "v");
		}
		List<Object> bodies = List.of(declaration(null, "critical", null, null, null, null),
				declaration("  ", "critical", null, null, null, null),
				declaration("Title", null, null, null, null, null),
				declaration("Title", "sev1", null, null, null, null),
				declaration("Title", "high", null, null, Map.of("9lives", "x"), null),
				declaration("Title", "high", null, null, Map.of("bad-name", "x"), null),
				declaration("Title", "high", "svc-a", null, Map.of("service", "svc-b"), null),
				declaration("Title", "high", null, null, tooManyLabels, null),
				declaration("Nul\u0000in title", "high", null, null, null, null),
				// As JSON escapes: a lone surrogate cannot be sent as UTF-8.
				"{\"title\": \"Lone \\uD800 surrogate\", \"severity\": \"high\", \"description\": \"" + this.marker
						+ "\"}",
				declaration("T".repeat(Incident.MAX_TITLE_LENGTH + 1), "high", null, null, null, null),
				declaration("Title", "high", null, null, null, this.clock.instant().plusSeconds(60)),
				declaration("Title", "high", null, null, null, this.clock.instant().minus(Duration.ofDays(400))),
				"{\"title\": \"Title\", \"severity\": \"high\", \"labels\": \"model=x\", \"description\": \""
						+ this.marker + "\"}",
				"{\"title\": \"Title\", \"severity\": \"high\", \"labels\": {\"model\": [1]}, \"description\": \""
						+ this.marker + "\"}",
				"{\"title\": \"Title\", \"severity\": \"high\", \"labels\": {\"model\": null}, \"description\": \""
						+ this.marker + "\"}",
				"{\"title\": ", "[]");

		for (Object body : bodies) {
			Response refused = this.warden.post("/api/v1/incidents", body);
			assertThat(refused.status()).as("%s: %s", body, refused).isEqualTo(400);
			assertThat(refused.contentType()).startsWith("application/problem+json");
			assertThat(refused.json().get("detail").asString()).isNotBlank();
		}
		assertThat(opened()).isZero();
	}

	@Test
	void attachedGroupsAlertsComeToTheDeclaredIncidentAndTheirResolutionLeavesItOpen() {
		long id = declare(declaration("Users report timeouts", "high", null, null, null, null), null).json()
			.get("id")
			.asLong();
		this.warden.awaitFollowedUp(id);
		Payloads.Group group = Payloads.group();

		Response attached = this.warden.post("/api/v1/incidents/" + id + "/alert-group",
				Map.of("groupKey", group.key()));

		assertThat(attached.status()).as(attached.toString()).isEqualTo(200);
		assertThat(attached.json().get("groupKey").asString()).isEqualTo(group.key());
		// Alertmanager's credential cannot write into Warden's own groups.
		tools.jackson.databind.node.ObjectNode intruder = Payloads.group()
			.firing("fp-intruder", this.clock.instant())
			.json();
		intruder.put("groupKey", "warden:declared:" + UUID.randomUUID());
		assertThat(this.warden.webhook(intruder).status()).isEqualTo(400);
		assertThat(attached.json().get("timeline").findValuesAsString("type")).contains("incident.group_attached");
		assertThat(audited(id)).containsExactly("incident.declare", "incident.attach_group");

		Instant startsAt = this.clock.instant().minusSeconds(90);
		long landed = this.warden.open(group.firing("fp-declared-" + id, startsAt).json());
		assertThat(landed).as("the group's alert comes to the declared incident").isEqualTo(id);
		JsonNode withAlert = this.warden.get("/api/v1/incidents/" + id).json();
		assertThat(withAlert.get("alerts")).hasSize(1);
		assertThat(withAlert.get("title").asString()).as("the person's title stands")
			.isEqualTo("Users report timeouts");
		assertThat(withAlert.get("declaredBy").asString()).isEqualTo("bootstrap");

		this.clock.advance(Duration.ofMinutes(1));
		long resolved = this.warden
			.open(group.next().resolved("fp-declared-" + id, startsAt, this.clock.instant()).json());
		assertThat(resolved).isEqualTo(id);
		JsonNode afterResolution = this.warden.get("/api/v1/incidents/" + id).json();
		assertThat(afterResolution.get("alerts").get(0).get("status").asString()).isEqualTo("resolved");
		assertThat(afterResolution.get("status").asString()).as("a person's incident resolves by hand")
			.isEqualTo("triggered");

		// One group per incident: a second attach, a group another open incident has, an
		// alert's own incident and a resolved one are refused.
		Response twice = this.warden.post("/api/v1/incidents/" + id + "/alert-group",
				Map.of("groupKey", Payloads.group().key()));
		assertThat(twice.status()).isEqualTo(409);
		assertThat(twice.json().get("detail").asString()).contains("already has the group");

		long other = declare(declaration("Another report", "warning", null, null, null, null), null).json()
			.get("id")
			.asLong();
		Payloads.Group taken = Payloads.group();
		long alerts = this.warden.open(taken.firing("fp-taken-" + other, this.clock.instant()).json());
		Response busy = this.warden.post("/api/v1/incidents/" + other + "/alert-group",
				Map.of("groupKey", taken.key()));
		assertThat(busy.status()).as(busy.toString()).isEqualTo(409);
		assertThat(busy.json().get("detail").asString()).contains(new IncidentId(alerts) + " is open for it");

		Response notDeclared = this.warden.post("/api/v1/incidents/" + alerts + "/alert-group",
				Map.of("groupKey", Payloads.group().key()));
		assertThat(notDeclared.status()).isEqualTo(409);

		assertThat(this.warden.post("/api/v1/incidents/" + other + "/resolve", Map.of()).status()).isEqualTo(200);
		Response resolvedOne = this.warden.post("/api/v1/incidents/" + other + "/alert-group",
				Map.of("groupKey", Payloads.group().key()));
		assertThat(resolvedOne.status()).isEqualTo(409);

		for (Object body : List.of(Map.of(), Map.of("groupKey", " "), Map.of("groupKey", "warden:declared:abc"),
				Map.of("groupKey", "k\u0000"))) {
			Response bad = this.warden.post("/api/v1/incidents/" + other + "/alert-group", body);
			assertThat(bad.status()).as("%s: %s", body, bad).isIn(400, 409);
		}
		assertThat(this.warden.get("/api/v1/incidents/" + other).json().get("groupKey").asString())
			.startsWith("warden:declared:");
	}

	@Test
	void readOnlyTokenCannotDeclare() {
		Response created = this.warden.post("/api/v1/tokens", Map.of("name",
				"declare-reader-" + UUID.randomUUID().toString().substring(0, 8), "scopes", List.of("read")));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);

		Response refused = this.warden.send(HttpRequest.newBuilder(this.warden.uri("/api/v1/incidents"))
			.header("Authorization", "Bearer " + created.json().get("token").asString())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"title\": \"T\", \"severity\": \"high\", \"description\": \"" + this.marker + "\"}")));

		assertThat(refused.status()).isEqualTo(403);
		assertThat(opened()).isZero();
	}

	private Map<String, Object> declaration(String title, String severity, String service, String team,
			Map<String, String> labels, Instant impactStartedAt) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("title", title);
		body.put("severity", severity);
		body.put("service", service);
		body.put("team", team);
		body.put("description", this.marker);
		body.put("labels", labels);
		body.put("impactStartedAt", (impactStartedAt != null) ? impactStartedAt.toString() : null);
		return body;
	}

	private Response declare(Object body, String idempotencyKey) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.warden.uri("/api/v1/incidents"))
			.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return this.warden.send(request);
	}

	/** How many incidents this test's declarations opened. */
	private long opened() {
		return this.jdbc.sql("select count(*) from incident where description = ?")
			.param(this.marker)
			.query(Long.class)
			.single();
	}

	private List<String> audited(long incident) {
		return this.jdbc.sql("select action from audit_event where target = ? order by id")
			.param(new IncidentId(incident).toString())
			.query(String.class)
			.list();
	}

}
