package dev.warden.runbooks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import dev.warden.runbooks.docker.ContainerSelector;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stops Docker steps on one container group inside their action, after they found their
 * targets and before they change anything: the actions record the images they see (in
 * {@code container_image_history}) first, and the gate holds that row's lock in an open
 * transaction of its own until it is opened. A step waiting there holds no other lock.
 */
final class StepGate implements AutoCloseable {

	private final Connection connection;

	private boolean open;

	/**
	 * Closes the gate for the group these labels select, whose containers run
	 * {@code image}.
	 */
	StepGate(DataSource dataSource, Map<String, String> selector, String image) {
		String group = ManagedContainers.groupKey(ContainerSelector.byLabels(selector));
		JdbcClient.create(dataSource).sql("""
				insert into container_image_history (group_key, image, first_seen, last_seen)
				values (?, ?, now(), now()) on conflict (group_key, image) do nothing""").params(group, image).update();
		try {
			this.connection = dataSource.getConnection();
			this.connection.setAutoCommit(false);
			try (PreparedStatement patient = this.connection
				.prepareStatement("set local idle_in_transaction_session_timeout = 0")) {
				// The gate idles in its transaction on purpose, longer than Warden
				// allows.
				patient.execute();
			}
			try (PreparedStatement lock = this.connection.prepareStatement(
					"select id from container_image_history where group_key = ? and image = ? for update")) {
				lock.setString(1, group);
				lock.setString(2, image);
				lock.executeQuery().close();
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** How many steps (of any instance on the database) wait at a gate now. */
	static long waiting(JdbcClient jdbc) {
		return jdbc.sql("""
				select count(*) from pg_stat_activity
				where wait_event_type = 'Lock' and query like '%insert into container_image_history%'
				and datname = current_database() and pid <> pg_backend_pid()""").query(Long.class).single();
	}

	/** Lets the waiting steps (and every later one) through. */
	void open() {
		if (this.open) {
			return;
		}
		this.open = true;
		try (this.connection) {
			this.connection.rollback();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		open();
	}

}
