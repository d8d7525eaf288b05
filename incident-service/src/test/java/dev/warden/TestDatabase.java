package dev.warden;

import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * The one switch between the two real PostgreSQLs tests run on. By default
 * ({@code warden.test.db=embedded}) the embedded PostgreSQL Warden runs, one server per
 * test JVM with a database of its own per test context ({@link SharedPostgres}; a context
 * with {@code warden.test.own-postgres=true} starts Warden's own, as in production): no
 * Docker needed. With {@code -Dwarden.test.db=testcontainers} the official postgres image
 * runs in Docker.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabase {

	public static final String SWITCH = "warden.test.db";

	@Bean
	@ServiceConnection
	@ConditionalOnProperty(name = SWITCH, havingValue = "testcontainers")
	PostgreSQLContainer postgres() {
		return new PostgreSQLContainer("postgres:18-alpine");
	}

}
