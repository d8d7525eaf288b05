package dev.warden.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.console.ConsoleBrowser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Silences both ways with the real Alertmanager (Debian's {@code prometheus-alertmanager}
 * on a loopback port, clustering off): a silence created in Warden is created in
 * Alertmanager with Warden's id in its comment and expired there when expired in Warden;
 * while Alertmanager is down the silence holds in Warden, the API and the page say it is
 * not yet in Alertmanager, and once Alertmanager is back the job delivers it exactly
 * once; Alertmanager's own silences are listed read-only beside Warden's. Skipped with a
 * message where the binary is missing, unless {@code WARDEN_REQUIRE_E2E=true}.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=alertmanager-silences",
		"warden.console.admin.username=" + AlertmanagerSilencesIntegrationTests.ADMIN,
		"warden.console.admin.password=" + AlertmanagerSilencesIntegrationTests.PASSWORD,
		"warden.alertmanager.api.timeout=2s", "warden.alertmanager.api.list-timeout=1s",
		"warden.alertmanager.api.initial-backoff=200ms", "warden.alertmanager.api.max-backoff=1s",
		"db-scheduler.polling-interval=500ms" })
class AlertmanagerSilencesIntegrationTests {

	static final String ADMIN = "am-silences-admin";

	static final String PASSWORD = "am-silences-password-0123";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** Alertmanager's port, bound before Warden starts. */
	private static int alertmanagerPort;

	private static List<String> command;

	private static LocalProcess alertmanager;

	private static boolean running;

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SchedulerClient scheduler;

	WardenClient warden;

	/** Labels of this test's own. */
	private final String instance = "am-" + UUID.randomUUID();

	/**
	 * Starts Alertmanager before Warden, so that its port is bound the moment it is
	 * chosen: another test JVM on the machine (another worktree's build) could take a
	 * port left free for as long as Warden takes to start.
	 */
	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		LocalMonitoring.assumeBinaries();
		Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "e2e")), "am-silences-")
			.toAbsolutePath();
		Path config = Files.writeString(work.resolve("alertmanager.yml"), """
				route:
				  receiver: nobody
				receivers:
				  - name: nobody
				""");
		Path data = Files.createDirectories(work.resolve("data"));
		for (int tries = 1;; tries++) {
			alertmanagerPort = LocalProcess.freePort();
			command = List.of("prometheus-alertmanager", "--config.file=" + config, "--storage.path=" + data,
					"--web.listen-address=127.0.0.1:" + alertmanagerPort, "--cluster.listen-address=",
					"--log.level=debug");
			try {
				startAlertmanager();
				break;
			}
			catch (IllegalStateException ex) {
				if (tries == 3 || !String.valueOf(ex.getMessage()).contains("address already in use")) {
					throw ex;
				}
			}
		}
		registry.add("warden.alertmanager.api.url", () -> "http://127.0.0.1:" + alertmanagerPort);
	}

	@BeforeEach
	void setUp() {
		// Alertmanager checks times against the real clock: Warden's must agree.
		this.clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		this.warden = new WardenClient(this.port);
		if (!running) {
			startAlertmanager();
		}
	}

	@AfterAll
	static void stopAlertmanager() {
		if (alertmanager != null) {
			alertmanager.close();
			alertmanager = null;
			running = false;
		}
	}

	private static void startAlertmanager() {
		alertmanager = LocalProcess.start("alertmanager-silences", command, alertmanagerPort, "/-/ready");
		running = true;
	}

	@Test
	void silenceCreatedInWardenIsCreatedInAlertmanagerAndExpiredThereWhenExpiredInWarden() {
		Instant endsAt = this.clock.instant().plus(Duration.ofHours(2));
		JsonNode created = createSilence(endsAt, "disk swap");
		String id = created.get("id").asString();
		assertThat(created.get("alertmanager").get("state").asString()).isEqualTo("pending");

		JsonNode synced = awaitCopy(id, "created");
		String copyId = synced.get("alertmanager").get("silenceId").asString();
		JsonNode copy = alertmanagerSilence(copyId);
		assertThat(copy.get("comment").asString()).isEqualTo("disk swap (warden silence " + id + ")");
		assertThat(copy.get("createdBy").asString()).isEqualTo(synced.get("createdBy").asString());
		assertThat(copy.get("status").get("state").asString()).isEqualTo("active");
		assertThat(Instant.parse(copy.get("endsAt").asString())).isEqualTo(endsAt);
		assertThat(copy.get("matchers").valueStream().map(AlertmanagerSilencesIntegrationTests::matcher).toList())
			.containsExactlyInAnyOrder("alertname=\"InferenceLatencyHigh\"", "instance=\"" + this.instance + "\"",
					"env!=\"staging\"", "service=~\"ai-.*\"", "team!~\"db-.*\"");
		assertThat(copiesOf(id)).hasSize(1);

		WardenClient.Response expired = expire(id);
		assertThat(expired.status()).as(expired.body()).isEqualTo(200);

		awaitCopy(id, "expired");
		assertThat(alertmanagerSilence(copyId).get("status").get("state").asString()).isEqualTo("expired");
		assertThat(copiesOf(id)).as("still one copy, now expired").hasSize(1);
	}

	@Test
	void whileAlertmanagerIsDownTheSilenceHoldsInWardenAndReachesAlertmanagerOnceItIsBack() {
		alertmanager.close();
		running = false;
		try {
			JsonNode created = createSilence(this.clock.instant().plus(Duration.ofHours(2)), "during the outage");
			String id = created.get("id").asString();

			// Warden keeps trying, and says so.
			JsonNode retrying = await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> silence(id), (silence) -> silence.get("alertmanager").get("attempts").asInt() >= 2);
			assertThat(retrying.get("alertmanager").get("state").asString()).isEqualTo("pending");
			assertThat(retrying.get("alertmanager").get("lastError").asString()).contains("unreachable");
			assertThat(retrying.get("state").asString()).isEqualTo("active");

			// The silence holds inside Warden all the same.
			long incident = this.warden.open(Payloads.group()
				.firing(this.instance, this.clock.instant().minusSeconds(30))
				.summary("Silenced while Alertmanager is down")
				.json());
			assertThat(this.warden.get("/api/v1/incidents/" + incident).json().get("timeline").toString())
				.contains("notification.suppressed")
				.contains(id);

			ConsoleBrowser.Page page = admin().get("/silences");
			assertThat(page.status()).isEqualTo(200);
			assertThat(text(page.body())).contains("not yet in Alertmanager")
				.contains("Alertmanager is unreachable")
				.contains("during the outage");
			JsonNode listing = this.warden.get("/api/v1/silences/alertmanager").json();
			assertThat(listing.get("configured").asBoolean()).isTrue();
			assertThat(listing.get("reachable").asBoolean()).isFalse();
			assertThat(listing.get("error").asString()).contains("unreachable");

			startAlertmanager();

			JsonNode synced = awaitCopy(id, "created");
			assertThat(synced.get("alertmanager").get("lastError").isNull()).isTrue();
			List<JsonNode> copies = copiesOf(id);
			assertThat(copies).as("delivered exactly once").hasSize(1);
			assertThat(copies.getFirst().get("id").asString())
				.isEqualTo(synced.get("alertmanager").get("silenceId").asString());
			assertThat(text(admin().get("/silences").body()))
				.contains("in Alertmanager " + copies.getFirst().get("id").asString());
		}
		finally {
			if (!running) {
				startAlertmanager();
			}
		}
	}

	@Test
	void aSilenceExpiredInWardenWhileAlertmanagerIsDownNeverSilencesThere() {
		alertmanager.close();
		running = false;
		String id;
		try {
			id = createSilence(this.clock.instant().plus(Duration.ofHours(2)), "short-lived").get("id").asString();
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> silence(id).get("alertmanager").get("attempts").asInt() >= 1);
			assertThat(expire(id).status()).isEqualTo(200);
			JsonNode expiring = silence(id);
			assertThat(expiring.get("state").asString()).isEqualTo("expired");
			assertThat(expiring.get("alertmanager").get("state").asString()).isEqualTo("expiring");
			assertThat(text(admin().get("/silences").body())).contains("not yet expired in Alertmanager");
		}
		finally {
			startAlertmanager();
		}

		awaitCopy(id, "expired");
		assertThat(copiesOf(id)).as("nothing created for a silence that had ended").isEmpty();
	}

	@Test
	void aCreationWhoseAnswerWasLostDoesNotMakeASecondCopy() {
		JsonNode created = createSilence(this.clock.instant().plus(Duration.ofHours(1)), "answer lost");
		String id = created.get("id").asString();
		String copyId = awaitCopy(id, "created").get("alertmanager").get("silenceId").asString();

		// As if Alertmanager had stored the silence but its answer never reached Warden
		// (a timeout, an instance that died): the row still says pending, and the job
		// runs again.
		this.jdbc.sql("update silence set alertmanager_state = 'pending', alertmanager_id = null where id = ?::uuid")
			.param(id)
			.update();
		this.scheduler.scheduleIfNotExists(TaskDescriptor.of("alertmanager-silence-sync", String.class)
			.instance(id)
			.data(id)
			.scheduledTo(this.clock.instant()));

		JsonNode synced = awaitCopy(id, "created");
		assertThat(synced.get("alertmanager").get("silenceId").asString()).as("the copy found, not a new one")
			.isEqualTo(copyId);
		assertThat(copiesOf(id)).hasSize(1);
	}

	@Test
	void aSilenceAlertmanagerRefusesIsMarkedFailedAndStillHoldsInWarden() {
		// Warden's clock three hours behind Alertmanager's: a two-hour silence ends in
		// Alertmanager's past, which it refuses with a 400.
		this.clock.set(this.clock.instant().minus(Duration.ofHours(3)));
		JsonNode created = createSilence(this.clock.instant().plus(Duration.ofHours(2)), "clock skew");
		String id = created.get("id").asString();

		JsonNode failed = awaitCopy(id, "failed");
		assertThat(failed.get("alertmanager").get("lastError").asString()).contains("400")
			.contains("end time can't be in the past");
		assertThat(failed.get("state").asString()).isEqualTo("active");
		assertThat(copiesOf(id)).isEmpty();
		assertThat(text(admin().get("/silences").body())).contains("failed: Alertmanager refused the silence");
	}

	@Test
	void alertmanagersOwnSilencesAreListedReadOnlyAndWardensCopiesAreNotListedTwice() throws Exception {
		String own = postToAlertmanager("""
				{"matchers": [{"name": "instance", "value": "%s-own", "isRegex": false, "isEqual": true}],
				 "startsAt": "%s", "endsAt": "%s", "createdBy": "grafana", "comment": "set in Grafana"}"""
			.formatted(this.instance, Instant.now(), Instant.now().plus(Duration.ofHours(1))));
		String wardens = createSilence(this.clock.instant().plus(Duration.ofHours(1)), "set in Warden").get("id")
			.asString();
		String copy = awaitCopy(wardens, "created").get("alertmanager").get("silenceId").asString();

		JsonNode listing = this.warden.get("/api/v1/silences/alertmanager").json();
		assertThat(listing.get("configured").asBoolean()).isTrue();
		assertThat(listing.get("reachable").asBoolean()).isTrue();
		List<String> ids = listing.get("silences").valueStream().map((each) -> each.get("id").asString()).toList();
		assertThat(ids).contains(own).doesNotContain(copy);
		JsonNode listed = listing.get("silences")
			.valueStream()
			.filter((each) -> each.get("id").asString().equals(own))
			.findFirst()
			.orElseThrow();
		assertThat(listed.get("createdBy").asString()).isEqualTo("grafana");
		assertThat(listed.get("matchers").get(0).asString()).isEqualTo("instance=\"" + this.instance + "-own\"");
		assertThat(listed.get("state").asString()).isEqualTo("active");

		ConsoleBrowser.Page page = admin().get("/silences");
		String table = part(page.body(), "<table[^>]*aria-labelledby=\"alertmanager-heading\"[^>]*>(.*?)</table>");
		assertThat(text(table)).contains("set in Grafana").contains(own).contains("grafana").doesNotContain(copy);
		assertThat(table).as("read-only").doesNotContain("<form").doesNotContain("<button");
		assertThat(text(part(page.body(), "<table[^>]*aria-labelledby=\"active-heading\"[^>]*>(.*?)</table>")))
			.contains("set in Warden")
			.contains("in Alertmanager " + copy)
			.doesNotContain("set in Grafana");
	}

	private JsonNode createSilence(Instant endsAt, String comment) {
		WardenClient.Response response = this.warden.post("/api/v1/silences",
				Map.of("matchers",
						List.of("alertname=\"InferenceLatencyHigh\"", "instance=\"" + this.instance + "\"",
								"env!=staging", "service=~\"ai-.*\"", "team!~\"db-.*\""),
						"endsAt", endsAt.toString(), "comment", comment));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json();
	}

	private WardenClient.Response expire(String id) {
		return this.warden.send(HttpRequest.newBuilder()
			.uri(this.warden.uri("/api/v1/silences/" + id))
			.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
			.DELETE());
	}

	private JsonNode silence(String id) {
		return this.warden.get("/api/v1/silences/" + id).json();
	}

	private JsonNode awaitCopy(String id, String state) {
		return await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> silence(id), (silence) -> silence.get("alertmanager").get("state").asString().equals(state));
	}

	/**
	 * Alertmanager's silences (expired ones too) whose comment names this Warden silence.
	 */
	private static List<JsonNode> copiesOf(String id) {
		return alertmanagerSilences().stream()
			.filter((silence) -> silence.get("comment").asString().contains("(warden silence " + id + ")"))
			.toList();
	}

	private static List<JsonNode> alertmanagerSilences() {
		return json.readTree(alertmanager.read("/api/v2/silences")).valueStream().toList();
	}

	private static JsonNode alertmanagerSilence(String id) {
		return json.readTree(alertmanager.read("/api/v2/silence/" + id));
	}

	private static String postToAlertmanager(String body) throws IOException, InterruptedException {
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + alertmanagerPort + "/api/v2/silences"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body()).get("silenceID").asString();
	}

	private static String matcher(JsonNode matcher) {
		boolean regex = matcher.get("isRegex").asBoolean();
		boolean equal = matcher.get("isEqual").asBoolean();
		String operator = regex ? (equal ? "=~" : "!~") : (equal ? "=" : "!=");
		return matcher.get("name").asString() + operator + "\"" + matcher.get("value").asString() + "\"";
	}

	private ConsoleBrowser admin() {
		return new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
	}

	private static String part(String html, String regex) {
		Matcher matcher = Pattern.compile(regex, Pattern.DOTALL).matcher(html);
		assertThat(matcher.find()).as("the page has " + regex).isTrue();
		return matcher.group(1);
	}

	private static String text(String html) {
		return html.replaceAll("(?s)<[^>]*>", " ")
			.replace("&quot;", "\"")
			.replace("&lt;", "<")
			.replace("&gt;", ">")
			.replace("&#39;", "'")
			.replace("&amp;", "&")
			.replaceAll("\\s+", " ");
	}

}
