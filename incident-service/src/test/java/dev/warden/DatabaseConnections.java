package dev.warden;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A real database outage for Warden: PostgreSQL stops accepting connections to Warden's
 * database and drops the ones it has, until the test lets them in again.
 */
public final class DatabaseConnections {

	private DatabaseConnections() {
	}

	/**
	 * Lets connections to Warden's database in, or shuts them out (dropping open ones).
	 */
	public static void allow(DataSource dataSource, boolean allow) throws SQLException {
		HikariDataSource hikari = (HikariDataSource) dataSource;
		String url = hikari.getJdbcUrl();
		String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
		String adminUrl = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
		try (Connection admin = DriverManager.getConnection(adminUrl, hikari.getUsername(), hikari.getPassword());
				Statement statement = admin.createStatement()) {
			statement.execute("alter database \"" + database + "\" with allow_connections " + allow);
			if (!allow) {
				statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database
						+ "' and pid <> pg_backend_pid()");
			}
		}
	}

}
