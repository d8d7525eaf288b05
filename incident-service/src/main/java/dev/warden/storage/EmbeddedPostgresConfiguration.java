package dev.warden.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts a real PostgreSQL (zonky's embedded binaries) in the data directory when no
 * external database is configured, so Warden runs with no setup and keeps its incidents
 * across restarts. With {@code spring.datasource.url} set (or another source of
 * connection details, such as a Testcontainers service connection), nothing here is
 * created. An auto-configuration so that it is decided after those sources are known.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		afterName = "org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration")
@Conditional(EmbeddedPostgresConfiguration.NoExternalDatabase.class)
@ConditionalOnMissingBean(JdbcConnectionDetails.class)
class EmbeddedPostgresConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

	/**
	 * The settings that make a commit survive a crash. zonky's library is made for tests:
	 * it starts PostgreSQL with {@code -F} (fsync off) and
	 * {@code synchronous_commit=off}. Its {@code -c} options come after {@code -F} on the
	 * command line, so these win.
	 */
	static final Map<String, String> DURABILITY = durability(true);

	/**
	 * How long PostgreSQL may take to start: a fresh data directory synced to disk, or
	 * crash recovery replaying its WAL, can take longer than the library's 10 s on a busy
	 * or slow disk (a loaded CI machine did).
	 */
	static final Duration STARTUP_WAIT = Duration.ofMinutes(2);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(StorageSettings settings) throws IOException {
		var directory = settings.postgresDirectory().toAbsolutePath().normalize();
		Files.createDirectories(directory);
		boolean durable = settings.embeddedPostgres().durable();
		log.info("No spring.datasource.url configured: starting embedded PostgreSQL with its data in {}", directory);
		if (!durable) {
			log.warn("warden.storage.embedded-postgres.durable=false: PostgreSQL runs without fsync and"
					+ " synchronous_commit, so a crash can lose acknowledged alerts or corrupt {}", directory);
		}
		OrphanedServer.stopIfAny(directory);
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setPGStartupWait(STARTUP_WAIT)
			.setDataDirectory(directory.toFile())
			.setCleanDataDirectory(false)
			.setPort(settings.embeddedPostgres().port());
		durability(durable).forEach(builder::setServerConfig);
		EmbeddedPostgres postgres = builder.start();
		try {
			if (durable) {
				requireDurable(postgres);
			}
			createDatabaseIfMissing(postgres, settings.embeddedPostgres().database());
		}
		catch (RuntimeException ex) {
			postgres.close();
			throw ex;
		}
		return postgres;
	}

	private static Map<String, String> durability(boolean durable) {
		String value = durable ? "on" : "off";
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("fsync", value);
		settings.put("synchronous_commit", value);
		settings.put("full_page_writes", value);
		return Collections.unmodifiableMap(settings);
	}

	/**
	 * Reads back what the running server uses: a 200 means stored only if all are on, and
	 * a later version of the library could order its options differently.
	 */
	private static void requireDurable(EmbeddedPostgres postgres) {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			List<String> reported = new ArrayList<>();
			for (var setting : DURABILITY.entrySet()) {
				try (ResultSet result = statement.executeQuery("show " + setting.getKey())) {
					result.next();
					String actual = result.getString(1);
					reported.add(setting.getKey() + "=" + actual);
					if (!setting.getValue().equals(actual)) {
						throw new IllegalStateException("The embedded PostgreSQL runs with " + setting.getKey() + "="
								+ actual + " although Warden asked for " + setting.getValue()
								+ ": refusing to accept alerts it could lose in a crash");
					}
				}
			}
			log.info("The embedded PostgreSQL reports {}: an acknowledged alert survives a crash",
					String.join(", ", reported));
		}
		catch (SQLException ex) {
			throw new UncheckedIOException(new IOException("Cannot read the embedded PostgreSQL's settings", ex));
		}
	}

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(EmbeddedPostgres postgres, StorageSettings settings, DataSourceProperties properties) {
		properties.setUrl(postgres.getJdbcUrl("postgres", settings.embeddedPostgres().database()));
		properties.setUsername("postgres");
		properties.setPassword("postgres");
		return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
	}

	private static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database) {
		DataSource admin = postgres.getPostgresDatabase();
		try (Connection connection = admin.getConnection();
				PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
			exists.setString(1, database);
			try (ResultSet result = exists.executeQuery()) {
				if (result.next()) {
					return;
				}
			}
			try (Statement create = connection.createStatement()) {
				create.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
			}
		}
		catch (SQLException ex) {
			throw new UncheckedIOException(new IOException("Cannot create the embedded database " + database, ex));
		}
	}

	/** True when no datasource URL is configured, from any property source. */
	static class NoExternalDatabase implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
		}

	}

}
