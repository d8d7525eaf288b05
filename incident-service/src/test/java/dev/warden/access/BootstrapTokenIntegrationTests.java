package dev.warden.access;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.WardenClient;
import dev.warden.WardenProcess;
import dev.warden.storage.DataDirectory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bootstrap token: admin, put in place at every start from configuration, replaced
 * when the configured value changes, and revoked for good once someone revokes it.
 */
@IntegrationTest
class BootstrapTokenIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApiTokens tokens;

	@Autowired
	DataDirectory dataDirectory;

	@Autowired
	Clock clock;

	@Autowired
	TransactionTemplate transactions;

	/** Puts the configured bootstrap token back, active, for the other tests. */
	@AfterEach
	void restoreBootstrapToken() {
		this.jdbc.sql("update api_token set revoked_at = null where name = 'bootstrap'").update();
		start(IntegrationTest.API_TOKEN);
	}

	@Test
	void revokedBootstrapTokenStaysRevokedAfterARestart() throws Exception {
		WardenClient warden = new WardenClient(this.port);
		String keeper = warden.post("/api/v1/tokens", Map.of("name", "keeper-" + shortId(), "scopes", List.of("admin")))
			.json()
			.get("token")
			.asString();
		long bootstrap = this.jdbc.sql("select id from api_token where name = 'bootstrap'").query(Long.class).single();

		assertThat(delete(warden, "/api/v1/tokens/" + bootstrap, IntegrationTest.API_TOKEN)).isEqualTo(204);
		assertThat(warden.get("/api/v1/incidents").status()).isEqualTo(401);

		String name = "bootstrap-restart-" + shortId();
		try (WardenProcess restarted = WardenProcess.start(name, instance())) {
			WardenClient again = new WardenClient(restarted.port);
			assertThat(again.get("/api/v1/incidents").status()).isEqualTo(401);
			assertThat(get(again, "/api/v1/incidents", keeper)).isEqualTo(200);
		}
		assertThat(warden.get("/api/v1/incidents").status()).isEqualTo(401);
		assertThat(this.jdbc.sql("select revoked_at is not null from api_token where name = 'bootstrap'")
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(Files.readString(Path.of("target", "warden-processes", name + ".log"), StandardCharsets.UTF_8))
			.containsPattern("WARN .*The bootstrap API token \\(WARDEN_API_TOKEN\\) was revoked at .* and stays "
					+ "revoked: not activated");
	}

	@Test
	void changedConfiguredValueReplacesTheActiveBootstrapToken() {
		WardenClient warden = new WardenClient(this.port);

		start("rotated-bootstrap-token");

		assertThat(warden.get("/api/v1/incidents").status()).isEqualTo(401);
		assertThat(get(warden, "/api/v1/incidents", "rotated-bootstrap-token")).isEqualTo(200);
		assertThat(get(warden, "/api/v1/tokens", "rotated-bootstrap-token")).isEqualTo(200);
		assertThat(this.jdbc.sql("select count(*) from api_token where name = 'bootstrap'").query(Long.class).single())
			.isEqualTo(1);
	}

	@Test
	void changedConfiguredValueDoesNotBringARevokedBootstrapTokenBack() {
		WardenClient warden = new WardenClient(this.port);
		this.jdbc.sql("update api_token set revoked_at = now() where name = 'bootstrap'").update();

		start("another-bootstrap-token");

		assertThat(get(warden, "/api/v1/incidents", "another-bootstrap-token")).isEqualTo(401);
		assertThat(warden.get("/api/v1/incidents").status()).isEqualTo(401);
	}

	@Test
	void instancesStartingTogetherPutOneBootstrapTokenInPlace() {
		this.jdbc.sql("delete from api_token where name = 'bootstrap'").update();

		List<CompletableFuture<Void>> starts = IntStream.range(0, 6)
			.mapToObj((i) -> CompletableFuture.runAsync(() -> start(IntegrationTest.API_TOKEN)))
			.toList();
		starts.forEach(CompletableFuture::join);

		assertThat(this.jdbc.sql("select count(*) from api_token where name = 'bootstrap'").query(Long.class).single())
			.isEqualTo(1);
		assertThat(
				this.jdbc.sql("select scopes[1] from api_token where name = 'bootstrap'").query(String.class).single())
			.isEqualTo("admin");
		assertThat(new WardenClient(this.port).get("/api/v1/tokens").status()).isEqualTo(200);
	}

	/** What a start does with the bootstrap token, as configured with this value. */
	private void start(String configured) {
		ApiTokenAuthentication authentication = new ApiTokenAuthentication(this.tokens, new ApiSettings(configured),
				this.dataDirectory, this.clock);
		this.transactions.executeWithoutResult((status) -> authentication.ensureBootstrapToken());
	}

	/** Another Warden on this PostgreSQL, configured with the same bootstrap token. */
	private Map<String, String> instance() {
		Map<String, String> properties = new HashMap<>(WardenProcess.database(this.dataSource));
		properties.put("warden.storage.directory",
				Path.of("target", "test-data", "bootstrap-restart-" + UUID.randomUUID()).toString());
		properties.put("warden.alertmanager.bearer-token", IntegrationTest.WEBHOOK_TOKEN);
		properties.put("warden.api.token", IntegrationTest.API_TOKEN);
		properties.put("db-scheduler.enabled", "false");
		properties.put("spring.main.banner-mode", "off");
		return properties;
	}

	private static int get(WardenClient warden, String path, String token) {
		return warden.send(HttpRequest.newBuilder(warden.uri(path)).header("Authorization", "Bearer " + token).GET())
			.status();
	}

	private static int delete(WardenClient warden, String path, String token) {
		return warden.send(HttpRequest.newBuilder(warden.uri(path)).header("Authorization", "Bearer " + token).DELETE())
			.status();
	}

	private static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
