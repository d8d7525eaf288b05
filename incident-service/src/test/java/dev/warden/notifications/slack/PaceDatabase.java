package dev.warden.notifications.slack;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real PostgreSQL for the gateway's tests without a Spring context: the embedded server
 * Warden itself runs, with Warden's migrations applied.
 */
final class PaceDatabase implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	/** Pooled, as in Warden: a new connection per turn would cost more than a turn. */
	private final HikariDataSource pool;

	PaceDatabase() {
		try {
			this.postgres = EmbeddedPostgres.builder().start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		HikariConfig config = new HikariConfig();
		config.setDataSource(this.postgres.getPostgresDatabase());
		config.setMaximumPoolSize(10);
		this.pool = new HikariDataSource(config);
		Flyway.configure().dataSource(this.pool).locations("classpath:db/migration").load().migrate();
	}

	DataSource dataSource() {
		return this.pool;
	}

	/** Every pace starts afresh. */
	void forgetPaces() {
		JdbcClient jdbc = JdbcClient.create(dataSource());
		jdbc.sql("truncate slack_pace_bucket, slack_reply_hold").update();
	}

	@Override
	public void close() {
		this.pool.close();
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
