package dev.warden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * One embedded PostgreSQL per test JVM, and a database of its own for every test context,
 * copied from a template that Warden's migrations were applied to once: a context then
 * costs a {@code create database}, not a server's {@code initdb}, start and every
 * migration.
 * <p>
 * The server is the one Warden embeds (zonky's), without the flushes to disk that make
 * Warden's own durable: test contexts' data is thrown away, and the tests that prove what
 * survives a crash start Warden's own server ({@code warden.test.own-postgres=true}, the
 * crash tests' JVMs of their own). Registered in {@code META-INF/spring.factories} of the
 * test classpath, so it applies to every context a test boots unless it names a database
 * ({@code spring.datasource.url}) or asks for Warden's own server; with
 * {@code -Dwarden.test.db=testcontainers} it stays out of the way.
 */
public final class SharedPostgres implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** A test context with this property true starts Warden's own embedded PostgreSQL. */
	public static final String OWN = "warden.test.own-postgres";

	/** The user, and password, of every database {@link #newDatabase()} makes. */
	public static final String USER = "postgres";

	public static final String PASSWORD = "postgres";

	private static final String TEMPLATE = "warden_template";

	private static final AtomicInteger CONTEXTS = new AtomicInteger();

	private static EmbeddedPostgres server;

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (TestFork.child() || !"embedded".equals(System.getProperty(TestDatabase.SWITCH, "embedded"))
				|| environment.containsProperty("spring.datasource.url")) {
			return;
		}
		if (environment.getProperty(OWN, Boolean.class, false)) {
			// Warden's own server, on a port from this test JVM's block unless the test
			// names one: left to pick its own, PostgreSQL's launcher looks a free port up
			// and binds it only after initdb, seconds later, when another test JVM may
			// have taken it.
			environment.getPropertySources()
				.addLast(new MapPropertySource("test-fork-postgres-port",
						Map.of("warden.storage.embedded-postgres.port", TestFork.freePort())));
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("shared-postgres", Map.of("spring.datasource.url", newDatabase(),
					"spring.datasource.username", USER, "spring.datasource.password", PASSWORD)));
	}

	/** A new database with Warden's schema, on this JVM's server; its JDBC URL. */
	public static synchronized String newDatabase() {
		EmbeddedPostgres postgres = server();
		String name = "context_" + CONTEXTS.incrementAndGet();
		execute(postgres, "create database " + name + " template " + TEMPLATE);
		return postgres.getJdbcUrl("postgres", name);
	}

	private static EmbeddedPostgres server() {
		if (server == null) {
			try {
				Path directory = Path
					.of("target", "test-data", "shared-postgres-" + TestFork.name() + "-" + UUID.randomUUID())
					.toAbsolutePath();
				EmbeddedPostgres postgres = EmbeddedPostgres.builder()
					.setDataDirectory(directory.toFile())
					.setCleanDataDirectory(true)
					.setPort(TestFork.freePort())
					// Contexts kept in Spring's cache (at most 4 in a parallel test JVM,
					// 32 in the run-alone one), each holding its pool of 20 even while
					// paused, and the Wardens that tests start in JVMs of their own on a
					// context's database (up to four at once, 20 each).
					.setServerConfig("max_connections", "400")
					.start();
				try {
					execute(postgres, "create database " + TEMPLATE);
					Flyway.configure()
						.dataSource(postgres.getJdbcUrl("postgres", TEMPLATE), "postgres", "postgres")
						.locations("classpath:db/migration")
						.load()
						.migrate();
				}
				catch (RuntimeException ex) {
					// No half-made server: the next context tries afresh.
					postgres.close();
					throw ex;
				}
				server = postgres;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return server;
	}

	private static void execute(EmbeddedPostgres postgres, String sql) {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "' on the tests' shared PostgreSQL", ex);
		}
	}

}
