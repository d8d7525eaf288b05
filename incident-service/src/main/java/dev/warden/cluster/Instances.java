package dev.warden.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>
 * Each instance writes its own clock into its row. Deleting another instance's row goes
 * by the earlier of this instance's clock and the database's, so an instance whose clock
 * runs ahead cannot delete the rows of instances that are still alive.
 */
@Service
public class Instances {

	private static final Logger log = LoggerFactory.getLogger(Instances.class);

	private static final TypeReference<Map<String, ConfigVersions.LoadedVersion>> CONFIGURATION = new TypeReference<>() {
	};

	/** The most instances a list shows. */
	public static final int LIST_LIMIT = 200;

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Clock clock;

	private final ThisInstance instance;

	private final ConfigVersions versions;

	private final ClusterSettings settings;

	/**
	 * Held while writing this instance's row, so that a heartbeat already running cannot
	 * write the row live again after a stop marked it stopped.
	 */
	private final Lock writing = new ReentrantLock();

	/** Guarded by {@link #writing}: set by a stop, cleared by a start. */
	private boolean stopped;

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

	/**
	 * The instances the database knows, live ones first, then stale, then stopped, each
	 * by id; at most {@code limit} of them.
	 */
	public Listed list(int limit) {
		Instant now = this.clock.instant();
		Instant liveSince = now.minus(this.settings.staleAfter());
		long[] total = { 0 };
		List<InstanceView> items = this.jdbc.sql("""
				select id, host, pid, warden_version, started_at, last_seen_at, stopped_at, configuration,
					count(*) over () as total
				from warden_instance
				order by case when stopped_at is not null then 2 when last_seen_at >= ? then 0 else 1 end, id
				limit ?""").params(Timestamp.from(liveSince), limit).query((row, number) -> {
			total[0] = row.getLong("total");
			return view(row, liveSince);
		}).list();
		return new Listed(items, Math.max(total[0], items.size()));
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
	 * Writes this instance's row as live, also after a stop (Spring may stop and start
	 * the lifecycle again in one process), then heartbeats go on.
	 */
	void start() {
		this.writing.lock();
		try {
			this.stopped = false;
			write(true);
		}
		finally {
			this.writing.unlock();
		}
	}

	/**
	 * Writes this instance's row (and deletes rows long unseen), unless this instance was
	 * stopped. A database that cannot be written is logged once per outage; the next
	 * heartbeat tries again.
	 */
	void heartbeat() {
		this.writing.lock();
		try {
			if (!this.stopped) {
				write(false);
			}
		}
		finally {
			this.writing.unlock();
		}
	}

	/**
	 * Marks this instance's row stopped, on a graceful shutdown; no heartbeat follows
	 * until a start.
	 */
	void stop() {
		this.writing.lock();
		try {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
			Timestamp now = Timestamp.from(this.clock.instant());
			this.jdbc.sql("update warden_instance set stopped_at = ?, last_seen_at = ? where id = ?")
				.params(now, now, this.instance.id())
				.update();
			log.info("Marked instance {} stopped", this.instance.id());
		}
		catch (DataAccessException ex) {
			log.warn("Cannot mark instance {} stopped; it turns stale instead: {}", this.instance.id(), ex.toString());
		}
		finally {
			this.writing.unlock();
		}
	}

	/**
	 * The upsert leaves a row this very process marked stopped as it is unless this is a
	 * start: only a start makes it live again. Another process with the same id (a
	 * restart keeping {@code warden.cluster.instance-id}) always takes the row over.
	 */
	private void write(boolean starting) {
		Instant now = this.clock.instant();
		try {
			this.jdbc.sql("""
					insert into warden_instance (id, host, pid, warden_version, started_at, last_seen_at, stopped_at,
						configuration)
					values (?, ?, ?, ?, ?, ?, null, ?::jsonb)
					on conflict (id) do update set host = excluded.host, pid = excluded.pid,
						warden_version = excluded.warden_version, started_at = excluded.started_at,
						last_seen_at = excluded.last_seen_at, stopped_at = null, configuration = excluded.configuration
					where ? or warden_instance.stopped_at is null
						or (warden_instance.host, warden_instance.pid, warden_instance.started_at)
							is distinct from (excluded.host, excluded.pid, excluded.started_at)""")
				.params(this.instance.id(), this.instance.host(), this.instance.pid(), this.instance.version(),
						Timestamp.from(this.instance.startedAt()), Timestamp.from(now),
						this.json.writeValueAsString(this.versions.loaded()), starting)
				.update();
			// By the earlier clock: an instance whose clock runs ahead must not delete
			// the rows of live instances that wrote their own (correct) time.
			this.jdbc.sql("delete from warden_instance where last_seen_at < least(?::timestamptz, now()) - ?::interval")
				.params(Timestamp.from(now), this.settings.forgetAfter().toSeconds() + " seconds")
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

	/**
	 * Some of the instances the database knows.
	 *
	 * @param items the instances listed, live ones first
	 * @param total how many the database knows; more than listed when some were left out
	 */
	public record Listed(List<InstanceView> items, long total) {

		public Listed {
			items = List.copyOf(items);
		}

		/** How many instances were left out of the list. */
		public long leftOut() {
			return this.total - this.items.size();
		}

	}

}
