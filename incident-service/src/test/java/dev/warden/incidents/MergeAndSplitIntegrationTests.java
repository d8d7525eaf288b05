package dev.warden.incidents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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
 * Merging incidents (one GPU node's failure fires in several Alertmanager groups) and
 * splitting alerts out, over the API with real webhooks: alerts move, the merged incident
 * resolves as merged, later alerts of its group follow it, and each action is undone by
 * its inverse (unmerge; merging a split incident back).
 */
@IntegrationTest
class MergeAndSplitIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	WardenClient warden;

	String run;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		this.run = UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void mergeMovesTheAlertsAndTheGroupsLaterAlertsFollowUntilUnmerged() {
		Instant startsAt = this.clock.instant().minusSeconds(120);
		Payloads.Group latency = Payloads.group();
		Payloads.Group errors = Payloads.group();
		long a = this.warden.open(latency.firing(fp("latency"), startsAt).json());
		long b = this.warden
			.open(errors.firing(fp("5xx"), startsAt.minusSeconds(60)).firing(fp("liveness"), startsAt).json());

		Response merged = this.warden.post(path(b, "merge"), Map.of("into", a));

		assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
		assertThat(merged.json().get("id").asLong()).isEqualTo(a);
		assertThat(fingerprints(merged.json())).containsExactlyInAnyOrder(fp("latency"), fp("5xx"), fp("liveness"));
		assertThat(Instant.parse(merged.json().get("milestones").get("impactStartedAt").asString()))
			.as("the earliest impact start of both")
			.isEqualTo(startsAt.minusSeconds(60));
		assertThat(event(merged.json(), "incident.merged").get("summary").asString())
			.contains(new IncidentId(b) + " merged into this incident by bootstrap", "2 alert(s) moved here");
		JsonNode source = incident(b);
		assertThat(source.get("status").asString()).isEqualTo("resolved");
		assertThat(source.get("mergedInto").asLong()).isEqualTo(a);
		assertThat(source.get("alerts")).isEmpty();
		assertThat(event(source, "incident.resolved").get("summary").asString())
			.startsWith("Merged into " + new IncidentId(a) + " by bootstrap");
		assertThat(audited(b)).containsExactly("incident.merge");

		// The merged incident's group: a new alert and a resend both go to A.
		long landed = this.warden.open(errors.next().firing(fp("accuracy"), this.clock.instant()).json());
		assertThat(landed).isEqualTo(a);
		assertThat(this.warden.open(errors.next().firing(fp("5xx"), startsAt.minusSeconds(60)).json())).isEqualTo(a);
		assertThat(fingerprints(incident(a))).containsExactlyInAnyOrder(fp("latency"), fp("5xx"), fp("liveness"),
				fp("accuracy"));
		assertThat(incident(b).get("status").asString()).isEqualTo("resolved");

		// Refused: merging a merged (resolved) one again, itself, into nothing, bad
		// bodies; and unmerging what was not merged.
		assertThat(this.warden.post(path(b, "merge"), Map.of("into", a)).status()).isEqualTo(409);
		assertThat(this.warden.post(path(a, "merge"), Map.of("into", a)).status()).isEqualTo(400);
		assertThat(this.warden.post(path(a, "merge"), Map.of("into", 987654321L)).status()).isEqualTo(404);
		for (Object body : List.of(Map.of(), Map.of("into", -3), Map.of("into", "A"), "[]")) {
			assertThat(this.warden.post(path(a, "merge"), body).status()).as("%s", body).isEqualTo(400);
		}
		assertThat(this.warden.post(path(a, "unmerge"), null).status()).isEqualTo(409);
		assertThat(incident(a).get("status").asString()).isEqualTo("triggered");

		Response unmerged = this.warden.post(path(b, "unmerge"), null);

		assertThat(unmerged.status()).as(unmerged.toString()).isEqualTo(200);
		assertThat(unmerged.json().get("status").asString()).isEqualTo("triggered");
		assertThat(unmerged.json().get("mergedInto").isNull()).isTrue();
		assertThat(fingerprints(unmerged.json())).as("what it brought and what its group sent since")
			.containsExactlyInAnyOrder(fp("5xx"), fp("liveness"), fp("accuracy"));
		JsonNode target = incident(a);
		assertThat(fingerprints(target)).containsExactly(fp("latency"));
		assertThat(event(target, "incident.unmerged").get("summary").asString()).contains("3 alert(s) moved back");
		assertThat(audited(b)).containsExactly("incident.merge", "incident.unmerge");
		assertThat(this.warden.open(errors.next().firing(fp("oom"), this.clock.instant()).json())).isEqualTo(b);
	}

	@Test
	void mergingIntoAResolvedIncidentIsRefusedAndChangesNothing() {
		long a = this.warden.open(Payloads.group().firing(fp("a"), this.clock.instant()).json());
		long b = this.warden.open(Payloads.group().firing(fp("b"), this.clock.instant()).json());
		assertThat(this.warden.post(path(a, "resolve"), Map.of()).status()).isEqualTo(200);

		Response refused = this.warden.post(path(b, "merge"), Map.of("into", a));

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.json().get("detail").asString()).contains("is resolved; reopen it first");
		assertThat(incident(b).get("status").asString()).isEqualTo("triggered");
		assertThat(fingerprints(incident(b))).containsExactly(fp("b"));
		assertThat(audited(b)).isEmpty();
	}

	@Test
	void splitMovesAlertsIntoANewIncidentWhichItsGroupsAlertsReachAndMergingBackUndoesIt() {
		Instant startsAt = this.clock.instant().minusSeconds(300);
		Payloads.Group node = Payloads.group();
		long a = this.warden.open(node.firing(fp("gpu7-latency"), startsAt)
			.firing(fp("gpu7-xid"), startsAt)
			.firing(fp("api-5xx"), startsAt)
			.json());

		Response split = this.warden.post(path(a, "split"),
				Map.of("fingerprints", List.of(fp("gpu7-xid")), "title", "GPU node 7 Xid errors " + this.run));

		assertThat(split.status()).as(split.toString()).isEqualTo(201);
		long c = split.json().get("id").asLong();
		assertThat(split.header("Location")).isEqualTo("/api/v1/incidents/" + c);
		assertThat(split.json().get("title").asString()).isEqualTo("GPU node 7 Xid errors " + this.run);
		assertThat(split.json().get("splitFrom").asLong()).isEqualTo(a);
		assertThat(fingerprints(split.json())).containsExactly(fp("gpu7-xid"));
		assertThat(event(split.json(), "incident.opened").get("summary").asString())
			.startsWith("Incident split out of " + new IncidentId(a) + " by bootstrap");
		JsonNode followed = this.warden.awaitFollowedUp(c);
		assertThat(followed.get("timeline").findValuesAsString("type")).as("routed as a new incident")
			.contains("incident.routed");
		assertThat(this.warden.get("/api/v1/runbook-executions?incident=" + c).json())
			.as("no runbook starts by itself for a split")
			.isEmpty();
		JsonNode source = incident(a);
		assertThat(fingerprints(source)).containsExactlyInAnyOrder(fp("gpu7-latency"), fp("api-5xx"));
		assertThat(event(source, "incident.split").get("summary").asString())
			.contains("1 alert(s) split out into " + new IncidentId(c));
		assertThat(audited(a)).containsExactly("incident.split");

		// The group's next notification carries all three: the split one goes to C.
		assertThat(this.warden.open(node.next()
			.firing(fp("gpu7-latency"), startsAt)
			.firing(fp("gpu7-xid"), startsAt)
			.firing(fp("api-5xx"), startsAt)
			.json())).isEqualTo(a);
		assertThat(fingerprints(incident(a))).containsExactlyInAnyOrder(fp("gpu7-latency"), fp("api-5xx"));
		assertThat(fingerprints(incident(c))).containsExactly(fp("gpu7-xid"));
		this.clock.advance(Duration.ofMinutes(2));
		this.warden.open(node.next().resolved(fp("gpu7-xid"), startsAt, this.clock.instant()).json());
		JsonNode resolvedSplit = incident(c);
		assertThat(resolvedSplit.get("alerts").get(0).get("status").asString()).isEqualTo("resolved");
		assertThat(resolvedSplit.get("status").asString()).as("its last alert resolved").isEqualTo("resolved");
		assertThat(incident(a).get("status").asString()).isEqualTo("triggered");

		// Refused: an unknown fingerprint, every alert, nothing, bad bodies.
		for (Object body : List.of(Map.of("fingerprints", List.of("no-such")),
				Map.of("fingerprints", List.of(fp("gpu7-latency"), fp("api-5xx"))), Map.of("fingerprints", List.of()),
				Map.of(), Map.of("fingerprints", "x"), Map.of("fingerprints", List.of(" ")))) {
			Response refused = this.warden.post(path(a, "split"), body);
			assertThat(refused.status()).as("%s: %s", body, refused).isEqualTo(400);
		}
		assertThat(fingerprints(incident(a))).containsExactlyInAnyOrder(fp("gpu7-latency"), fp("api-5xx"));

		// Undo: split the 5xx alert out, then merge that incident back.
		long d = this.warden.post(path(a, "split"), Map.of("fingerprints", List.of(fp("api-5xx"))))
			.json()
			.get("id")
			.asLong();
		assertThat(incident(d).get("title").asString()).as("the alert's summary")
			.isEqualTo("p95 latency above 500 ms on " + fp("api-5xx"));
		Response back = this.warden.post(path(d, "merge"), Map.of("into", a));
		assertThat(back.status()).as(back.toString()).isEqualTo(200);
		assertThat(fingerprints(back.json())).containsExactlyInAnyOrder(fp("gpu7-latency"), fp("api-5xx"));
		assertThat(this.warden.open(node.next().firing(fp("api-5xx"), startsAt).json())).isEqualTo(a);
		assertThat(fingerprints(incident(d))).isEmpty();
	}

	@Test
	void splitAlertsKeepGoingToTheirIncidentAfterTheGroupsIncidentResolved() {
		Instant startsAt = this.clock.instant().minusSeconds(300);
		Payloads.Group node = Payloads.group();
		long a = this.warden.open(node.firing(fp("latency"), startsAt).firing(fp("xid"), startsAt).json());
		long c = this.warden.post(path(a, "split"), Map.of("fingerprints", List.of(fp("xid"))))
			.json()
			.get("id")
			.asLong();
		assertThat(this.warden.post(path(a, "resolve"), Map.of()).status()).isEqualTo(200);

		// Alertmanager's next notification of the group still carries both.
		long landed = this.warden.open(node.next().firing(fp("latency"), startsAt).firing(fp("xid"), startsAt).json());

		assertThat(landed).isEqualTo(a);
		JsonNode source = incident(a);
		assertThat(source.get("status").asString()).as("a resend does not reopen it").isEqualTo("resolved");
		assertThat(fingerprints(source)).containsExactly(fp("latency"));
		assertThat(fingerprints(incident(c))).containsExactly(fp("xid"));
		assertThat(source.get("timeline").findValuesAsString("type")).doesNotContain("incident.reopened");
	}

	@Test
	void aMergedIncidentIsUnmergedNotReopenedAndMergesDoNotChain() {
		long a = this.warden.open(Payloads.group().firing(fp("a"), this.clock.instant()).json());
		long b = this.warden.open(Payloads.group().firing(fp("b"), this.clock.instant()).json());
		long c = this.warden.open(Payloads.group().firing(fp("c"), this.clock.instant()).json());
		assertThat(this.warden.post(path(b, "merge"), Map.of("into", a)).status()).isEqualTo(200);

		Response reopen = this.warden.post(path(b, "reopen"), Map.of());
		assertThat(reopen.status()).isEqualTo(409);
		assertThat(reopen.json().get("detail").asString()).contains("unmerge it instead");

		Response chained = this.warden.post(path(a, "merge"), Map.of("into", c));
		assertThat(chained.status()).isEqualTo(409);
		assertThat(chained.json().get("detail").asString()).contains("other incidents were merged into it");
		assertThat(incident(a).get("status").asString()).isEqualTo("triggered");
		assertThat(fingerprints(incident(c))).containsExactly(fp("c"));
	}

	@Test
	void analyticsCountAMergedIncidentOnceInTheOneItWasMergedInto() {
		String service = "svc-merge-" + this.run;
		long a = this.warden.open(withService(Payloads.group().firing(fp("a"), this.clock.instant()).json(), service));
		long b = this.warden.open(withService(Payloads.group().firing(fp("b"), this.clock.instant()).json(), service));
		Instant detected = Instant.parse(incident(a).get("milestones").get("detectedAt").asString());
		String analytics = "/api/v1/analytics?service=" + service + "&from=" + detected.minus(Duration.ofHours(1))
				+ "&to=" + detected.plus(Duration.ofHours(1));
		assertThat(this.warden.get(analytics).json().get("responseTimes").get("overall").get("incidents").asLong())
			.isEqualTo(2);

		assertThat(this.warden.post(path(b, "merge"), Map.of("into", a)).status()).isEqualTo(200);

		JsonNode overall = this.warden.get(analytics).json().get("responseTimes").get("overall");
		assertThat(overall.get("incidents").asLong()).isEqualTo(1);
		assertThat(overall.get("mttr").get("count").asLong()).as("the merge is no repair").isZero();
	}

	private static tools.jackson.databind.node.ObjectNode withService(tools.jackson.databind.node.ObjectNode payload,
			String service) {
		((tools.jackson.databind.node.ObjectNode) payload.get("commonLabels")).put("service", service);
		payload.get("alerts")
			.forEach((alert) -> ((tools.jackson.databind.node.ObjectNode) alert.get("labels")).put("service", service));
		return payload;
	}

	private String fp(String name) {
		return name + "-" + this.run;
	}

	private JsonNode incident(long id) {
		return this.warden.get("/api/v1/incidents/" + id).json();
	}

	private static List<String> fingerprints(JsonNode incident) {
		return incident.get("alerts").valueStream().map((alert) -> alert.get("fingerprint").asString()).toList();
	}

	private static String path(long incident, String action) {
		return "/api/v1/incidents/" + incident + "/" + action;
	}

	private static JsonNode event(JsonNode incident, String type) {
		return incident.get("timeline")
			.valueStream()
			.filter((event) -> event.get("type").asString().equals(type))
			.reduce((first, second) -> second)
			.orElseThrow(() -> new AssertionError("no " + type + " in " + incident.get("timeline")));
	}

	private List<String> audited(long incident) {
		return this.jdbc.sql("select action from audit_event where target = ? order by id")
			.param(new IncidentId(incident).toString())
			.query(String.class)
			.list();
	}

}
