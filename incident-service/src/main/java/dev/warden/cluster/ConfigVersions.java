package dev.warden.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.warden.yaml.ContentHash;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The recorded versions of each {@link SharedConfiguration}, and this instance's place
 * among them. The files stay the source of truth; PostgreSQL only records what was read
 * and coordinates:
 * <ul>
 * <li>a reload through the API or the console records a new version ({@link #reload});
 * <li>every instance looks for newer versions every
 * {@code warden.cluster.config-poll-interval} and, finding one another instance recorded,
 * reads its own files again;
 * <li>an instance whose files then differ from the recorded version drifts: it says so
 * once per change in the log (WARN), in the gauge {@code warden_config_drift{kind}} and
 * on every console page, and keeps running its own files;
 * <li>at start, an instance whose files differ from the latest version (or finds none)
 * records them as a new version: a deploy is a change, and the others follow. Files that
 * could not be read or have problems are no deploy (a missing mount, a typo): that
 * instance takes the latest version as its place and reports drift itself, so that the
 * healthy instances do not.
 * </ul>
 */
@Service
public class ConfigVersions {

	private static final Logger log = LoggerFactory.getLogger(ConfigVersions.class);

	/** Longer actor names are cut. */
	static final int MAX_ACTOR = 200;

	private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
	};

	private static final String COLUMNS = "kind, version, content_hash, actor, recorded_at, instance_id, applied, problems";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	private final Clock clock;

	private final ThisInstance instance;

	private final Map<String, SharedConfiguration> sources;

	/** Per kind: the version this instance last took in and what it read for it. */
	private final Map<String, Position> positions = new ConcurrentHashMap<>();

	/** Held while recording or taking in versions, so each kind moves in order. */
	private final Lock syncing = new ReentrantLock();

	private final AtomicBoolean pollFailing = new AtomicBoolean();

	ConfigVersions(JdbcClient jdbc, PlatformTransactionManager transactions, JsonMapper json, Clock clock,
			ThisInstance instance, List<SharedConfiguration> sources, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactions);
		this.json = json;
		this.clock = clock;
		this.instance = instance;
		Map<String, SharedConfiguration> byKind = new TreeMap<>();
		for (SharedConfiguration source : sources) {
			if (byKind.put(source.kind(), source) != null) {
				throw new IllegalStateException("Two shared configurations of kind " + source.kind());
			}
			Gauge.builder("warden.config.drift", this, (self) -> self.drifting(source.kind()) ? 1 : 0)
				.tag("kind", source.kind())
				.description("1 while this instance's files of this kind differ from the recorded version")
				.register(meters);
		}
		this.sources = Collections.unmodifiableMap(byKind);
	}

	/** The kinds of configuration, sorted. */
	public List<String> kinds() {
		return List.copyOf(this.sources.keySet());
	}

	/**
	 * Reloads a configuration through the API or the console and records the version it
	 * read; the other instances take it in within seconds. Reading and recording happen
	 * under the lock the poll takes in versions with, so a version another instance
	 * recorded cannot be taken in between. When the version cannot be recorded (the
	 * database is down), this instance runs files no version holds: it reports drift from
	 * the version it ran before, and the exception goes to the caller (a 503).
	 * @param kind the configuration reloaded, such as {@code routing}
	 * @param actor the user or API token that reloaded
	 * @param reading the module's own reload, reading exactly what the kind's
	 * {@link SharedConfiguration#reload()} reads, and the report its endpoint answers
	 * with
	 * @return what {@code reading} answered
	 */
	public <T> T reload(String kind, String actor, Supplier<T> reading) {
		SharedConfiguration source = source(kind);
		this.syncing.lock();
		try {
			T report = reading.get();
			SharedConfiguration.Loaded loaded = source.loaded();
			ConfigVersion recorded;
			try {
				recorded = insert(kind, loaded, actor);
			}
			catch (RuntimeException ex) {
				Position before = this.positions.get(kind);
				if (before != null) {
					move(kind, before.reading(loaded.contentHash()));
				}
				throw ex;
			}
			log.info("Recorded {} version {} (content {}) reloaded by {}", kind, recorded.version(),
					shortHash(recorded.contentHash()), recorded.actor());
			move(kind, Position.of(recorded, loaded.contentHash()));
			return report;
		}
		finally {
			this.syncing.unlock();
		}
	}

	/**
	 * The number of the latest recorded version of this content, or null when none was
	 * recorded with it (an instance running files it drifted to).
	 */
	public Long versionOf(String kind, String contentHash) {
		if (contentHash == null) {
			return null;
		}
		Position position = this.positions.get(kind);
		if (position != null && contentHash.equals(position.recordedHash())) {
			return position.version();
		}
		// One look-up in config_version_content, inside the webhook's transaction.
		return this.jdbc
			.sql("select version from config_version where kind = ? and content_hash = ? order by version desc limit 1")
			.params(kind, contentHash)
			.query(Long.class)
			.optional()
			.orElse(null);
	}

	/** The kinds whose files on this instance differ from the recorded version. */
	public List<Drift> drifts() {
		return this.positions.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().drift())
			.map((entry) -> new Drift(entry.getKey(), entry.getValue().version(), entry.getValue().recordedHash(),
					entry.getValue().loadedHash()))
			.sorted(Comparator.comparing(Drift::kind))
			.toList();
	}

	/** Per kind, the version this instance took in last and whether its files drift. */
	public Map<String, LoadedVersion> loaded() {
		Map<String, LoadedVersion> loaded = new TreeMap<>();
		this.positions.forEach((kind, position) -> loaded.put(kind,
				new LoadedVersion(position.version(), position.loadedHash(), position.drift())));
		return loaded;
	}

	/** Recorded versions, newest first, of one kind or (kind null) of all. */
	public List<ConfigVersion> history(String kind, int limit) {
		if (kind == null) {
			return this.jdbc
				.sql("select " + COLUMNS + " from config_version order by recorded_at desc, kind, version desc limit ?")
				.params(limit)
				.query(this::version)
				.list();
		}
		return this.jdbc.sql("select " + COLUMNS + " from config_version where kind = ? order by version desc limit ?")
			.params(kind, limit)
			.query(this::version)
			.list();
	}

	/**
	 * At start, after every catalog loaded its files: takes in the latest version of each
	 * kind, or records this instance's files as a new one when they differ (a deploy) or
	 * nothing is recorded yet. Files unreadable or with problems are not recorded over a
	 * recorded version: this instance takes that version as its place and drifts.
	 */
	void start() {
		this.syncing.lock();
		try {
			for (SharedConfiguration source : this.sources.values()) {
				String kind = source.kind();
				SharedConfiguration.Loaded loaded = source.loaded();
				// Under the kind's lock, which a recording takes too: instances
				// that start together with the same new files record one
				// version, and the others take it in.
				move(kind, this.transactions.execute((status) -> {
					lock(kind);
					return startingPosition(kind, loaded);
				}));
			}
		}
		finally {
			this.syncing.unlock();
		}
	}

	private Position startingPosition(String kind, SharedConfiguration.Loaded loaded) {
		Optional<ConfigVersion> latest = latest(kind);
		if (latest.isPresent() && latest.get().contentHash().equals(loaded.contentHash())) {
			return Position.of(latest.get(), loaded.contentHash());
		}
		if (latest.isPresent() && !healthy(loaded)) {
			log.warn(
					"This instance's {} files did not load ({}) at start: not recording them over version {};"
							+ " this instance reports drift until its files load and match",
					kind, ContentHash.UNREADABLE.equals(loaded.contentHash()) ? "unreadable"
							: loaded.problems().size() + " problem(s)",
					latest.get().version());
			return Position.of(latest.get(), loaded.contentHash());
		}
		ConfigVersion recorded = insert(kind, loaded, "start of " + this.instance.id());
		log.info("Recorded {} version {} (content {}) from this instance's files at start{}", kind, recorded.version(),
				shortHash(recorded.contentHash()),
				latest
					.map((it) -> ": they differ from version %d (content %s)".formatted(it.version(),
							shortHash(it.contentHash())))
					.orElse(""));
		return Position.of(recorded, loaded.contentHash());
	}

	/**
	 * Takes the kind's recording lock until the transaction ends (PostgreSQL advisory
	 * locks are re-entrant within a session).
	 */
	private void lock(String kind) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext(?))").param("config_version:" + kind).query().rowSet();
	}

	/**
	 * Takes in the versions other instances recorded since the last look: reads this
	 * instance's files again for each, and reports drift when they differ. A database
	 * that cannot be read is logged once per outage; the next poll tries again.
	 */
	void poll() {
		List<ConfigVersion> latest;
		try {
			latest = latestOfEach();
			if (this.pollFailing.compareAndSet(true, false)) {
				log.info("Configuration versions are read again");
			}
		}
		catch (DataAccessException ex) {
			if (this.pollFailing.compareAndSet(false, true)) {
				log.warn("Cannot read the configuration versions; trying again: {}", ex.toString());
			}
			return;
		}
		this.syncing.lock();
		try {
			for (ConfigVersion version : latest) {
				SharedConfiguration source = this.sources.get(version.kind());
				Position position = this.positions.get(version.kind());
				if (source == null || (position != null && version.version() <= position.version())) {
					continue;
				}
				String loadedHash;
				if (version.instance().equals(this.instance.id())) {
					// Recorded here (by a reload this instance made): nothing new to
					// read.
					loadedHash = source.loaded().contentHash();
				}
				else {
					loadedHash = source.reload().contentHash();
					log.info("Reloaded the {} files for version {} recorded by {} on {}", version.kind(),
							version.version(), version.actor(), version.instance());
				}
				move(version.kind(), Position.of(version, loadedHash));
			}
		}
		finally {
			this.syncing.unlock();
		}
	}

	private void move(String kind, Position next) {
		Position previous = this.positions.put(kind, next);
		if (next.drift()) {
			// Once per change: the position only moves with a new version or a reload.
			if (previous == null || !previous.drift() || previous.version() != next.version()
					|| !Objects.equals(previous.loadedHash(), next.loadedHash())) {
				log.warn(
						"Configuration drift: this instance's {} files (content {}) differ from version {} (content {})"
								+ " recorded by {} on {}; this instance keeps running its own files until they match."
								+ " Make every instance read the same files, then reload.",
						kind, shortHash(next.loadedHash()), next.version(), shortHash(next.recordedHash()),
						next.actor(), next.instance());
			}
		}
		else if (previous != null && previous.drift()) {
			log.info("This instance's {} files match version {} again", kind, next.version());
		}
	}

	private boolean drifting(String kind) {
		Position position = this.positions.get(kind);
		return position != null && position.drift();
	}

	private SharedConfiguration source(String kind) {
		SharedConfiguration source = this.sources.get(kind);
		if (source == null) {
			throw new IllegalArgumentException("No shared configuration of kind " + kind);
		}
		return source;
	}

	private static boolean healthy(SharedConfiguration.Loaded loaded) {
		return loaded.applied() && !ContentHash.UNREADABLE.equals(loaded.contentHash());
	}

	/**
	 * The latest version of each kind, one primary key look-up per kind in one query: the
	 * poll runs every second on every instance, however long the history grows.
	 */
	private List<ConfigVersion> latestOfEach() {
		if (this.sources.isEmpty()) {
			return List.of();
		}
		String kinds = String.join(", ", Collections.nCopies(this.sources.size(), "(?)"));
		return this.jdbc.sql("""
				select %s from (values %s) as kinds (kind)
				cross join lateral (
					select * from config_version v where v.kind = kinds.kind order by v.version desc limit 1
				) latest""".formatted(prefixed(), kinds))
			.params(List.copyOf(this.sources.keySet()))
			.query(this::version)
			.list();
	}

	private static String prefixed() {
		return String.join(", ", List.of(COLUMNS.split(", ")).stream().map((column) -> "latest." + column).toList());
	}

	private Optional<ConfigVersion> latest(String kind) {
		return this.jdbc.sql("select " + COLUMNS + " from config_version where kind = ? order by version desc limit 1")
			.params(kind)
			.query(this::version)
			.optional();
	}

	/**
	 * Records the next version number of a kind. The transaction takes an advisory lock
	 * per kind first, so recorders on any instances take their turns and never collide on
	 * a number.
	 */
	ConfigVersion insert(String kind, SharedConfiguration.Loaded loaded, String actor) {
		String who = (actor == null || actor.isBlank()) ? "unknown" : actor;
		String cut = (who.length() > MAX_ACTOR) ? who.substring(0, MAX_ACTOR - 1) + "…" : who;
		String problems = this.json.writeValueAsString(loaded.problems());
		Timestamp now = Timestamp.from(this.clock.instant());
		return this.transactions.execute((status) -> {
			lock(kind);
			return this.jdbc.sql("""
					insert into config_version (kind, version, content_hash, actor, recorded_at, instance_id,
						applied, problems)
					select ?, coalesce(max(version), 0) + 1, ?, ?, ?, ?, ?, ?::jsonb
					from config_version where kind = ?
					returning %s""".formatted(COLUMNS))
				.params(kind, loaded.contentHash(), cut, now, this.instance.id(), loaded.applied(), problems, kind)
				.query(this::version)
				.single();
		});
	}

	private ConfigVersion version(ResultSet row, int number) throws SQLException {
		return new ConfigVersion(row.getString("kind"), row.getLong("version"), row.getString("content_hash"),
				row.getString("actor"), row.getTimestamp("recorded_at").toInstant(), row.getString("instance_id"),
				row.getBoolean("applied"), this.json.readValue(row.getString("problems"), STRINGS));
	}

	static String shortHash(String hash) {
		return (hash != null && hash.length() > 12) ? hash.substring(0, 12) : String.valueOf(hash);
	}

	/**
	 * A kind whose files on this instance differ from the recorded version.
	 *
	 * @param kind the configuration's kind
	 * @param version the recorded version this instance last took in
	 * @param recordedHash that version's content hash
	 * @param loadedHash the content hash of this instance's own files
	 */
	public record Drift(String kind, long version, String recordedHash, String loadedHash) {
	}

	/**
	 * Where an instance stands with one kind.
	 *
	 * @param version the recorded version it last took in, or null
	 * @param contentHash the content hash of its own files as last read
	 * @param drift whether they differ from that version's
	 */
	public record LoadedVersion(Long version, String contentHash, boolean drift) {
	}

	private record Position(long version, String recordedHash, String loadedHash, String actor, String instance) {

		static Position of(ConfigVersion version, String loadedHash) {
			return new Position(version.version(), version.contentHash(), loadedHash, version.actor(),
					version.instance());
		}

		/** The same version, with this instance's files read again. */
		Position reading(String contentHash) {
			return new Position(this.version, this.recordedHash, contentHash, this.actor, this.instance);
		}

		boolean drift() {
			return !Objects.equals(this.recordedHash, this.loadedHash);
		}

	}

}
