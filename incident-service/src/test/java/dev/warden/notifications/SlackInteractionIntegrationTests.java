package dev.warden.notifications;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack's buttons reach Warden signed with the app's signing secret: a valid Acknowledge
 * acknowledges as the Warden user behind the Slack member; forged, stale, replayed and
 * unknown members' requests are refused and change nothing.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=slack-interactions",
		"warden.slack.signing-secret=" + SlackInteractionIntegrationTests.SECRET })
class SlackInteractionIntegrationTests {

	static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.routing.file", () -> NotificationFiles.routing().toString());
		registry.add("warden.oncall.file", () -> NotificationFiles.onCall().toString());
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
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
