package dev.warden.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(StorageSettings settings) throws IOException {
		var directory = settings.postgresDirectory().toAbsolutePath().normalize();
		Files.createDirectories(directory);
		log.info("No spring.datasource.url configured: starting embedded PostgreSQL with its data in {}", directory);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setDataDirectory(directory.toFile())
			.setCleanDataDirectory(false)
			.setPort(settings.embeddedPostgres().port())
			.start();
		createDatabaseIfMissing(postgres, settings.embeddedPostgres().database());
		return postgres;
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
