package dev.warden.notifications.slack;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.warden.SharedPostgres;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real PostgreSQL for the gateway's tests without a Spring context: a database of its
 * own, with Warden's schema, on the test JVM's shared embedded server (the one Warden
 * itself runs, see {@link SharedPostgres}).
 */
final class PaceDatabase implements AutoCloseable {

	/** Pooled, as in Warden: a new connection per turn would cost more than a turn. */
	private final HikariDataSource pool;

	PaceDatabase() {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(SharedPostgres.newDatabase());
		config.setUsername(SharedPostgres.USER);
		config.setPassword(SharedPostgres.PASSWORD);
		config.setMaximumPoolSize(10);
		this.pool = new HikariDataSource(config);
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
	}

}
