package dev.warden.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.WardenClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One configuration across instances, with two Warden JVMs on one PostgreSQL behind a
 * real HAProxy (round-robin, no stickiness): a routing reload through one instance
 * changes routing on both within seconds, both list each other with the same
 * configuration versions, and an instance whose copy of a file was not updated says it
 * drifts.
 */
@IntegrationTest
@ExtendWith(HaproxyAvailable.class)
@TestPropertySource(properties = { "db-scheduler.enabled=false", "warden.test.context=cluster" })
class ConfigAcrossInstancesIntegrationTests {

	private static final String TREE_A = "route:\n  team: team-a\n";

	private static final String TREE_B = "route:\n  team: team-b\n";

	@Autowired
	DataSource dataSource;

	@TempDir
	Path files;

	@Test
	void aReloadThroughOneInstanceChangesRoutingOnBothAndAnInstanceWithOtherFilesDrifts() throws IOException {
		Path routing = Files.writeString(this.files.resolve("routing.yaml"), TREE_A);
		String onCall = defaultOnCall();
		// Each instance has its own copy of the on-call file, as each host has its own
		// checkout; the routing file is one file both read.
		Path onCall1 = Files.writeString(this.files.resolve("oncall-w1.yaml"), onCall);
		Path onCall2 = Files.writeString(this.files.resolve("oncall-w2.yaml"), onCall);
		try (WardenCluster cluster = WardenCluster.start("config", this.dataSource,
				Map.of("warden.routing.file", routing.toString(), "warden.cluster.heartbeat-interval", "1s"),
				List.of(Map.of("warden.cluster.instance-id", "cfg-w1", "warden.oncall.file", onCall1.toString()),
						Map.of("warden.cluster.instance-id", "cfg-w2", "warden.oncall.file", onCall2.toString())))) {
			WardenClient w1 = new WardenClient(cluster.instance(1).port);
			WardenClient w2 = new WardenClient(cluster.instance(2).port);
			WardenClient balanced = new WardenClient(cluster.haproxy().port);
			long first = latestRoutingVersion(w1);
			awaitSameConfiguration(w1, w2, first);
			// Started together with the same new routing file: one of them recorded it,
			// the other took that version in.
			assertThat(JdbcClient.create(this.dataSource)
				.sql("select count(*) from config_version where kind = ? and actor like 'start of cfg-w%'")
				.param(dev.warden.routing.Routing.CONFIG_KIND)
				.query(Long.class)
				.single()).as("routing versions recorded by the starting instances").isEqualTo(1);

			Files.writeString(routing, TREE_B);
			assertThat(w1.post("/api/v1/routing/reload", null).status()).isEqualTo(200);
			long second = latestRoutingVersion(w1);
			assertThat(second).isGreaterThan(first);

			// The bound is the await itself: w2 routes by the new version within 10 s of
			// the reload's answer (it polls every second).
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> "team-b".equals(routedTeam(w2)));
			assertRoutedByVersion(w2, w2.open(Payloads.firing("Posted to w2", Instant.now())), second);
			long throughHaproxy1 = balanced.open(Payloads.firing("Through HAProxy 1", Instant.now()));
			long throughHaproxy2 = balanced.open(Payloads.firing("Through HAProxy 2", Instant.now()));
			assertRoutedByVersion(w1, throughHaproxy1, second);
			assertRoutedByVersion(w1, throughHaproxy2, second);
			assertThat(cluster.haproxy().requests()).extracting(Haproxy.Request::server).contains("w1", "w2");
			awaitSameConfiguration(w1, w2, second);

			// w1's copy of the on-call file changes and w1 reloads it; w2's copy was
			// left behind, as on a host that missed a deploy.
			Files.writeString(onCall1, "\n# the rota changed\n", StandardOpenOption.APPEND);
			assertThat(w1.post("/api/v1/oncall/reload", null).status()).isEqualTo(200);

			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> onCallDrift(balanced, "cfg-w2") && !onCallDrift(balanced, "cfg-w1"));
			assertThat(driftMetric(w2, "oncall")).isEqualTo(1.0);
			assertThat(driftMetric(w1, "oncall")).isEqualTo(0.0);
			assertThat(driftMetric(w2, "routing")).isEqualTo(0.0);
		}
	}

	/**
	 * Both instances, asked through either, list both as live with the same version and
	 * content of every kind, none drifting, routing at {@code routingVersion}.
	 */
	private static void awaitSameConfiguration(WardenClient w1, WardenClient w2, long routingVersion) {
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			for (WardenClient asked : List.of(w1, w2)) {
				JsonNode list = asked.get("/api/v1/instances").json();
				JsonNode one = instance(list, "cfg-w1");
				JsonNode two = instance(list, "cfg-w2");
				assertThat(one.get("state").asString()).isEqualTo("live");
				assertThat(two.get("state").asString()).isEqualTo("live");
				assertThat(one.get("configuration")).isEqualTo(two.get("configuration"));
				assertThat(one.get("configuration").propertyNames()).containsExactlyInAnyOrder("heartbeats", "oncall",
						"routing", "runbooks");
				one.get("configuration").forEach((kind) -> assertThat(kind.get("drift").asBoolean()).isFalse());
				assertThat(one.get("configuration").get("routing").get("version").asLong()).isEqualTo(routingVersion);
			}
		});
	}

	private static void assertRoutedByVersion(WardenClient warden, long incident, long version) {
		JsonNode detail = warden.get("/api/v1/incidents/" + incident).json();
		assertThat(detail.get("team").asString()).isEqualTo("team-b");
		assertThat(detail.get("routing").get("version").asLong()).isEqualTo(version);
		assertThat(detail.get("routing").get("contentHash").asString())
			.isEqualTo(ConfigVersionsIntegrationTests.sha256(TREE_B));
	}

	private static long latestRoutingVersion(WardenClient warden) {
		return warden.get("/api/v1/config/versions?kind=routing&limit=1")
			.json()
			.get("items")
			.get(0)
			.get("version")
			.asLong();
	}

	private static String routedTeam(WardenClient warden) {
		return warden.post("/api/v1/routing/test", Map.of("labels", Map.of("alertname", "Any")))
			.json()
			.get("routes")
			.get(0)
			.get("team")
			.asString();
	}

	private static boolean onCallDrift(WardenClient warden, String id) {
		return instance(warden.get("/api/v1/instances").json(), id).get("configuration")
			.get("oncall")
			.get("drift")
			.asBoolean();
	}

	private static JsonNode instance(JsonNode list, String id) {
		for (JsonNode instance : list.get("items")) {
			if (instance.get("id").asString().equals(id)) {
				return instance;
			}
		}
		throw new AssertionError(id + " is not listed: " + list);
	}

	private static double driftMetric(WardenClient warden, String kind) {
		Matcher matcher = Pattern
			.compile("warden_config_drift\\{application=\"warden\",kind=\"" + kind + "\"\\} (\\S+)")
			.matcher(warden.getAnonymously("/actuator/prometheus").body());
		assertThat(matcher.find()).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private static String defaultOnCall() throws IOException {
		try (InputStream in = ConfigAcrossInstancesIntegrationTests.class
			.getResourceAsStream("/oncall/default-oncall.yaml")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
