package dev.warden.escalation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

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
import static org.assertj.core.api.Assertions.tuple;

/**
 * The on-call API against the whole service and real PostgreSQL: who is on call now and
 * at a given time, overrides created, listed and removed, bad input refused with problem
 * details, escalation policies, and reloading a broken file.
 */
@IntegrationTest
@TestPropertySource(properties = "warden.test.context=oncall")
class OnCallIntegrationTests {

	private static final String GOOD_FILE = """
			users:
			  - {name: alice, full-name: Alice Archer, email: alice@example.com, slack-user-id: U0ALICE,
			     time-zone: Europe/Berlin}
			  - {name: bob, full-name: Bob Baker, email: bob@example.com, slack-user-id: U0BOB}
			  - {name: carol, full-name: Carol Chen, email: carol@example.com}
			  - {name: dave, full-name: Dave Diaz, email: dave@example.com}
			schedules:
			  - name: it-weekly
			    time-zone: Europe/Berlin
			    rotations:
			      - {users: [alice, bob, carol], shift: 1w, handoff: 2026-11-02T09:00}
			  - name: it-daily
			    time-zone: UTC
			    rotations:
			      - {users: [dave, bob], shift: 1d, handoff: 2026-11-20T09:00}
			escalation-policies:
			  - name: it-default
			    repeat: 2
			    levels:
			      - delay: 0m
			        notify: {schedules: [it-weekly]}
			      - delay: 15m
			        notify: {users: [carol, dave], slack: ["#it-leads"], email: [it-leads@example.com]}
			  - name: it-quiet
			    levels:
			      - {delay: 1h, notify: {email: [it@example.com]}}
			""";

	private static final Path FILE = write(GOOD_FILE);

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	OnCall onCall;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.oncall.file", FILE::toString);
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		this.clock.set(IntegrationTest.START);
		this.jdbc.sql("delete from oncall_override").update();
	}

	@Test
	void answersWhoIsOnCallNowForEverySchedule() {
		// The clock starts on Sunday 2026-11-22 at 22:00 in Berlin.
		JsonNode roster = this.warden.get("/api/v1/oncall").json();

		assertThat(roster.get("at").asString()).isEqualTo("2026-11-22T21:00:00Z");
		assertThat(roster.get("schedules")).hasSize(2);
		JsonNode weekly = roster.get("schedules").get(0);
		assertThat(weekly.get("schedule").asString()).isEqualTo("it-weekly");
		assertThat(weekly.get("timeZone").asString()).isEqualTo("Europe/Berlin");
		assertThat(weekly.at("/onCall/user/name").asString()).isEqualTo("carol");
		assertThat(weekly.at("/onCall/user/email").asString()).isEqualTo("carol@example.com");
		assertThat(weekly.at("/onCall/start").asString()).isEqualTo("2026-11-16T08:00:00Z");
		assertThat(weekly.at("/onCall/end").asString()).isEqualTo("2026-11-23T08:00:00Z");
		assertThat(weekly.at("/onCall/override").asBoolean()).isFalse();
		assertThat(weekly.at("/next/user/name").asString()).isEqualTo("alice");
		assertThat(weekly.at("/next/user/slackUserId").asString()).isEqualTo("U0ALICE");
		assertThat(weekly.at("/next/start").asString()).isEqualTo("2026-11-23T08:00:00Z");
		JsonNode daily = roster.get("schedules").get(1);
		assertThat(daily.at("/onCall/user/name").asString()).isEqualTo("dave");
		assertThat(daily.at("/next/user/name").asString()).isEqualTo("bob");
		assertThat(roster.get("problems")).isEmpty();
	}

	@Test
	void nowFollowsTheInjectedClock() {
		this.clock.set(Instant.parse("2026-11-23T08:00:00Z"));

		JsonNode weekly = this.warden.get("/api/v1/oncall/it-weekly").json();

		assertThat(weekly.at("/onCall/user/name").asString()).isEqualTo("alice");
		assertThat(weekly.get("at").asString()).isEqualTo("2026-11-23T08:00:00Z");
	}

	@Test
	void answersForAGivenInstant() {
		JsonNode roster = this.warden.get("/api/v1/oncall?at=2026-11-09T08:00:00Z").json();
		JsonNode weekly = this.warden.get("/api/v1/oncall/it-weekly?at=2026-11-09T07:59:59Z").json();

		assertThat(roster.get("at").asString()).isEqualTo("2026-11-09T08:00:00Z");
		assertThat(roster.get("schedules").get(0).at("/onCall/user/name").asString()).isEqualTo("bob");
		assertThat(roster.get("schedules").get(1).at("/onCall").isNull()).as("before its first handoff").isTrue();
		assertThat(roster.get("schedules").get(1).at("/next/user/name").asString()).isEqualTo("dave");
		assertThat(weekly.at("/onCall/user/name").asString()).isEqualTo("alice");
	}

	@Test
	void overrideIsCreatedListedAppliedAndRemoved() {
		Response created = this.warden.post("/api/v1/oncall/it-weekly/overrides", Map.of("user", "dave", "startsAt",
				"2026-11-22T22:00:00Z", "endsAt", "2026-11-23T02:00:00Z", "reason", "carol is at a wedding"));

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode override = created.json();
		assertThat(override.get("schedule").asString()).isEqualTo("it-weekly");
		assertThat(override.get("user").asString()).isEqualTo("dave");
		assertThat(override.get("createdBy").asString()).isNotBlank();
		assertThat(override.get("createdAt").asString()).isEqualTo("2026-11-22T21:00:00Z");
		long id = override.get("id").asLong();

		JsonNode during = this.warden.get("/api/v1/oncall/it-weekly?at=2026-11-23T00:00:00Z").json();
		assertThat(during.at("/onCall/user/name").asString()).isEqualTo("dave");
		assertThat(during.at("/onCall/override").asBoolean()).isTrue();
		assertThat(during.at("/onCall/end").asString()).isEqualTo("2026-11-23T02:00:00Z");
		assertThat(during.at("/next/user/name").asString()).isEqualTo("carol");
		JsonNode now = this.warden.get("/api/v1/oncall/it-weekly").json();
		assertThat(now.at("/onCall/end").asString()).as("carol hands over to the override")
			.isEqualTo("2026-11-22T22:00:00Z");
		assertThat(now.at("/next/user/name").asString()).isEqualTo("dave");

		JsonNode listed = this.warden.get("/api/v1/oncall/it-weekly/overrides").json();
		assertThat(listed).singleElement()
			.satisfies((item) -> assertThat(item.get("reason").asString()).isEqualTo("carol is at a wedding"));
		assertThat(this.warden.get("/api/v1/oncall/it-daily/overrides").json()).isEmpty();

		assertThat(delete("/api/v1/oncall/it-weekly/overrides/" + id).status()).isEqualTo(204);
		assertThat(this.warden.get("/api/v1/oncall/it-weekly/overrides").json()).isEmpty();
		assertThat(this.warden.get("/api/v1/oncall/it-weekly?at=2026-11-23T00:00:00Z")
			.json()
			.at("/onCall/user/name")
			.asString()).isEqualTo("carol");
		Response again = delete("/api/v1/oncall/it-weekly/overrides/" + id);
		assertThat(again.status()).isEqualTo(404);
		assertThat(again.contentType()).startsWith("application/problem+json");
	}

	@Test
	void laterOverrideWinsAndEndedOverridesAreNotListed() {
		post("dave", "2026-11-22T20:00:00Z", "2026-11-22T23:00:00Z");
		post("bob", "2026-11-22T22:00:00Z", "2026-11-23T01:00:00Z");
		this.clock.set(Instant.parse("2026-11-22T23:30:00Z"));

		JsonNode at2230 = this.warden.get("/api/v1/oncall/it-weekly?at=2026-11-22T22:30:00Z").json();
		JsonNode listed = this.warden.get("/api/v1/oncall/it-weekly/overrides").json();

		assertThat(at2230.at("/onCall/user/name").asString()).isEqualTo("bob");
		assertThat(at2230.at("/onCall/start").asString()).isEqualTo("2026-11-22T22:00:00Z");
		assertThat(listed).singleElement()
			.satisfies((item) -> assertThat(item.get("user").asString()).isEqualTo("bob"));
	}

	@Test
	void refusesBadOverridesWithProblemDetails() {
		Response backwards = this.warden.post("/api/v1/oncall/it-weekly/overrides",
				Map.of("user", "dave", "startsAt", "2026-11-23T02:00:00Z", "endsAt", "2026-11-23T01:00:00Z"));
		Response unknownUser = this.warden.post("/api/v1/oncall/it-weekly/overrides",
				Map.of("user", "zoe", "startsAt", "2026-11-23T01:00:00Z", "endsAt", "2026-11-23T02:00:00Z"));
		Response missing = this.warden.post("/api/v1/oncall/it-weekly/overrides",
				Map.of("startsAt", "2026-11-23T01:00:00Z"));
		Response notAnInstant = this.warden.post("/api/v1/oncall/it-weekly/overrides",
				Map.of("user", "dave", "startsAt", "tomorrow", "endsAt", "2026-11-23T02:00:00Z"));
		Response past = this.warden.post("/api/v1/oncall/it-weekly/overrides",
				Map.of("user", "dave", "startsAt", "2026-11-20T01:00:00Z", "endsAt", "2026-11-21T02:00:00Z"));
		Response badAt = this.warden.get("/api/v1/oncall?at=yesterday");

		assertProblem(backwards, 400, "must be after startsAt");
		assertProblem(unknownUser, 400, "There is no user 'zoe'");
		assertProblem(missing, 400, "user must not be blank");
		assertThat(missing.json().get("errors")).extracting((error) -> error.get("field").asString())
			.containsExactly("endsAt", "user");
		assertProblem(notAnInstant, 400, "startsAt");
		assertProblem(past, 400, "is in the past");
		assertProblem(badAt, 400, "'at'");
		assertThat(this.jdbc.sql("select count(*) from oncall_override").query(Long.class).single()).isZero();
	}

	@Test
	void unknownScheduleIsNotFound() {
		assertProblem(this.warden.get("/api/v1/oncall/nope"), 404, "There is no on-call schedule 'nope'");
		assertProblem(this.warden.get("/api/v1/oncall/nope/overrides"), 404, "nope");
		assertProblem(
				this.warden.post("/api/v1/oncall/nope/overrides",
						Map.of("user", "dave", "startsAt", "2026-11-23T01:00:00Z", "endsAt", "2026-11-23T02:00:00Z")),
				404, "nope");
		assertProblem(delete("/api/v1/oncall/nope/overrides/1"), 404, "nope");
	}

	@Test
	void otherModulesAskTheOnCallComponent() {
		post("dave", "2026-11-22T22:00:00Z", "2026-11-23T02:00:00Z");
		Instant at = Instant.parse("2026-11-22T21:30:00Z");

		OnCallShift now = this.onCall.onCall("it-weekly", at).orElseThrow();
		OnCallShift next = this.onCall.next("it-weekly", at).orElseThrow();

		assertThat(now.user().name()).isEqualTo("carol");
		assertThat(now.override()).isFalse();
		assertThat(now.end()).isEqualTo(Instant.parse("2026-11-22T22:00:00Z"));
		assertThat(next.user().name()).isEqualTo("dave");
		assertThat(next.override()).isTrue();
		assertThat(next.start()).isEqualTo(now.end());
		assertThat(this.onCall.onCall("nope", at)).isEmpty();
		assertThat(this.onCall.user("alice")).get().extracting(User::slackUserId).isEqualTo("U0ALICE");
		assertThat(this.onCall.user("zoe")).isEmpty();
		assertThat(this.onCall.users()).hasSize(4);
	}

	@Test
	void otherModulesFindEscalationPoliciesByName() {
		EscalationPolicy policy = this.onCall.policy("it-default").orElseThrow();

		assertThat(policy.repeat()).isEqualTo(2);
		assertThat(policy.levels()).extracting(EscalationLevel::number, EscalationLevel::delay)
			.containsExactly(tuple(1, Duration.ZERO), tuple(2, Duration.ofMinutes(15)));
		assertThat(policy.levels().get(0).schedules()).containsExactly("it-weekly");
		assertThat(policy.levels().get(1).describeTargets())
			.isEqualTo("users carol and dave, slack #it-leads, email it-leads@example.com");
		assertThat(this.onCall.policy("nope")).isEmpty();
		assertThat(this.onCall.policies()).extracting(EscalationPolicy::name).containsExactly("it-default", "it-quiet");
	}

	@Test
	void listsTheEscalationPolicies() {
		Response response = this.warden.get("/api/v1/escalation-policies");

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode policies = response.json();
		assertThat(policies).extracting((policy) -> policy.get("name").asString())
			.containsExactly("it-default", "it-quiet");
		JsonNode first = policies.get(0);
		assertThat(first.get("repeat").asInt()).isEqualTo(2);
		assertThat(first.get("levels")).hasSize(2);
		assertThat(first.at("/levels/0/number").asInt()).isEqualTo(1);
		assertThat(first.at("/levels/0/delay").asString()).isEqualTo("PT0S");
		assertThat(first.at("/levels/0/schedules/0").asString()).isEqualTo("it-weekly");
		assertThat(first.at("/levels/0/users")).isEmpty();
		assertThat(first.at("/levels/1/number").asInt()).isEqualTo(2);
		assertThat(first.at("/levels/1/delay").asString()).isEqualTo("PT15M");
		assertThat(first.at("/levels/1/users")).extracting(JsonNode::asString).containsExactly("carol", "dave");
		assertThat(first.at("/levels/1/slack/0").asString()).isEqualTo("#it-leads");
		assertThat(first.at("/levels/1/email/0").asString()).isEqualTo("it-leads@example.com");
		assertThat(policies.at("/1/levels/0/delay").asString()).isEqualTo("PT1H");
		assertThat(policies.at("/1/repeat").asInt()).isZero();
	}

	@Test
	void escalationPoliciesNeedTheApiToken() {
		assertThat(this.warden.getAnonymously("/api/v1/escalation-policies").status()).isEqualTo(401);
	}

	@Test
	void listsTheUsers() {
		JsonNode users = this.warden.get("/api/v1/users").json();

		assertThat(users).extracting((user) -> user.get("name").asString())
			.containsExactly("alice", "bob", "carol", "dave");
		assertThat(users.get(0).get("timeZone").asString()).isEqualTo("Europe/Berlin");
		assertThat(users.get(3).get("timeZone").asString()).isEqualTo("UTC");
	}

	@Test
	void brokenReloadReportsItsProblemsAndKeepsTheLastGoodFile() throws IOException {
		try {
			Files.writeString(FILE, GOOD_FILE.replace("[alice, bob, carol]", "[alice, bob, erin]"));

			Response reload = this.warden.post("/api/v1/oncall/reload", null);

			assertThat(reload.status()).isEqualTo(200);
			assertThat(reload.json().get("applied").asBoolean()).isFalse();
			assertThat(reload.json().at("/problems/0/line").asInt()).isEqualTo(11);
			assertThat(reload.json().at("/problems/0/reason").asString())
				.isEqualTo("schedule it-weekly: rotation 1: unknown user 'erin'");
			JsonNode roster = this.warden.get("/api/v1/oncall").json();
			assertThat(roster.at("/schedules/0/onCall/user/name").asString()).isEqualTo("carol");
			assertThat(roster.get("problems")).hasSize(1);

			Files.writeString(FILE, GOOD_FILE.replace("[carol, dave]", "[carol, erin]"));
			Response policyReload = this.warden.post("/api/v1/oncall/reload", null);
			assertThat(policyReload.json().get("applied").asBoolean()).isFalse();
			assertThat(policyReload.json().at("/problems/0/reason").asString())
				.isEqualTo("escalation policy it-default: level 2: unknown user 'erin'");
			assertThat(policyReload.json().get("policies")).extracting(JsonNode::asString)
				.containsExactly("it-default", "it-quiet");
			assertThat(this.onCall.policy("it-default").orElseThrow().levels().get(1).users()).containsExactly("carol",
					"dave");
		}
		finally {
			Files.writeString(FILE, GOOD_FILE);
			assertThat(this.warden.post("/api/v1/oncall/reload", null).json().get("applied").asBoolean()).isTrue();
		}
	}

	private void post(String user, String startsAt, String endsAt) {
		Response response = this.warden.post("/api/v1/oncall/it-weekly/overrides",
				Map.of("user", user, "startsAt", startsAt, "endsAt", endsAt));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
	}

	private Response delete(String path) {
		return this.warden.send(HttpRequest.newBuilder(this.warden.uri(path))
			.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
			.DELETE());
	}

	private static void assertProblem(Response response, int status, String detail) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains(detail);
	}

	private static Path write(String text) {
		try {
			Path file = Files.createTempFile("warden-oncall", ".yaml");
			Files.writeString(file, text);
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
