package dev.warden.notifications;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.incidents.IncidentId;
import dev.warden.routing.Silence;
import dev.warden.routing.Silences;
import dev.warden.runbooks.RunbookService;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack's buttons reach Warden signed with the app's signing secret: a valid Acknowledge
 * acknowledges as the Warden user behind the Slack member; forged, stale, replayed and
 * unknown members' requests are refused and change nothing. A button press is the
 * person's action: it needs an enabled console account of the on-call user's name with a
 * role that may do it (alice is a responder, bob an admin, carol a viewer, dave a
 * disabled responder, erin has no console account); refusals are answered to the member
 * alone and recorded on the timeline.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=slack-interactions",
		"warden.slack.signing-secret=" + SlackInteractionIntegrationTests.SECRET })
class SlackInteractionIntegrationTests {

	static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

	/** The notification tests' on-call file with three more users. */
	private static final String ONCALL = NotificationFiles.ONCALL.replace("schedules:\n", """
			  - {name: carol, full-name: Carol Viewer, email: carol@example.com, slack-user-id: U0CAROL, time-zone: UTC}
			  - {name: dave, full-name: Dave Disabled, email: dave@example.com, slack-user-id: U0DAVE, time-zone: UTC}
			  - {name: erin, full-name: Erin Elsewhere, email: erin@example.com, slack-user-id: U0ERIN, time-zone: UTC}
			schedules:
			""");

	private static final String APPROVAL_RUNBOOK = """
			id: slack-approval
			title: Wait, once approved
			match: ['slack_approval="yes"']
			mode: approval
			cooldown: 0s
			steps:
			  - {name: Wait, action: wait, with: {duration: 1s}}
			""";

	/** Started by hand, approved by someone else. */
	private static final String FOUR_EYES_RUNBOOK = """
			id: slack-four-eyes
			title: Wait, once another person approved
			match: ['slack_four_eyes="yes"']
			mode: approval
			approval: {distinct-approver: true}
			cooldown: 0s
			steps:
			  - {name: Wait, action: wait, with: {duration: 1s}}
			""";

	@LocalServerPort
	int port;

	@Autowired
	RunbookService runbooks;

	@Autowired
	Silences silences;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.routing.file", () -> NotificationFiles.routing().toString());
		registry.add("warden.oncall.file", () -> NotificationFiles.write("oncall-", ONCALL).toString());
		registry.add("warden.runbooks.directory", () -> runbooks().toString());
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		consoleUser("alice", "responder", true);
		consoleUser("bob", "admin", true);
		consoleUser("carol", "viewer", true);
		consoleUser("dave", "responder", false);
	}

	@Test
	void validAcknowledgeButtonAcknowledgesAsTheMappedUser() {
		long incident = open();
		Response response = send(button("U0ALICE", "warden_acknowledge", incident), now(), SECRET);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode detail = this.warden.get("/api/v1/incidents/" + incident).json();
		assertThat(detail.get("status").asString()).isEqualTo("acknowledged");
		assertThat(detail.get("timeline").valueStream()).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("incident.acknowledged");
			assertThat(event.get("actor").asString()).contains("alice");
		});
	}

	@Test
	void resolveButtonResolves() {
		long incident = open();
		assertThat(send(button("U0BOB", "warden_resolve", incident), now(), SECRET).status()).isEqualTo(200);
		assertThat(status(incident)).isEqualTo("resolved");
	}

	@Test
	void mitigatedButtonSetsTheMilestoneAsTheMappedUserOnce() {
		long incident = open();
		Instant before = this.clock.instant().truncatedTo(ChronoUnit.MICROS);

		Response response = send(button("U0ALICE", "warden_mitigate", incident), now(), SECRET);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("text").asString()).contains("#" + incident, "mitigated", "alice");
		JsonNode detail = this.warden.get("/api/v1/incidents/" + incident).json();
		assertThat(detail.get("status").asString()).isEqualTo("triggered");
		String mitigatedAt = detail.get("milestones").get("mitigatedAt").asString();
		assertThat(Instant.parse(mitigatedAt)).isBetween(before, this.clock.instant());
		assertThat(detail.get("timeline").valueStream()).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("incident.mitigated");
			assertThat(event.get("actor").asString()).contains("alice");
			assertThat(event.get("summary").asString()).contains("from Slack");
		});

		Response again = send(button("U0BOB", "warden_mitigate", incident), now(), SECRET);

		assertEphemeralRefusal(again, "already mitigated");
		assertThat(
				this.warden.get("/api/v1/incidents/" + incident).json().get("milestones").get("mitigatedAt").asString())
			.isEqualTo(mitigatedAt);
		assertRefusalRecorded(incident, "bob", "mitigate", "already mitigated");
	}

	@Test
	void silenceButtonSilencesTheIncidentsGroupForTwoHoursAsTheMappedResponder() {
		String instance = "fp-" + UUID.randomUUID();
		ObjectNode payload = Payloads.group().firing(instance, this.clock.instant().minusSeconds(30)).json();
		payload.putObject("groupLabels").put("alertname", "InferenceLatencyHigh").put("instance", instance);
		long incident = this.warden.open(payload);
		Instant at = this.clock.instant();

		Response viewer = send(button("U0CAROL", "warden_silence_2h", incident), now(), SECRET);
		assertEphemeralRefusal(viewer, "viewer");
		assertThat(silencesOf(instance)).as("a viewer silences nothing").isEmpty();

		Response response = send(button("U0ALICE", "warden_silence_2h", incident), now(), SECRET);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("text").asString()).contains("#" + incident, "silenced for 2 h", "alice");
		List<Silence> silenced = silencesOf(instance);
		assertThat(silenced).hasSize(1);
		Silence silence = silenced.getFirst();
		assertThat(silence.matchers()).extracting(Object::toString)
			.containsExactly("alertname=\"InferenceLatencyHigh\"", "instance=\"" + instance + "\"");
		assertThat(silence.createdBy()).isEqualTo("alice");
		assertThat(silence.startsAt()).isEqualTo(at);
		assertThat(silence.endsAt()).isEqualTo(at.plus(Duration.ofHours(2)));
		assertThat(silence.comment()).contains("Slack", "#" + incident);
		assertThat(this.silences
			.silencing(Map.of("alertname", "InferenceLatencyHigh", "instance", instance, "severity", "warning"), at))
			.map(Silence::id)
			.contains(silence.id());
	}

	@Test
	void silenceButtonOnAnIncidentWithoutAlertsSilencesNothing() {
		Response declared = this.warden.post("/api/v1/incidents",
				Map.of("title", "No alerts " + UUID.randomUUID(), "severity", "high"));
		assertThat(declared.status()).as(declared.toString()).isEqualTo(201);
		long incident = declared.json().get("id").asLong();
		long before = this.jdbc.sql("select count(*) from silence").query(Long.class).single();

		Response response = send(button("U0ALICE", "warden_silence_2h", incident), now(), SECRET);

		assertEphemeralRefusal(response, "no alert group to silence by its alert name");
		assertThat(this.jdbc.sql("select count(*) from silence").query(Long.class).single()).isEqualTo(before);

		// Grouped by severity alone: a silence on severity="warning" would quiet every
		// warning, not this incident.
		ObjectNode bySeverity = Payloads.group().firing("fp-" + UUID.randomUUID(), this.clock.instant()).json();
		bySeverity.putObject("groupLabels").put("severity", "warning");
		long broad = this.warden.open(bySeverity);
		Response refused = send(button("U0ALICE", "warden_silence_2h", broad), now(), SECRET);
		assertEphemeralRefusal(refused, "no alert group to silence by its alert name");
		assertThat(this.jdbc.sql("select count(*) from silence").query(Long.class).single()).isEqualTo(before);
	}

	private List<Silence> silencesOf(String instance) {
		return this.silences.list(null)
			.stream()
			.filter((silence) -> silence.matchers().stream().anyMatch((matcher) -> matcher.value().equals(instance)))
			.toList();
	}

	@Test
	void slashCommandDeclaresAsTheMappedUserOncePerTrigger() {
		String title = "Chat cites the wrong policy documents " + UUID.randomUUID();
		String trigger = "trigger-" + UUID.randomUUID();
		String body = command("U0ALICE",
				"declare high " + title
						+ " service=svc-slack model=llama-3-70b | Three users reported it &amp; it is growing",
				trigger);

		Response response = sendCommand(body, now(), SECRET);

		assertEphemeralRefusal(response, "Declared INC-", title, "(high)");
		long incident = declaredWithTitle(title);
		JsonNode detail = this.warden.get("/api/v1/incidents/" + incident).json();
		assertThat(detail.get("declaredBy").asString()).isEqualTo("alice");
		assertThat(detail.get("severity").asString()).isEqualTo("high");
		assertThat(detail.get("service").asString()).isEqualTo("svc-slack");
		assertThat(detail.get("description").asString()).isEqualTo("Three users reported it & it is growing");
		assertThat(detail.get("groupLabels").get("model").asString()).isEqualTo("llama-3-70b");
		assertThat(this.jdbc.sql("select channel from audit_event where action = 'incident.declare' and target = ?")
			.param("INC-" + incident)
			.query(String.class)
			.single()).isEqualTo("slack");

		// The same request again is a replay; the same command re-signed (Slack's own
		// retry) finds the incident it opened.
		assertThat(sendCommand(body, now(), SECRET).status()).isEqualTo(401);
		this.clock.advance(Duration.ofSeconds(1));
		Response again = sendCommand(body, now(), SECRET);
		assertEphemeralRefusal(again, "Already declared INC-" + incident);
		assertThat(declaredCount(title)).isEqualTo(1);
	}

	@Test
	void slashCommandsThatMayNotOrCannotDeclareOpenNothing() {
		String title = "Refused declaration " + UUID.randomUUID();

		assertEphemeralRefusal(sendCommand(command("U0CAROL", "declare high " + title, "t1"), now(), SECRET),
				"Not done", "console role is viewer");
		assertEphemeralRefusal(sendCommand(command("U0DAVE", "declare high " + title, "t2"), now(), SECRET), "Not done",
				"disabled");
		assertEphemeralRefusal(sendCommand(command("U0STRANGER", "declare high " + title, "t3"), now(), SECRET),
				"Not done", "not a Warden user");
		assertEphemeralRefusal(sendCommand(command("U0ALICE", "declare sev1 " + title, "t4"), now(), SECRET),
				"Not done", "Start with the severity", "Usage: /warden declare");
		assertEphemeralRefusal(sendCommand(command("U0ALICE", "declare high", "t5"), now(), SECRET), "Not done",
				"needs a title");
		assertEphemeralRefusal(
				sendCommand(command("U0ALICE", "declare critical " + title + " a=1 a=2", "t6"), now(), SECRET),
				"Not done", "given twice");
		assertEphemeralRefusal(sendCommand(command("U0ALICE", "help", "t7"), now(), SECRET), "Usage: /warden declare");
		Response forged = sendCommand(command("U0ALICE", "declare high " + title, "t8"), now(), "not-the-secret");
		assertThat(forged.status()).isEqualTo(401);

		assertThat(declaredCount(title)).isZero();
	}

	@Test
	void forgedRequestIsRefusedAndChangesNothing() {
		long incident = open();
		Response response = send(button("U0ALICE", "warden_acknowledge", incident), now(), "not-the-secret");

		assertThat(response.status()).isEqualTo(401);
		assertThat(status(incident)).isEqualTo("triggered");
	}

	@Test
	void tamperedBodyIsRefused() {
		long incident = open();
		String body = button("U0ALICE", "warden_acknowledge", incident);
		String timestamp = now();
		String signature = sign(body, timestamp, SECRET);
		Response response = this.warden.send(request(body.replace("U0ALICE", "U0BOB"), timestamp, signature));

		assertThat(response.status()).isEqualTo(401);
		assertThat(status(incident)).isEqualTo("triggered");
	}

	@Test
	void staleRequestIsRefused() {
		long incident = open();
		String sixMinutesAgo = String.valueOf(this.clock.instant().minusSeconds(360).getEpochSecond());
		Response response = send(button("U0ALICE", "warden_acknowledge", incident), sixMinutesAgo, SECRET);

		assertThat(response.status()).isEqualTo(401);
		assertThat(status(incident)).isEqualTo("triggered");
	}

	@Test
	void replayedRequestIsRefused() {
		long first = open();
		String body = button("U0ALICE", "warden_resolve", first);
		String timestamp = now();
		String signature = sign(body, timestamp, SECRET);
		assertThat(this.warden.send(request(body, timestamp, signature)).status()).isEqualTo(200);
		assertThat(this.warden.post("/api/v1/incidents/" + first + "/reopen", Map.of()).status()).isEqualTo(200);

		Response replay = this.warden.send(request(body, timestamp, signature));

		assertThat(replay.status()).isEqualTo(401);
		assertThat(status(first)).as("the replay did not resolve it again").isEqualTo("triggered");
	}

	@Test
	void unknownSlackMemberIsRefused() {
		long incident = open();
		Response response = send(button("U0STRANGER", "warden_acknowledge", incident), now(), SECRET);

		assertThat(response.status()).isEqualTo(403);
		assertThat(status(incident)).isEqualTo("triggered");
	}

	/**
	 * A viewer, a disabled user and an on-call member without a console account: each
	 * click is refused to the member alone, changes nothing and is recorded.
	 */
	@ParameterizedTest
	@CsvSource({
			"U0CAROL, carol, acknowledge, console role is viewer; to acknowledge, the console role must be responder or admin",
			"U0DAVE, dave, resolve, console account is disabled", "U0ERIN, erin, acknowledge, no console account" })
	void clicksOfMembersWhoMayNotActAreRefusedToThemAloneAndRecorded(String member, String user, String action,
			String reason) {
		long incident = open();

		Response response = send(button(member, "warden_" + action, incident), now(), SECRET);

		assertEphemeralRefusal(response, user, reason);
		assertThat(status(incident)).isEqualTo("triggered");
		assertRefusalRecorded(incident, user, action, reason);
	}

	@Test
	void viewersApprovalIsRefusedOnTheRunsIncident() {
		long incident = openForApproval();
		long run = awaitingRun(incident);

		Response response = send(button("U0CAROL", "warden_approve", run), now(), SECRET);

		assertEphemeralRefusal(response, "carol", "console role is viewer");
		assertThat(execution(run).get("status").asString()).isEqualTo("awaiting_approval");
		assertRefusalRecorded(incident, "carol", "approve", "console role is viewer");
	}

	@Test
	void respondersApprovalApprovesAsThem() {
		long incident = openForApproval();
		long run = awaitingRun(incident);

		Response response = send(button("U0ALICE", "warden_approve", run), now(), SECRET);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("text").asString()).contains("approved by alice");
		assertThat(execution(run).get("approvedBy").asString()).isEqualTo("alice");
		assertThat(types(incident)).doesNotContain("action.refused");
	}

	@Test
	void startersOwnApprovalIsRefusedWhenTheRunbookWantsAnotherPerson() {
		long incident = open();
		// alice starts the run by hand (as from the console); it waits for approval.
		long run = this.runbooks.run("slack-four-eyes", new IncidentId(incident), "alice").id().value();
		assertThat(execution(run).get("status").asString()).isEqualTo("awaiting_approval");

		Response own = send(button("U0ALICE", "warden_approve", run), now(), SECRET);

		assertEphemeralRefusal(own, "another person");
		assertThat(execution(run).get("status").asString()).isEqualTo("awaiting_approval");
		assertRefusalRecorded(incident, "alice", "approve", "another person");
		assertThat(types(incident)).contains("runbook.approval_refused");

		Response other = send(button("U0BOB", "warden_approve", run), now(), SECRET);

		assertThat(other.status()).as(other.toString()).isEqualTo(200);
		assertThat(execution(run).get("approvedBy").asString()).isEqualTo("bob");
	}

	@Test
	void serviceRefusalIsAnsweredToTheMemberAloneAndRecorded() {
		long incident = open();
		assertThat(send(button("U0ALICE", "warden_resolve", incident), now(), SECRET).status()).isEqualTo(200);

		Response again = send(button("U0BOB", "warden_acknowledge", incident), now(), SECRET);

		assertThat(again.status()).as(again.toString()).isEqualTo(200);
		assertThat(again.json().get("response_type").asString()).isEqualTo("ephemeral");
		assertThat(status(incident)).isEqualTo("resolved");
		assertRefusalRecorded(incident, "bob", "acknowledge", "resolved");
	}

	@Test
	void signedButMalformedPayloadsAre400sAndChangeNothing() {
		long incident = open();
		String notAnArray = "payload=" + URLEncoder.encode(
				"{\"type\": \"block_actions\", \"user\": {\"id\": \"U0ALICE\"}, \"actions\": {\"a\": 1}}",
				StandardCharsets.UTF_8);

		for (String body : List.of(button("U0ALICE", "warden_acknowledge", 0), button("U0ALICE", "warden_resolve", -7),
				button("U0ALICE", "warden_approve", 0), notAnArray)) {
			Response response = send(body, now(), SECRET);
			assertThat(response.status()).as(body + " -> " + response).isEqualTo(400);
		}
		assertThat(status(incident)).isEqualTo("triggered");
	}

	@Test
	void missingSignatureIsRefused() {
		long incident = open();
		String body = button("U0ALICE", "warden_acknowledge", incident);
		Response response = this.warden.send(HttpRequest.newBuilder(this.warden.uri("/slack/interactions"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));

		assertThat(response.status()).isEqualTo(401);
		assertThat(status(incident)).isEqualTo("triggered");
	}

	private static void assertEphemeralRefusal(Response response, String... reasonParts) {
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		JsonNode body = response.json();
		assertThat(body.get("response_type").asString()).isEqualTo("ephemeral");
		assertThat(body.get("text").asString()).contains(reasonParts);
	}

	private void assertRefusalRecorded(long incident, String who, String action, String reason) {
		JsonNode detail = this.warden.get("/api/v1/incidents/" + incident).json();
		assertThat(detail.get("timeline").valueStream())
			.filteredOn((event) -> event.get("type").asString().equals("action.refused"))
			.singleElement()
			.satisfies((event) -> {
				assertThat(event.get("actor").asString()).isEqualTo(who);
				assertThat(event.get("actorKind").asString()).isEqualTo("user");
				assertThat(event.get("details").get("action").asString()).isEqualTo(action + " (Slack)");
				assertThat(event.get("details").get("reason").asString()).contains(reason);
				assertThat(event.get("summary").asString()).contains(who, action, reason);
			});
	}

	private List<String> types(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident).json().get("timeline").findValuesAsString("type");
	}

	/**
	 * These users act from Slack and never sign in: one hash of a random password, at
	 * BCrypt's lowest cost, serves them all.
	 */
	private static final String UNUSED_PASSWORD_HASH = "{bcrypt}"
			+ new BCryptPasswordEncoder(4).encode(UUID.randomUUID().toString());

	private void consoleUser(String username, String role, boolean enabled) {
		this.jdbc.sql("""
				insert into console_user (username, display_name, password_hash, role, enabled, created_at,
				                          password_changed_at)
				values (?, ?, ?, ?, ?, now(), now())
				on conflict (username) do update set role = excluded.role, enabled = excluded.enabled""")
			.params(username, username, UNUSED_PASSWORD_HASH, role, enabled)
			.update();
	}

	private long openForApproval() {
		Payloads.Group group = Payloads.group();
		ObjectNode payload = group.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30)).json();
		((ObjectNode) payload.get("alerts").get(0).get("labels")).put("slack_approval", "yes");
		return this.warden.open(payload);
	}

	private long awaitingRun(long incident) {
		JsonNode executions = this.warden.get("/api/v1/runbook-executions?incident=" + incident).json();
		assertThat(executions).as(executions.toString()).hasSize(1);
		assertThat(executions.get(0).get("status").asString()).isEqualTo("awaiting_approval");
		return executions.get(0).get("id").asLong();
	}

	private JsonNode execution(long run) {
		return this.warden.get("/api/v1/runbook-executions/" + run).json();
	}

	private static Path runbooks() {
		try {
			Path directory = Files.createTempDirectory("slack-runbooks");
			Files.writeString(directory.resolve("slack-approval.yaml"), APPROVAL_RUNBOOK);
			Files.writeString(directory.resolve("slack-four-eyes.yaml"), FOUR_EYES_RUNBOOK);
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Response send(String body, String timestamp, String secret) {
		return this.warden.send(request(body, timestamp, sign(body, timestamp, secret)));
	}

	private HttpRequest.Builder request(String body, String timestamp, String signature) {
		return HttpRequest.newBuilder(this.warden.uri("/slack/interactions"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Slack-Request-Timestamp", timestamp)
			.header("X-Slack-Signature", signature)
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	/** A slash command's form as Slack sends it. */
	private static String command(String slackUser, String text, String triggerId) {
		return "token=legacy&team_id=T0TEAM&channel_id=C0CHANNEL&user_id=" + slackUser
				+ "&user_name=someone&command=%2Fwarden&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
				+ "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id="
				+ URLEncoder.encode(triggerId, StandardCharsets.UTF_8);
	}

	private Response sendCommand(String body, String timestamp, String secret) {
		return this.warden.send(HttpRequest.newBuilder(this.warden.uri("/slack/commands"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Slack-Request-Timestamp", timestamp)
			.header("X-Slack-Signature", sign(body, timestamp, secret))
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private long declaredWithTitle(String title) {
		return this.jdbc.sql("select id from incident where title = ? and declared_by_name is not null")
			.param(title)
			.query(Long.class)
			.single();
	}

	private long declaredCount(String title) {
		return this.jdbc.sql("select count(*) from incident where title like ?")
			.param(title + "%")
			.query(Long.class)
			.single();
	}

	/** A block_actions payload as Slack sends it for a button click. */
	private static String button(String slackUser, String actionId, long value) {
		String payload = """
				{"type": "block_actions", "user": {"id": "%s", "username": "someone"},
				 "team": {"id": "T0TEAM"}, "trigger_id": "%s",
				 "actions": [{"type": "button", "action_id": "%s", "value": "%d", "block_id": "actions"}]}"""
			.formatted(slackUser, UUID.randomUUID(), actionId, value);
		return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
	}

	/** Slack's v0 signature, computed independently of Warden's code. */
	private static String sign(String body, String timestamp, String secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return "v0=" + HexFormat.of()
				.formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String now() {
		return String.valueOf(this.clock.instant().getEpochSecond());
	}

	private long open() {
		return this.warden
			.open(Payloads.group().firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30)).json());
	}

	private String status(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident).json().get("status").asString();
	}

}
