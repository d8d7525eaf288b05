package dev.warden.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.console.ConsoleBrowser.Page;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The audit log on the booted service and real PostgreSQL: every change people make
 * through the API (as the bootstrap token) and the console (as a signed-in admin) leaves
 * exactly one row naming who, how, from where, what, on what, and the state before and
 * after; refused changes leave none; the table refuses updates and deletes; the admin
 * page and the API filter it, and only admins see the page.
 */
@IntegrationTest
@TestPropertySource(
		properties = { "warden.test.context=audit", "warden.console.admin.username=" + AuditLogIntegrationTests.ADMIN,
				"warden.console.admin.password=" + AuditLogIntegrationTests.PASSWORD })
class AuditLogIntegrationTests {

	static final String ADMIN = "audit-admin";

	static final String PASSWORD = "audit-admin-password-0123";

	private static final String TOKEN = "bootstrap";

	private static final String SCHEDULE = "audit-weekly";

	private static final String ONCALL = """
			users:
			  - {name: alice, full-name: Alice Archer, email: alice@example.com}
			  - {name: bob, full-name: Bob Baker, email: bob@example.com}
			schedules:
			  - name: audit-weekly
			    time-zone: UTC
			    rotations:
			      - {users: [bob, alice], shift: 1w, handoff: 2026-11-16T09:00}
			""";

	/** An approval runbook that never starts by itself and only waits a second. */
	private static final String WAITING = """
			id: %s
			title: %s
			match:
			  - alertname="AuditNeverFires"
			mode: approval
			steps:
			  - name: Wait
			    action: wait
			    with: {duration: 1s}
			""";

	private static final String APPROVE = WAITING.formatted("audit-approve", "Wait, once approved");

	private static final String CANCEL = WAITING.formatted("audit-cancel", "Wait, unless cancelled");

	private static final Path RUNBOOKS = directory();

	private static final Path ONCALL_FILE = file(ONCALL);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	WardenClient api;

	ConsoleBrowser admin;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
		registry.add("warden.oncall.file", ONCALL_FILE::toString);
	}

	@BeforeEach
	void setUp() {
		this.clock.set(IntegrationTest.START);
		this.api = new WardenClient(this.port);
		this.admin = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
	}

	@Test
	void everyChangeThroughTheApiLeavesOneRowNamingTheToken() {
		long incident = this.api.open(Payloads.firing("Audited through the API", IntegrationTest.START));
		String ref = "INC-" + incident;

		ok(this.api.post("/api/v1/incidents/" + incident + "/acknowledge", null));
		ok(this.api.post("/api/v1/incidents/" + incident + "/notes", Map.of("text", "Looking at the GPU nodes")));
		ok(this.api.post("/api/v1/incidents/" + incident + "/severity", Map.of("severity", "critical")));
		Response mitigated = this.api.post("/api/v1/incidents/" + incident + "/mitigate",
				Map.of("note", "Drained the GPU node"));
		ok(mitigated);
		Response mitigatedAgain = this.api.post("/api/v1/incidents/" + incident + "/mitigate", null);
		ok(this.api.post("/api/v1/incidents/" + incident + "/impact-start",
				Map.of("at", "2026-11-22T20:30:00Z", "reason", "A user's report")));
		ok(this.api.post("/api/v1/incidents/" + incident + "/resolve", null));
		Response refused = this.api.post("/api/v1/incidents/" + incident + "/acknowledge", null);
		ok(this.api.post("/api/v1/incidents/" + incident + "/reopen", null));
		ok(this.api.post("/api/v1/incidents/" + incident + "/resolve", null));
		ok(put("/api/v1/incidents/" + incident + "/postmortem", Map.of("baseRevision", 0, "rootCause", "A full disk",
				"contributingFactors", "", "wentWell", "", "actionItems", List.of())));

		assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
		assertThat(only("incident.acknowledge", ref)).satisfies(api("triggered", "acknowledged"));
		assertThat(only("incident.note", ref)).satisfies(api(null, null))
			.satisfies((row) -> assertThat(row.details()).containsEntry("note", "Looking at the GPU nodes"));
		assertThat(only("incident.severity", ref)).satisfies(api("warning", "critical"));
		assertThat(mitigatedAgain.status()).as(mitigatedAgain.toString()).isEqualTo(409);
		assertThat(only("incident.mitigate", ref))
			.satisfies(api(null, mitigated.json().get("milestones").get("mitigatedAt").asString()))
			.satisfies((row) -> assertThat(row.details()).containsEntry("note", "Drained the GPU node"));
		assertThat(only("incident.impact_start", ref)).satisfies(api("2026-11-22T21:00:00Z", "2026-11-22T20:30:00Z"))
			.satisfies((row) -> assertThat(row.details()).containsEntry("reason", "A user's report"));
		assertThat(rows("incident.resolve", ref)).hasSize(2)
			.satisfiesExactly(api("acknowledged", "resolved"), api("triggered", "resolved"));
		assertThat(only("incident.reopen", ref)).satisfies(api("resolved", "triggered"));
		assertThat(only("postmortem.save", ref)).satisfies(api(null, "revision 1"));

		String silence = created(this.api.post("/api/v1/silences", Map.of("matchers",
				List.of("alertname=\"AuditDrill\""), "endsAt", "2026-11-23T01:00:00Z", "comment", "Audit drill")))
			.get("id")
			.asString();
		ok(delete("/api/v1/silences/" + silence));
		Response expiredAgain = delete("/api/v1/silences/" + silence);
		Response badSilence = this.api.post("/api/v1/silences", Map.of("matchers", List.of("alertname=\"AuditDrill\""),
				"endsAt", "2026-11-20T01:00:00Z", "comment", "In the past"));

		assertThat(expiredAgain.status()).as(expiredAgain.toString()).isEqualTo(409);
		assertThat(badSilence.status()).as(badSilence.toString()).isEqualTo(400);
		assertThat(only("silence.create", silence)).satisfies(api(null, "active"))
			.satisfies((row) -> assertThat(row.details()).containsEntry("comment", "Audit drill"));
		assertThat(only("silence.expire", silence)).satisfies(api("active", "expired"));

		long override = created(this.api.post("/api/v1/oncall/" + SCHEDULE + "/overrides",
				Map.of("user", "alice", "startsAt", "2026-11-22T21:00:00Z", "endsAt", "2026-11-23T09:00:00Z")))
			.get("id")
			.asLong();
		String overrideTarget = "schedule/" + SCHEDULE + " override " + override;
		assertThat(delete("/api/v1/oncall/" + SCHEDULE + "/overrides/" + override).status()).isEqualTo(204);
		assertThat(delete("/api/v1/oncall/" + SCHEDULE + "/overrides/" + override).status()).isEqualTo(404);

		assertThat(only("override.add", overrideTarget))
			.satisfies(api(null, "alice 2026-11-22T21:00:00Z..2026-11-23T09:00:00Z"));
		assertThat(only("override.remove", overrideTarget))
			.satisfies(api("alice 2026-11-22T21:00:00Z..2026-11-23T09:00:00Z", null));

		long forRunbooks = this.api.open(Payloads.firing("Runbooks through the API", IntegrationTest.START));
		long approved = accepted(this.api.post("/api/v1/runbooks/audit-approve/run", Map.of("incident", forRunbooks)));
		ok(this.api.post("/api/v1/runbook-executions/" + approved + "/approve", null));
		long cancelled = accepted(this.api.post("/api/v1/runbooks/audit-cancel/run", Map.of("incident", forRunbooks)));
		ok(this.api.post("/api/v1/runbook-executions/" + cancelled + "/cancel", null));
		Response cancelledAgain = this.api.post("/api/v1/runbook-executions/" + cancelled + "/cancel", null);
		Response unknown = this.api.post("/api/v1/runbooks/audit-missing/run", Map.of("incident", forRunbooks));

		assertThat(cancelledAgain.status()).as(cancelledAgain.toString()).isEqualTo(409);
		assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
		assertThat(only("runbook.run", "run " + approved)).satisfies(api(null, "awaiting_approval"))
			.satisfies((row) -> assertThat(row.details()).containsEntry("runbook", "audit-approve")
				.containsEntry("incident", "INC-" + forRunbooks));
		assertThat(only("runbook.approve", "run " + approved)).satisfies(api("awaiting_approval", "queued"));
		assertThat(only("runbook.run", "run " + cancelled)).satisfies(api(null, "awaiting_approval"));
		assertThat(only("runbook.cancel", "run " + cancelled)).satisfies(api("awaiting_approval", "cancelled"));
		assertThat(this.jdbc.sql("select count(*) from audit_event where details ->> 'incident' = ?")
			.param("INC-" + forRunbooks)
			.query(Long.class)
			.single()).as("run, approve, run, cancel; the refusals leave no row").isEqualTo(4);

		ok(this.api.post("/api/v1/runbooks/automatic/pause", Map.of("reason", "audit drill")));
		ok(this.api.post("/api/v1/runbooks/automatic/resume", null));
		int reloads = rows("runbooks.reload", null).size() + rows("routing.reload", null).size()
				+ rows("oncall.reload", null).size();
		ok(this.api.post("/api/v1/runbooks/reload", null));
		ok(this.api.post("/api/v1/routing/reload", null));
		ok(this.api.post("/api/v1/oncall/reload", null));

		assertThat(only("automation.pause", "automatic runs")).satisfies(api("running", "paused"))
			.satisfies((row) -> assertThat(row.details()).containsEntry("reason", "audit drill"));
		assertThat(only("automation.resume", "automatic runs")).satisfies(api("paused", "running"));
		// Other tests here reload too: one row more of each, the newest.
		assertThat(rows("runbooks.reload", null).size() + rows("routing.reload", null).size()
				+ rows("oncall.reload", null).size())
			.isEqualTo(reloads + 3);
		assertThat(rows("runbooks.reload", "runbook catalog").getLast())
			.satisfies(api(null, "2 runbook(s), 0 problem(s)"));
		assertThat(rows("routing.reload", "routing file").getLast()).satisfies((row) -> {
			assertThat(row.channel()).isEqualTo("api");
			assertThat(row.after()).startsWith("applied, ");
		});
		assertThat(rows("oncall.reload", "on-call file").getLast().after())
			.isEqualTo("applied: users 2, schedules 1, policies 0");

		long failed = notification(incident, "failed");
		long sent = notification(incident, "sent");
		ok(this.api.post("/api/v1/notifications/" + failed + "/resend", null));
		Response notFailed = this.api.post("/api/v1/notifications/" + sent + "/resend", null);

		assertThat(notFailed.status()).as(notFailed.toString()).isEqualTo(409);
		assertThat(only("notification.resend", "notification " + failed)).satisfies(api("failed", "pending"));
		assertThat(rows("notification.resend", "notification " + sent)).isEmpty();
	}

	@Test
	void everyChangeOnTheConsoleLeavesOneRowNamingTheUser() {
		long incident = this.api.open(Payloads.firing("Audited on the console", IntegrationTest.START));
		String ref = "INC-" + incident;
		String csrf = this.admin.get("/incidents/" + incident).csrfToken();
		String page = "/incidents/" + incident;

		redirected(this.admin.post(page + "/acknowledge", Map.of("_csrf", csrf)));
		redirected(this.admin.post(page + "/notes", Map.of("_csrf", csrf, "text", "Console note")));
		redirected(this.admin.post(page + "/severity", Map.of("_csrf", csrf, "severity", "high")));
		redirected(this.admin.post(page + "/mitigate", Map.of("_csrf", csrf, "note", "")));
		redirected(this.admin.post(page + "/impact-start",
				Map.of("_csrf", csrf, "at", "2026-11-22T20:45", "reason", "Console correction")));
		redirected(this.admin.post(page + "/resolve", Map.of("_csrf", csrf)));
		// Refused (the incident is resolved): the page says why, the log has no row.
		redirected(this.admin.post(page + "/acknowledge", Map.of("_csrf", csrf)));
		redirected(this.admin.post(page + "/reopen", Map.of("_csrf", csrf)));
		redirected(this.admin.post(page + "/resolve", Map.of("_csrf", csrf)));
		redirected(this.admin.post(page + "/postmortem",
				Map.of("_csrf", csrf, "baseRevision", "0", "rootCause", "A config push")));

		assertThat(only("incident.acknowledge", ref)).satisfies(console("triggered", "acknowledged"));
		assertThat(only("incident.note", ref)).satisfies(console(null, null));
		assertThat(only("incident.severity", ref)).satisfies(console("warning", "high"));
		assertThat(only("incident.mitigate", ref)).satisfies((row) -> {
			assertThat(row.actor()).isEqualTo(ADMIN);
			assertThat(row.channel()).isEqualTo("console");
			assertThat(row.before()).isNull();
			assertThat(row.after()).isNotNull();
		});
		assertThat(only("incident.impact_start", ref))
			.satisfies(console("2026-11-22T21:00:00Z", "2026-11-22T20:45:00Z"));
		assertThat(rows("incident.resolve", ref)).hasSize(2);
		assertThat(only("incident.reopen", ref)).satisfies(console("resolved", "triggered"));
		assertThat(only("postmortem.save", ref)).satisfies(console(null, "revision 1"));

		redirected(this.admin.post("/silences", Map.of("_csrf", csrf, "matchers", "alertname=\"ConsoleDrill\"",
				"duration", "2h", "comment", "Console drill")));
		String silence = this.jdbc.sql("select id::text from silence where comment = 'Console drill'")
			.query(String.class)
			.single();
		redirected(this.admin.post("/silences/" + silence + "/expire", Map.of("_csrf", csrf)));

		assertThat(only("silence.create", silence)).satisfies(console(null, "active"));
		assertThat(only("silence.expire", silence)).satisfies(console("active", "expired"));

		redirected(this.admin.post("/oncall/" + SCHEDULE + "/overrides", Map.of("_csrf", csrf, "user", "bob", "from",
				"2026-11-22T22:00", "to", "2026-11-23T06:00", "reason", "swap")));
		long override = this.jdbc.sql("select id from oncall_override where reason = 'swap'")
			.query(Long.class)
			.single();
		redirected(
				this.admin.post("/oncall/" + SCHEDULE + "/overrides/" + override + "/delete", Map.of("_csrf", csrf)));
		String overrideTarget = "schedule/" + SCHEDULE + " override " + override;

		assertThat(only("override.add", overrideTarget))
			.satisfies(console(null, "bob 2026-11-22T22:00:00Z..2026-11-23T06:00:00Z"));
		assertThat(only("override.remove", overrideTarget))
			.satisfies(console("bob 2026-11-22T22:00:00Z..2026-11-23T06:00:00Z", null));

		long forRunbooks = this.api.open(Payloads.firing("Runbooks on the console", IntegrationTest.START));
		String runbookPage = "/incidents/" + forRunbooks;
		redirected(this.admin.post(runbookPage + "/runbooks", Map.of("_csrf", csrf, "runbook", "audit-approve")));
		redirected(this.admin.post(runbookPage + "/runbooks", Map.of("_csrf", csrf, "runbook", "audit-cancel")));
		long approved = execution(forRunbooks, "audit-approve");
		long cancelled = execution(forRunbooks, "audit-cancel");
		redirected(this.admin.post(runbookPage + "/executions/" + approved + "/approve", Map.of("_csrf", csrf)));
		redirected(this.admin.post(runbookPage + "/executions/" + cancelled + "/cancel", Map.of("_csrf", csrf)));
		redirected(this.admin.post("/runbooks/reload", Map.of("_csrf", csrf)));

		assertThat(only("runbook.run", "run " + approved)).satisfies(console(null, "awaiting_approval"));
		assertThat(only("runbook.approve", "run " + approved)).satisfies(console("awaiting_approval", "queued"));
		assertThat(only("runbook.cancel", "run " + cancelled)).satisfies(console("awaiting_approval", "cancelled"));
		assertThat(rows("runbooks.reload", null)).anySatisfy(console(null, "2 runbook(s), 0 problem(s)"));

		String username = "audited-" + UUID.randomUUID().toString().substring(0, 8);
		redirected(this.admin.post("/admin/users", Map.of("_csrf", csrf, "username", username, "displayName",
				"Audited User", "role", "viewer", "password", "audited-password-0123")));
		Page tooShort = this.admin.post("/admin/users", Map.of("_csrf", csrf, "username", username + "x", "displayName",
				"Not Created", "role", "viewer", "password", "short"));
		long user = this.jdbc.sql("select id from console_user where username = ?")
			.param(username)
			.query(Long.class)
			.single();
		String userPage = "/admin/users/" + user;
		redirected(this.admin.post(userPage + "/role", Map.of("_csrf", csrf, "role", "responder")));
		redirected(this.admin.post(userPage + "/enabled", Map.of("_csrf", csrf, "enabled", "false")));
		redirected(this.admin.post(userPage + "/enabled", Map.of("_csrf", csrf, "enabled", "true")));
		redirected(this.admin.post(userPage + "/password", Map.of("_csrf", csrf, "password", "another-password-0123")));
		Page shortReset = this.admin.post(userPage + "/password", Map.of("_csrf", csrf, "password", "short"));

		assertThat(tooShort.status()).isEqualTo(200);
		assertThat(shortReset.status()).isEqualTo(200);
		assertThat(only("user.create", username)).satisfies(console(null, "viewer"));
		assertThat(rows("user.create", username + "x")).isEmpty();
		assertThat(only("user.role", username)).satisfies(console("viewer", "responder"));
		assertThat(only("user.disable", username)).satisfies(console("enabled", "disabled"));
		assertThat(only("user.enable", username)).satisfies(console("disabled", "enabled"));
		assertThat(only("user.password_reset", username)).satisfies(console(null, null));

		String tokenName = "audited-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(
				this.admin.post("/admin/tokens", Map.of("_csrf", csrf, "name", tokenName, "scopes", "read")).status())
			.isEqualTo(200);
		long token = this.jdbc.sql("select id from api_token where name = ?")
			.param(tokenName)
			.query(Long.class)
			.single();
		redirected(this.admin.post("/admin/tokens/" + token + "/revoke", Map.of("_csrf", csrf)));
		redirected(this.admin.post("/admin/tokens/" + token + "/revoke", Map.of("_csrf", csrf)));
		Page taken = this.admin.post("/admin/tokens", Map.of("_csrf", csrf, "name", tokenName, "scopes", "read"));

		assertThat(taken.body()).contains("exists already");
		assertThat(only("token.issue", tokenName)).satisfies(console(null, "active"));
		assertThat(only("token.revoke", tokenName)).as("revoking a revoked token changes nothing")
			.satisfies(console("active", "revoked"));
	}

	@Test
	void theDatabaseRefusesToChangeOrDeleteAuditRows() {
		ok(this.api.post("/api/v1/routing/reload", null));
		long id = this.jdbc.sql("select max(id) from audit_event").query(Long.class).single();

		assertThatExceptionOfType(DataAccessException.class).isThrownBy(
				() -> this.jdbc.sql("update audit_event set actor = 'someone-else' where id = ?").param(id).update())
			.withMessageContaining("append-only");
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.sql("delete from audit_event where id = ?").param(id).update())
			.withMessageContaining("append-only");
		assertThat(this.jdbc.sql("select actor from audit_event where id = ?").param(id).query(String.class).single())
			.isEqualTo(TOKEN);
	}

	@Test
	void adminsFilterTheLogOnTheirPageAndThroughTheApi() {
		String marker = "filter-" + UUID.randomUUID().toString().substring(0, 8);
		ok(this.api.post("/api/v1/oncall/reload", null));
		String csrf = this.admin.get("/admin/users").csrfToken();
		redirected(this.admin.post("/admin/users", Map.of("_csrf", csrf, "username", marker, "displayName",
				"Filtered User", "role", "viewer", "password", "filtered-password-0123")));
		this.clock.set(IntegrationTest.START.plus(Duration.ofDays(1)));
		redirected(this.admin.post("/admin/users/" + userId(marker) + "/role",
				Map.of("_csrf", csrf, "role", "responder")));

		JsonNode byTarget = this.api.get("/api/v1/audit?target=" + marker).json();
		JsonNode userActions = this.api.get("/api/v1/audit?action=user&target=" + marker + "&channel=console").json();
		JsonNode before = this.api.get("/api/v1/audit?target=" + marker + "&to=2026-11-23T00:00:00Z").json();
		JsonNode after = this.api.get("/api/v1/audit?target=" + marker + "&from=2026-11-23T00:00:00Z").json();
		JsonNode byToken = this.api.get("/api/v1/audit?actor=" + TOKEN + "&action=oncall.reload&size=1").json();
		JsonNode none = this.api.get("/api/v1/audit?target=" + marker + "&channel=slack").json();

		assertThat(byTarget.get("totalItems").asLong()).isEqualTo(2);
		assertThat(byTarget.get("items")).extracting((item) -> item.get("action").asString())
			.as("newest first")
			.containsExactly("user.role", "user.create");
		assertThat(byTarget.get("items").get(0).get("actor").asString()).isEqualTo(ADMIN);
		assertThat(byTarget.get("items").get(0).get("actorKind").asString()).isEqualTo("user");
		assertThat(byTarget.get("items").get(0).get("at").asString()).isEqualTo("2026-11-23T21:00:00Z");
		assertThat(userActions.get("totalItems").asLong()).isEqualTo(2);
		assertThat(before.get("items")).extracting((item) -> item.get("action").asString())
			.containsExactly("user.create");
		assertThat(after.get("items")).extracting((item) -> item.get("action").asString()).containsExactly("user.role");
		assertThat(byToken.get("size").asInt()).isEqualTo(1);
		assertThat(byToken.get("items")).hasSize(1);
		assertThat(byToken.get("items").get(0).get("channel").asString()).isEqualTo("api");
		assertThat(byToken.get("items").get(0).get("actorKind").asString()).isEqualTo("token");
		assertThat(none.get("totalItems").asLong()).isZero();

		Response badChannel = this.api.get("/api/v1/audit?channel=fax");
		Response backwards = this.api.get("/api/v1/audit?from=2026-11-23T00:00:00Z&to=2026-11-22T00:00:00Z");
		Response badTime = this.api.get("/api/v1/audit?from=yesterday");
		assertThat(badChannel.status()).isEqualTo(400);
		assertThat(badChannel.contentType()).startsWith("application/problem+json");
		assertThat(badChannel.json().get("detail").asString()).contains("console, api, slack");
		assertThat(backwards.status()).isEqualTo(400);
		assertThat(backwards.json().get("detail").asString()).contains("ends");
		assertThat(badTime.status()).isEqualTo(400);
		for (String query : List.of("actor=a%00b", "target=INC-%00", "action=user%00", "from=%2B100000-01-01T00:00:00Z",
				"to=-5000-01-01T00:00:00Z")) {
			Response refused = this.api.get("/api/v1/audit?" + query);
			assertThat(refused.status()).as(query + " -> " + refused).isEqualTo(400);
			assertThat(refused.contentType()).startsWith("application/problem+json");
			assertThat(this.admin.get("/admin/audit?" + query).status()).as("page " + query).isEqualTo(400);
		}

		Page filtered = this.admin.get("/admin/audit?action=user.role&target=" + marker);
		Page all = this.admin.get("/admin/audit?target=" + marker);
		// 22:00 in Berlin is 21:00 UTC, when the role changed: the range ends before.
		Page early = this.admin.get("/admin/audit?target=" + marker + "&to=2026-11-23T22:00", "Cookie",
				"tz=" + URLEncoder.encode("Europe/Berlin", StandardCharsets.UTF_8));
		Page invalid = this.admin.get("/admin/audit?from=soon");

		assertThat(filtered.status()).isEqualTo(200);
		assertThat(filtered.body()).contains("<h1>Audit log</h1>", "user.role", "viewer → responder", marker)
			.doesNotContain("<code>user.create</code>");
		assertThat(all.body()).contains("<code>user.role</code>", "<code>user.create</code>", "2026-11-23 21:00:00 UTC",
				"href=\"/admin/audit\"");
		assertThat(early.body()).contains("<code>user.create</code>", "2026-11-22 22:00:00 CET")
			.doesNotContain("<code>user.role</code>");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(this.admin.get("/admin/audit?target=" + marker + "&page=1").body())
			.as("the pager links back to the first page with the filters")
			.contains("href=\"/admin/audit?page=0&amp;target=" + marker + "\">← Newer</a>");
		assertThat(invalid.body()).contains("The start &#39;soon&#39; is not a date and time");
	}

	@Test
	void onlyAdminsSeeTheAuditLogPage() {
		String viewer = ConsoleUserRows.create(this.jdbc, "viewer", "viewer-password-0123");
		String responder = ConsoleUserRows.create(this.jdbc, "responder", "responder-password-0123");

		ConsoleBrowser asViewer = new ConsoleBrowser(this.port).signedIn(viewer, "viewer-password-0123");
		ConsoleBrowser asResponder = new ConsoleBrowser(this.port).signedIn(responder, "responder-password-0123");

		assertThat(asViewer.get("/admin/audit").status()).isEqualTo(403);
		assertThat(asResponder.get("/admin/audit").status()).isEqualTo(403);
		assertThat(asResponder.get("/").body()).doesNotContain("/admin/audit");
		assertThat(this.admin.get("/").body()).contains("href=\"/admin/audit\"");
		assertThat(this.admin.get("/admin/audit").status()).isEqualTo(200);
	}

	private static java.util.function.Consumer<AuditRow> api(String before, String after) {
		return (row) -> {
			assertThat(row.actor()).isEqualTo(TOKEN);
			assertThat(row.actorKind()).isEqualTo("token");
			assertThat(row.channel()).isEqualTo("api");
			assertThat(row.address()).isEqualTo("127.0.0.1");
			assertThat(row.before()).isEqualTo(before);
			assertThat(row.after()).isEqualTo(after);
		};
	}

	private static java.util.function.Consumer<AuditRow> console(String before, String after) {
		return (row) -> {
			assertThat(row.actor()).isEqualTo(ADMIN);
			assertThat(row.actorKind()).isEqualTo("user");
			assertThat(row.channel()).isEqualTo("console");
			assertThat(row.address()).isEqualTo("127.0.0.1");
			assertThat(row.before()).isEqualTo(before);
			assertThat(row.after()).isEqualTo(after);
		};
	}

	/** The one row of this action on this target; fails unless there is exactly one. */
	private AuditRow only(String action, String target) {
		List<AuditRow> rows = rows(action, target);
		assertThat(rows).as("audit rows of %s on %s", action, target).hasSize(1);
		return rows.getFirst();
	}

	/** The rows of this action (on this target, when given), oldest first. */
	private List<AuditRow> rows(String action, String target) {
		return this.jdbc.sql("""
				select actor, actor_kind, channel, address, action, target, before, after, details::text as details
				from audit_event where action = ? and (cast(? as text) is null or target = ?) order by id""")
			.params(action, target, target)
			.query((row, number) -> new AuditRow(row.getString("actor"), row.getString("actor_kind"),
					row.getString("channel"), row.getString("address"), row.getString("target"),
					row.getString("before"), row.getString("after"),
					(row.getString("details") != null) ? json.readValue(row.getString("details"), OBJECT) : Map.of()))
			.list();
	}

	private long notification(long incident, String status) {
		return this.jdbc.sql("""
				insert into notification (incident_id, idempotency_key, channel, kind, target, status, attempts,
				    created_at, failed_at)
				values (?, ?, 'email', 'email.opened', 'audit@example.com', ?, 1, now(),
				    case when ? = 'failed' then now() end)
				returning id""")
			.params(incident, "audit-" + UUID.randomUUID(), status, status)
			.query(Long.class)
			.single();
	}

	private long execution(long incident, String runbook) {
		return this.jdbc.sql("select id from runbook_execution where incident_id = ? and runbook_id = ?")
			.params(incident, runbook)
			.query(Long.class)
			.single();
	}

	private long userId(String username) {
		return this.jdbc.sql("select id from console_user where username = ?")
			.param(username)
			.query(Long.class)
			.single();
	}

	private Response put(String path, Object body) {
		return this.api.send(HttpRequest.newBuilder(this.api.uri(path))
			.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
	}

	private Response delete(String path) {
		return this.api.send(HttpRequest.newBuilder(this.api.uri(path))
			.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
			.DELETE());
	}

	private static void ok(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	private static JsonNode created(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		return response.json();
	}

	private static long accepted(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		return response.json().get("id").asLong();
	}

	private static void redirected(Page page) {
		assertThat(page.status()).as(page.toString()).isEqualTo(302);
	}

	private static Path directory() {
		try {
			Path directory = Files.createDirectories(Path.of("target", "test-runbooks", UUID.randomUUID().toString()))
				.toAbsolutePath();
			Files.writeString(directory.resolve("audit-approve.yaml"), APPROVE);
			Files.writeString(directory.resolve("audit-cancel.yaml"), CANCEL);
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path file(String content) {
		try {
			Path file = Files.createTempFile("audit-oncall-", ".yaml");
			Files.writeString(file, content);
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record AuditRow(String actor, String actorKind, String channel, String address, String target, String before,
			String after, Map<String, Object> details) {
	}

}
