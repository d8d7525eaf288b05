package dev.warden.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The instances that share the database, each heartbeating its row every
 * {@code warden.cluster.heartbeat-interval}: id, host, process, Warden version, start,
 * last sign of life and the configuration versions it runs. A graceful stop marks the row
 * stopped; rows unseen for {@code warden.cluster.forget-after} are deleted.
 */
@Service
public class Instances {

	private static final Logger log = LoggerFactory.getLogger(Instances.class);

	private static final TypeReference<Map<String, ConfigVersions.LoadedVersion>> CONFIGURATION = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Clock clock;

	private final ThisInstance instance;

	private final ConfigVersions versions;

	private final ClusterSettings settings;

	private final AtomicBoolean stopped = new AtomicBoolean();

	private final AtomicBoolean failing = new AtomicBoolean();

	Instances(JdbcClient jdbc, JsonMapper json, Clock clock, ThisInstance instance, ConfigVersions versions,
			ClusterSettings settings) {
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
		this.instance = instance;
		this.versions = versions;
		this.settings = settings;
	}

	/** This instance's id. */
	public String self() {
		return this.instance.id();
	}

	/** Every instance the database knows, live ones first, then by id. */
	public List<InstanceView> list() {
		Instant now = this.clock.instant();
		Instant liveSince = now.minus(this.settings.staleAfter());
		return this.jdbc.sql("""
				select id, host, pid, warden_version, started_at, last_seen_at, stopped_at, configuration
				from warden_instance
				order by (stopped_at is null and last_seen_at >= ?) desc, id""")
			.params(Timestamp.from(liveSince))
			.query((row, number) -> view(row, liveSince))
			.list();
	}

	/**
	 * How many instances are live: seen within three heartbeat intervals, not stopped.
	 */
	public long live() {
		return this.jdbc.sql("select count(*) from warden_instance where stopped_at is null and last_seen_at >= ?")
			.params(Timestamp.from(this.clock.instant().minus(this.settings.staleAfter())))
			.query(Long.class)
			.single();
	}

	/**
	 * Writes this instance's row (and deletes rows long unseen). A database that cannot
	 * be written is logged once per outage; the next heartbeat tries again.
	 */
	void heartbeat() {
		if (this.stopped.get()) {
			return;
		}
		Instant now = this.clock.instant();
		try {
			this.jdbc
				.sql("""
						insert into warden_instance (id, host, pid, warden_version, started_at, last_seen_at, stopped_at,
							configuration)
						values (?, ?, ?, ?, ?, ?, null, ?::jsonb)
						on conflict (id) do update set host = excluded.host, pid = excluded.pid,
							warden_version = excluded.warden_version, started_at = excluded.started_at,
							last_seen_at = excluded.last_seen_at, stopped_at = null, configuration = excluded.configuration""")
				.params(this.instance.id(), this.instance.host(), this.instance.pid(), this.instance.version(),
						Timestamp.from(this.instance.startedAt()), Timestamp.from(now),
						this.json.writeValueAsString(this.versions.loaded()))
				.update();
			this.jdbc.sql("delete from warden_instance where last_seen_at < ?")
				.params(Timestamp.from(now.minus(this.settings.forgetAfter())))
				.update();
			if (this.failing.compareAndSet(true, false)) {
				log.info("This instance's heartbeat is written again");
			}
		}
		catch (DataAccessException ex) {
			if (this.failing.compareAndSet(false, true)) {
				log.warn("Cannot write this instance's heartbeat; trying again: {}", ex.toString());
			}
		}
	}

	/**
	 * Marks this instance's row stopped, on a graceful shutdown; no heartbeat follows.
	 */
	void stop() {
		if (!this.stopped.compareAndSet(false, true)) {
			return;
		}
		try {
			this.jdbc.sql("update warden_instance set stopped_at = ?, last_seen_at = ? where id = ?")
				.params(Timestamp.from(this.clock.instant()), Timestamp.from(this.clock.instant()), this.instance.id())
				.update();
			log.info("Marked instance {} stopped", this.instance.id());
		}
		catch (DataAccessException ex) {
			log.warn("Cannot mark instance {} stopped; it turns stale instead: {}", this.instance.id(), ex.toString());
		}
	}

	private InstanceView view(ResultSet row, Instant liveSince) throws SQLException {
		Instant lastSeen = row.getTimestamp("last_seen_at").toInstant();
		Timestamp stoppedAt = row.getTimestamp("stopped_at");
		InstanceView.State state = (stoppedAt != null) ? InstanceView.State.STOPPED
				: lastSeen.isBefore(liveSince) ? InstanceView.State.STALE : InstanceView.State.LIVE;
		String id = row.getString("id");
		return new InstanceView(id, row.getString("host"), row.getLong("pid"), row.getString("warden_version"),
				row.getTimestamp("started_at").toInstant(), lastSeen,
				(stoppedAt != null) ? stoppedAt.toInstant() : null, state,
				this.json.readValue(row.getString("configuration"), CONFIGURATION), id.equals(this.instance.id()));
	}

}
