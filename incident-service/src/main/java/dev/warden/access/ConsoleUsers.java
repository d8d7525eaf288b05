package dev.warden.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * All console users, in PostgreSQL. Every method runs in the caller's transaction, if
 * any.
 */
@Component
class ConsoleUsers {

	private static final String COLUMNS = "id, username, display_name, role, enabled, created_at, password_changed_at, "
			+ "session_version";

	private final JdbcClient jdbc;

	ConsoleUsers(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	boolean any() {
		return this.jdbc.sql("select exists (select 1 from console_user)").query(Boolean.class).single();
	}

	List<ConsoleUser> all() {
		return this.jdbc.sql("select " + COLUMNS + " from console_user order by username")
			.query(ConsoleUsers::user)
			.list();
	}

	Optional<ConsoleUser> find(long id) {
		return this.jdbc.sql("select " + COLUMNS + " from console_user where id = ?")
			.param(id)
			.query(ConsoleUsers::user)
			.optional();
	}

	Optional<ConsoleUser> find(Username username) {
		return this.jdbc.sql("select " + COLUMNS + " from console_user where username = ?")
			.param(username.value())
			.query(ConsoleUsers::user)
			.optional();
	}

	/** The user locked against concurrent changes until the transaction ends. */
	Optional<ConsoleUser> lock(long id) {
		return this.jdbc.sql("select " + COLUMNS + " from console_user where id = ? for update")
			.param(id)
			.query(ConsoleUsers::user)
			.optional();
	}

	/**
	 * The ids of the enabled admins, locked until the transaction ends, so that two
	 * admins demoting each other at the same moment cannot leave none.
	 */
	List<Long> lockEnabledAdmins() {
		return this.jdbc.sql("select id from console_user where role = 'admin' and enabled order by id for update")
			.query(Long.class)
			.list();
	}

	/** The user with the password hash, for signing in. */
	Optional<Credentials> credentials(Username username) {
		return this.jdbc.sql("select " + COLUMNS + ", password_hash from console_user where username = ?")
			.param(username.value())
			.query((rs, row) -> new Credentials(user(rs, row), rs.getString("password_hash")))
			.optional();
	}

	/**
	 * Adds a user.
	 * @return the new user's id; empty when the username is taken
	 */
	Optional<Long> insert(Username username, String displayName, String passwordHash, Role role, Instant at) {
		return this.jdbc.sql("""
				insert into console_user (username, display_name, password_hash, role, enabled, created_at,
				    password_changed_at)
				values (?, ?, ?, ?, true, ?, ?)
				on conflict (username) do nothing
				returning id""")
			.params(username.value(), displayName, passwordHash, role.value(), ts(at), ts(at))
			.query(Long.class)
			.optional();
	}

	/**
	 * Adds the first admin, unless any user exists. Instances starting together with the
	 * same configuration race to insert the same username: one wins, the others' inserts
	 * are ignored.
	 * @return whether this call created the user
	 */
	boolean insertFirst(Username username, String displayName, String passwordHash, Instant at) {
		return this.jdbc.sql("""
				insert into console_user (username, display_name, password_hash, role, enabled, created_at,
				    password_changed_at)
				select ?, ?, ?, 'admin', true, ?, ?
				where not exists (select 1 from console_user)
				on conflict (username) do nothing""")
			.params(username.value(), displayName, passwordHash, ts(at), ts(at))
			.update() == 1;
	}

	void updateRole(long id, Role role) {
		this.jdbc.sql("update console_user set role = ? where id = ?").params(role.value(), id).update();
	}

	/** Lets the user sign in, or not; disabling ends the user's sessions. */
	void updateEnabled(long id, boolean enabled) {
		this.jdbc.sql("""
				update console_user
				set enabled = ?, session_version = session_version + case when ? then 0 else 1 end
				where id = ?""").params(enabled, enabled, id).update();
	}

	/** Sets a new password and ends the user's sessions. */
	void updatePassword(long id, String passwordHash, Instant at) {
		this.jdbc.sql("""
				update console_user
				set password_hash = ?, password_changed_at = ?, session_version = session_version + 1
				where id = ?""").params(passwordHash, ts(at), id).update();
	}

	/**
	 * Replaces the hash of an unchanged password with a stronger one after a sign-in;
	 * sessions go on.
	 */
	void rehash(Username username, String passwordHash) {
		this.jdbc.sql("update console_user set password_hash = ? where username = ?")
			.params(passwordHash, username.value())
			.update();
	}

	private static ConsoleUser user(ResultSet rs, int row) throws SQLException {
		return new ConsoleUser(rs.getLong("id"), new Username(rs.getString("username")), rs.getString("display_name"),
				Role.of(rs.getString("role")).orElseThrow(), rs.getBoolean("enabled"), instant(rs, "created_at"),
				instant(rs, "password_changed_at"), rs.getLong("session_version"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static Timestamp ts(Instant instant) {
		return Timestamp.from(instant);
	}

	/**
	 * A user with the hash of the password.
	 *
	 * @param user the user
	 * @param passwordHash the hash, prefixed with its algorithm's id
	 */
	record Credentials(ConsoleUser user, String passwordHash) {

		@Override
		public String toString() {
			return "Credentials[user=" + this.user + "]";
		}

	}

}
