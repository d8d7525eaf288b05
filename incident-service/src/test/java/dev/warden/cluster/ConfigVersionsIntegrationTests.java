package dev.warden.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.routing.Routing;
import dev.warden.yaml.ContentHash;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration versions and instances on one instance: what a start and a reload record,
 * how a version another instance recorded is taken in (the files read again) or reported
 * as drift, the routing version an incident keeps, and the instances API. Other instances
 * are played by rows written as they would write them; polling is left to the tests (an
 * hour apart by itself) so that each step is deterministic.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=cluster-config", "warden.cluster.instance-id=solo",
		"warden.cluster.config-poll-interval=1h" })
class ConfigVersionsIntegrationTests {

	private static final Path ROUTING = routingFile();

	private static final String TREE_A = "route:\n  team: team-a\n";

	private static final String TREE_B = "route:\n  team: team-b\n";

	private static final Pattern DRIFT = Pattern
		.compile("warden_config_drift\\{application=\"warden\",kind=\"routing\"\\} (\\S+)");

	@LocalServerPort
	int port;

	@Autowired
	ConfigVersions versions;

	@Autowired
	Instances instances;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	@Autowired
	ClusterLifecycle lifecycle;

	@Autowired
	Routing routing;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.routing.file", ROUTING::toString);
	}

	@BeforeEach
	void setUp() throws IOException {
		this.warden = new WardenClient(this.port);
		Files.writeString(ROUTING, TREE_A);
		assertThat(this.warden.post("/api/v1/routing/reload", null).status()).isEqualTo(200);
	}

	@Test
	void theFirstStartRecordedAVersionOfEveryKind() {
		List<String> started = this.jdbc
			.sql("select kind from config_version where actor = 'start of solo' and version = 1 order by kind")
			.query(String.class)
			.list();

		assertThat(started).containsExactly("heartbeats", "oncall", "routing", "runbooks");
		assertThat(this.versions.kinds()).containsExactly("heartbeats", "oncall", "routing", "runbooks");
	}

	@Test
	void aReloadRecordsWhatWasReadWhoAskedAndWhetherItApplied() throws IOException {
		long before = latestRouting().get("version").asLong();
		Files.writeString(ROUTING, TREE_B);

		assertThat(this.warden.post("/api/v1/routing/reload", null).status()).isEqualTo(200);

		JsonNode recorded = latestRouting();
		assertThat(recorded.get("version").asLong()).isEqualTo(before + 1);
		assertThat(recorded.get("contentHash").asString()).isEqualTo(sha256(TREE_B));
		assertThat(recorded.get("actor").asString()).isEqualTo("bootstrap");
		assertThat(recorded.get("instance").asString()).isEqualTo("solo");
		assertThat(recorded.get("applied").asBoolean()).isTrue();
		assertThat(recorded.get("problems")).isEmpty();

		Files.writeString(ROUTING, "route:\n  tema: typo\n");
		Response broken = this.warden.post("/api/v1/routing/reload", null);
		assertThat(broken.json().get("applied").asBoolean()).isFalse();

		JsonNode failed = latestRouting();
		assertThat(failed.get("version").asLong()).isEqualTo(before + 2);
		assertThat(failed.get("applied").asBoolean()).isFalse();
		assertThat(failed.get("problems").get(0).asString()).contains("tema");
		assertThat(this.warden.get("/api/v1/config/versions?limit=500").json().get("items"))
			.extracting((item) -> item.get("kind").asString() + " " + item.get("version").asLong())
			.contains("routing " + (before + 2), "routing " + (before + 1), "routing 1");
		assertThat(this.versions.drifts()).isEmpty();
	}

	@Test
	void anIncidentKeepsTheRoutingVersionItWasRoutedWith() throws IOException {
		Files.writeString(ROUTING, TREE_B);
		this.warden.post("/api/v1/routing/reload", null);
		long b = latestRouting().get("version").asLong();
		long routedByB = this.warden.open(Payloads.firing("Routed by B", this.clock.instant()));

		Files.writeString(ROUTING, TREE_A);
		this.warden.post("/api/v1/routing/reload", null);
		long routedByA = this.warden.open(Payloads.firing("Routed by A", this.clock.instant()));

		JsonNode first = this.warden.get("/api/v1/incidents/" + routedByB).json();
		assertThat(first.get("team").asString()).isEqualTo("team-b");
		assertThat(first.get("routing").get("version").asLong()).isEqualTo(b);
		assertThat(first.get("routing").get("contentHash").asString()).isEqualTo(sha256(TREE_B));
		JsonNode routed = routedEvent(first);
		assertThat(routed.get("details").get("routingVersion").asLong()).isEqualTo(b);
		JsonNode second = this.warden.get("/api/v1/incidents/" + routedByA).json();
		assertThat(second.get("team").asString()).isEqualTo("team-a");
		assertThat(second.get("routing").get("version").asLong()).isEqualTo(b + 1);
		assertThat(second.get("routing").get("contentHash").asString()).isEqualTo(sha256(TREE_A));
	}

	@Test
	void aVersionAnotherInstanceRecordedIsTakenInByReadingTheFilesAgain() throws IOException {
		Files.writeString(ROUTING, TREE_B);
		long recorded = recordAsAnotherInstance(sha256(TREE_B));

		assertThat(routedTeam()).as("before the poll, the tree loaded before").isEqualTo("team-a");
		this.versions.poll();

		assertThat(routedTeam()).isEqualTo("team-b");
		assertThat(this.versions.drifts()).isEmpty();
		assertThat(this.versions.loaded().get("routing"))
			.isEqualTo(new ConfigVersions.LoadedVersion(recorded, sha256(TREE_B), false));
		assertThat(this.versions.versionOf("routing", sha256(TREE_B))).isEqualTo(recorded);
	}

	@Test
	void filesThatDifferFromTheRecordedVersionAreReportedAsDriftUntilTheyMatch() {
		long recorded = recordAsAnotherInstance(sha256("route:\n  team: elsewhere\n"));

		this.versions.poll();

		assertThat(this.versions.drifts()).containsExactly(
				new ConfigVersions.Drift("routing", recorded, sha256("route:\n  team: elsewhere\n"), sha256(TREE_A)));
		assertThat(driftMetric()).isEqualTo(1.0);
		this.instances.heartbeat();
		JsonNode self = self(this.warden.get("/api/v1/instances").json());
		assertThat(self.get("configuration").get("routing").get("drift").asBoolean()).isTrue();
		assertThat(self.get("configuration").get("routing").get("version").asLong()).isEqualTo(recorded);
		assertThat(self.get("configuration").get("oncall").get("drift").asBoolean()).isFalse();
		assertThat(routedTeam()).as("runs its own files meanwhile").isEqualTo("team-a");

		// Polling again changes nothing: the drift was reported once.
		this.versions.poll();
		assertThat(this.versions.drifts()).hasSize(1);

		assertThat(this.warden.post("/api/v1/routing/reload", null).status()).isEqualTo(200);

		assertThat(this.versions.drifts()).isEmpty();
		assertThat(driftMetric()).isEqualTo(0.0);
	}

	@Test
	void theInstancesApiListsEveryInstanceWithItsStateAndConfiguration() {
		Timestamp now = Timestamp.from(this.clock.instant());
		String stale = insertInstance(Timestamp.from(this.clock.instant().minus(Duration.ofMinutes(2))), null);
		String stopped = insertInstance(now, now);
		String forgotten = insertInstance(Timestamp.from(this.clock.instant().minus(Duration.ofDays(8))), null);
		this.instances.heartbeat();

		Response response = this.warden.get("/api/v1/instances");

		assertThat(response.status()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.get("answeredBy").asString()).isEqualTo("solo");
		assertThat(body.get("live").asLong()).isEqualTo(1);
		JsonNode self = self(body);
		assertThat(self.get("state").asString()).isEqualTo("live");
		assertThat(self.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
		assertThat(self.get("version").asString()).isNotBlank();
		assertThat(self.get("host").asString()).isNotBlank();
		assertThat(self.get("lastSeenAt").asString()).isEqualTo(this.clock.instant().toString());
		assertThat(self.get("configuration").propertyNames()).containsExactlyInAnyOrder("heartbeats", "oncall",
				"routing", "runbooks");
		assertThat(self.get("configuration").get("routing").get("version").asLong())
			.isEqualTo(latestRouting().get("version").asLong());
		assertThat(self.get("configuration").get("routing").get("contentHash").asString()).isEqualTo(sha256(TREE_A));
		assertThat(state(body, stale)).isEqualTo("stale");
		assertThat(state(body, stopped)).isEqualTo("stopped");
		assertThat(state(body, forgotten)).as("deleted after a week unseen").isNull();
		assertThat(this.instances.live()).isEqualTo(1);
		assertThat(this.warden.getAnonymously("/api/v1/instances").status()).isEqualTo(401);
	}

	@Test
	void refusesBadVersionQueriesWithAProblem() {
		Response unknownKind = this.warden.get("/api/v1/config/versions?kind=nope");
		Response tooMany = this.warden.get("/api/v1/config/versions?limit=501");
		Response notANumber = this.warden.get("/api/v1/config/versions?limit=many");

		assertThat(unknownKind.status()).isEqualTo(400);
		assertThat(unknownKind.contentType()).startsWith("application/problem+json");
		assertThat(unknownKind.json().get("detail").asString()).contains("nope", "routing");
		assertThat(tooMany.status()).isEqualTo(400);
		assertThat(tooMany.contentType()).startsWith("application/problem+json");
		assertThat(notANumber.status()).isEqualTo(400);
		assertThat(this.warden.get("/api/v1/config/versions?kind=oncall&limit=1").json().get("items")).hasSize(1);
	}

	@Test
	void anInstanceWhoseFilesDidNotLoadAtStartReportsDriftInsteadOfRecordingThem() throws IOException {
		long latest = latestRouting().get("version").asLong();
		Files.delete(ROUTING);
		this.routing.reload();

		this.versions.start();

		assertThat(latestRouting().get("version").asLong()).as("nothing recorded").isEqualTo(latest);
		assertThat(this.versions.drifts())
			.containsExactly(new ConfigVersions.Drift("routing", latest, sha256(TREE_A), ContentHash.UNREADABLE));

		Files.writeString(ROUTING, "route:\n  tema: typo\n");
		this.routing.reload();

		this.versions.start();

		assertThat(latestRouting().get("version").asLong()).as("a file with problems is no deploy either")
			.isEqualTo(latest);
		assertThat(this.versions.drifts()).extracting(ConfigVersions.Drift::version).containsExactly(latest);

		Files.writeString(ROUTING, TREE_B);
		this.routing.reload();

		this.versions.start();

		assertThat(latestRouting().get("version").asLong()).as("files that load are a deploy").isEqualTo(latest + 1);
		assertThat(this.versions.drifts()).isEmpty();
	}

	@Test
	void recordersAtTheSameTimeGetConsecutiveNumbers() throws Exception {
		ConfigVersion latest = this.versions.history("oncall", 1).get(0);
		SharedConfiguration.Loaded same = new SharedConfiguration.Loaded(latest.contentHash(), true, List.of());
		ExecutorService threads = Executors.newFixedThreadPool(6);
		try {
			List<Callable<Long>> recorders = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				String actor = "recorder-" + i;
				recorders.add(() -> this.versions.insert("oncall", same, actor).version());
			}
			List<Long> numbers = new ArrayList<>();
			for (Future<Long> recorded : threads.invokeAll(recorders)) {
				numbers.add(recorded.get());
			}

			assertThat(numbers).containsExactlyInAnyOrderElementsOf(
					java.util.stream.LongStream.rangeClosed(latest.version() + 1, latest.version() + 30)
						.boxed()
						.toList());
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void aStoppedInstanceStaysStoppedUntilItStartsAgain() {
		try {
			this.lifecycle.stop();
			assertThat(selfState()).isEqualTo("stopped");

			this.instances.heartbeat();

			assertThat(selfState()).as("a heartbeat after the stop does not make it live").isEqualTo("stopped");
		}
		finally {
			this.lifecycle.start();
		}
		assertThat(selfState()).as("started again in the same process").isEqualTo("live");
		this.instances.heartbeat();
		assertThat(selfState()).isEqualTo("live");
	}

	@Test
	void anInstanceWhoseClockRunsAheadDoesNotDeleteLiveInstances() {
		Timestamp databaseNow = this.jdbc.sql("select now()").query(Timestamp.class).single();
		String live = insertInstance(databaseNow, null);
		String gone = insertInstance(Timestamp.from(databaseNow.toInstant().minus(Duration.ofDays(8))), null);
		java.time.Instant before = this.clock.instant();
		try {
			this.clock.set(databaseNow.toInstant().plus(Duration.ofDays(30)));

			this.instances.heartbeat();
		}
		finally {
			this.clock.set(before);
			this.instances.heartbeat();
		}

		assertThat(instanceExists(live)).isTrue();
		assertThat(instanceExists(gone)).isFalse();
		this.jdbc.sql("delete from warden_instance where id = ?").params(live).update();
	}

	@Test
	void theInstancesListIsBoundedAndSaysHowManyWereLeftOut() {
		Timestamp now = Timestamp.from(this.clock.instant());
		List<String> inserted = new ArrayList<>();
		for (int i = 0; i < Instances.LIST_LIMIT + 5; i++) {
			inserted.add(insertInstance(now, now));
		}
		try {
			this.instances.heartbeat();
			long total = this.jdbc.sql("select count(*) from warden_instance").query(Long.class).single();

			JsonNode body = this.warden.get("/api/v1/instances").json();

			assertThat(body.get("items")).hasSize(Instances.LIST_LIMIT);
			assertThat(body.get("leftOut").asLong()).isEqualTo(total - Instances.LIST_LIMIT);
			assertThat(body.get("items").get(0).get("state").asString()).as("live ones first").isEqualTo("live");
			assertThat(self(body).get("state").asString()).isEqualTo("live");
		}
		finally {
			this.jdbc.sql("delete from warden_instance where id in (:ids)").param("ids", inserted).update();
		}
	}

	private String selfState() {
		return this.jdbc
			.sql("select case when stopped_at is null then 'live' else 'stopped' end from warden_instance"
					+ " where id = 'solo'")
			.query(String.class)
			.single();
	}

	private boolean instanceExists(String id) {
		return this.jdbc.sql("select count(*) from warden_instance where id = ?")
			.params(id)
			.query(Long.class)
			.single() == 1;
	}

	private JsonNode latestRouting() {
		return this.warden.get("/api/v1/config/versions?kind=routing&limit=1").json().get("items").get(0);
	}

	private long recordAsAnotherInstance(String hash) {
		return this.jdbc.sql("""
				insert into config_version (kind, version, content_hash, actor, recorded_at, instance_id, applied)
				select 'routing', coalesce(max(version), 0) + 1, ?, 'someone', ?, 'other-1', true
				from config_version where kind = 'routing'
				returning version""").params(hash, Timestamp.from(this.clock.instant())).query(Long.class).single();
	}

	private String insertInstance(Timestamp lastSeen, Timestamp stopped) {
		String id = "other-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		this.jdbc.sql("""
				insert into warden_instance (id, host, pid, warden_version, started_at, last_seen_at, stopped_at)
				values (?, 'elsewhere', 42, '0.0.1', ?, ?, ?)""").params(id, lastSeen, lastSeen, stopped).update();
		return id;
	}

	private String routedTeam() {
		return this.warden.post("/api/v1/routing/test", Map.of("labels", Map.of("alertname", "Any")))
			.json()
			.get("routes")
			.get(0)
			.get("team")
			.asString();
	}

	private double driftMetric() {
		Matcher matcher = DRIFT.matcher(this.warden.getAnonymously("/actuator/prometheus").body());
		assertThat(matcher.find()).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private static JsonNode self(JsonNode instances) {
		for (JsonNode instance : instances.get("items")) {
			if (instance.get("id").asString().equals("solo")) {
				assertThat(instance.get("self").asBoolean()).isTrue();
				return instance;
			}
		}
		throw new AssertionError("solo is not listed: " + instances);
	}

	private static String state(JsonNode instances, String id) {
		for (JsonNode instance : instances.get("items")) {
			if (instance.get("id").asString().equals(id)) {
				return instance.get("state").asString();
			}
		}
		return null;
	}

	private static JsonNode routedEvent(JsonNode incident) {
		for (JsonNode event : incident.get("timeline")) {
			if (event.get("type").asString().equals("incident.routed")) {
				return event;
			}
		}
		throw new AssertionError("no routing decision on the timeline: " + incident.get("timeline"));
	}

	static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path routingFile() {
		try {
			Path file = Files.createTempDirectory("warden-cluster-config").resolve("routing.yaml");
			// The context reads it at start.
			Files.writeString(file, TREE_A);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
