package dev.warden.storage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.SharedPostgres;
import dev.warden.TestDatabase;
import dev.warden.WardenClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The embedded PostgreSQL flushes every commit before Warden answers, unless told that
 * its data is throwaway. What a crash does with either is in
 * {@link PostgresCrashIntegrationTests}.
 */
@IntegrationTest
@TestPropertySource(properties = SharedPostgres.OWN + "=true")
class EmbeddedPostgresDurabilityIntegrationTests {

	private static final Map<String, String> DURABLE = Map.of("fsync", "on", "synchronous_commit", "on",
			"full_page_writes", "on");

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@TempDir
	Path temp;

	@Test
	void embeddedPostgresFlushesEveryCommitWithDefaultSettings() {
		assumeThat(System.getProperty(TestDatabase.SWITCH, "embedded")).as("Warden's own embedded PostgreSQL")
			.isEqualTo("embedded");
		assertThat(new WardenClient(this.port).webhook(Payloads.firing("Durable", Instant.now())).status())
			.isEqualTo(200);

		assertThat(settings(JdbcClient.create(this.dataSource))).isEqualTo(DURABLE);
	}

	@Test
	void throwawaySettingTurnsTheFlushesOff() throws Exception {
		var settings = new StorageSettings(this.temp, new StorageSettings.EmbeddedPostgresSettings(0, "warden", false));
		try (EmbeddedPostgres postgres = new EmbeddedPostgresConfiguration().embeddedPostgres(settings)) {
			assertThat(settings(JdbcClient.create(postgres.getDatabase("postgres", "warden"))))
				.isEqualTo(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));
		}
	}

	private static Map<String, String> settings(JdbcClient jdbc) {
		return Map.of("fsync", show(jdbc, "fsync"), "synchronous_commit", show(jdbc, "synchronous_commit"),
				"full_page_writes", show(jdbc, "full_page_writes"));
	}

	private static String show(JdbcClient jdbc, String name) {
		return jdbc.sql("show " + name).query(String.class).single();
	}

}
