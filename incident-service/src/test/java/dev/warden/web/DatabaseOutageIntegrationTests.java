package dev.warden.web;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.warden.DatabaseConnections;
import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.Rows;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the database refusing connections, the webhook answers 503 (Alertmanager retries
 * it) and the API answers 503 too; once the database is back the same webhook is stored.
 * The outage is real: PostgreSQL stops accepting connections to Warden's database and
 * drops the ones it has.
 */
@IntegrationTest
class DatabaseOutageIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void databaseBack() throws SQLException {
		allowConnections(true);
	}

	@Test
	void databaseOutageYields503AndTheRetryIsStored() throws SQLException {
		WardenClient warden = new WardenClient(this.port);
		Payloads.Group group = Payloads.group().firing("fp-1", Instant.now());
		Rows before = Rows.count(this.jdbc);

		allowConnections(false);
		Response during = warden.webhook(group.json());
		Response api = warden.get("/api/v1/incidents");
		allowConnections(true);
		// The pool refills in the background once PostgreSQL accepts connections again.
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> Rows.count(this.jdbc) != null);

		assertThat(during.status()).as(during.toString()).isEqualTo(503);
		assertThat(during.contentType()).startsWith("application/problem+json");
		assertThat(during.header("Retry-After")).isNotBlank();
		assertThat(api.status()).isEqualTo(503);
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
		Response retry = warden.webhook(group.json());
		assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
		assertThat(Rows.incidentsOfGroup(this.jdbc, group.key())).isEqualTo(1);
	}

	private void allowConnections(boolean allow) throws SQLException {
		DatabaseConnections.allow(this.dataSource, allow);
	}

}
