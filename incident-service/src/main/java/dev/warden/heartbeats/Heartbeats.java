package dev.warden.heartbeats;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.alerting.HeartbeatAlerts;
import dev.warden.incidents.Actor;
import dev.warden.incidents.AlertBatch;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.Ingested;
import dev.warden.incidents.ReceivedAlert;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The heartbeats module's service: records pings (from the API and from alerts bound to a
 * heartbeat), opens an incident through {@link IncidentService} when a heartbeat stays
 * silent past its interval and grace, resolves it when the heartbeat returns, and lists
 * the heartbeats with where they stand.
 * <p>
 * Safe with several instances on one database: every change to a heartbeat happens under
 * its row's lock, in the same transaction as the incident change it causes, and a silence
 * is one alert occurrence (its {@code startsAt} is the instant the heartbeat became
 * silent), so one silence never opens two incidents.
 */
@Service
public class Heartbeats implements HeartbeatAlerts {

	private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

	/** The alert name of a silent heartbeat's incident. */
	static final String ALERT_NAME = "HeartbeatMissing";

	/** Who pings a heartbeat bound to an alert. */
	static final String ALERTMANAGER = "alertmanager";

	static final TimelineEventType SILENT = new TimelineEventType("heartbeat.silent");

	static final TimelineEventType RETURNED = new TimelineEventType("heartbeat.returned");

	private static final Actor ACTOR = new Actor(Actor.Kind.SYSTEM, "heartbeats");

	/** How often a long silence's alert is handed again, at most. */
	private static final Duration LONGEST_RESEND = Duration.ofHours(1);

	private static final String COLUMNS = "name, last_seen_at, last_seen_by, declared_as, watched_since, silent_since, incident_id, fired_at";

	private final HeartbeatCatalog catalog;

	private final IncidentService incidents;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final String severityLabel;

	private final String serviceLabel;

	/**
	 * How often a silence's firing alert is handed to the incidents module again, so that
	 * the stale-alert sweep never takes it for an alert Alertmanager forgot; null when
	 * that sweep is off.
	 */
	private final Duration resend;

	/**
	 * Heartbeats bound to alerts whose clock this instance knows to be started, so that
	 * most webhooks need not say so again. A reload that changes a heartbeat makes a new
	 * record, which is not in here.
	 */
	private final Set<Heartbeat> watched = ConcurrentHashMap.newKeySet();

	Heartbeats(HeartbeatCatalog catalog, IncidentService incidents, JdbcClient jdbc,
			PlatformTransactionManager transactionManager, Clock clock, Environment environment) {
		this.catalog = catalog;
		this.incidents = incidents;
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
		// The incidents module reads severity and service from these labels.
		Binder binder = Binder.get(environment);
		this.severityLabel = binder.bind("warden.incidents.severity-label", String.class).orElse("severity");
		this.serviceLabel = binder.bind("warden.incidents.service-label", String.class).orElse("service");
		Duration staleAfter = binder.bind("warden.incidents.stale-after", Duration.class).orElse(Duration.ofHours(25));
		this.resend = staleAfter.isZero() ? null
				: (staleAfter.dividedBy(2).compareTo(LONGEST_RESEND) < 0) ? staleAfter.dividedBy(2) : LONGEST_RESEND;
	}

	/**
	 * Records that the heartbeat was seen now, durably; when it was silent, resolves its
	 * incident (in the same transaction).
	 * @param name the heartbeat's name
	 * @param by who sent it: the API token's name, or {@code alertmanager}
	 * @return the heartbeat as it stands now
	 * @throws HeartbeatNotFound when the heartbeat file declares no such heartbeat
	 * @throws HeartbeatFedByAlerts when the heartbeat is bound to Alertmanager's alerts:
	 * only they may feed it, or a ping would hide a dead Prometheus or Alertmanager
	 */
	public HeartbeatView ping(String name, String by) {
		Heartbeat heartbeat = this.catalog.find(name).orElseThrow(() -> new HeartbeatNotFound(name));
		if (heartbeat.alertBound()) {
			throw new HeartbeatFedByAlerts(name);
		}
		return this.transactions.execute((status) -> ping(heartbeat, by, now()));
	}

	private HeartbeatView ping(Heartbeat heartbeat, String by, Instant now) {
		int inserted = this.jdbc.sql("""
				insert into heartbeat (name, last_seen_at, last_seen_by, declared_at, declared_as, watched_since)
				values (?, ?, ?, ?, ?, ?)
				on conflict (name) do nothing""")
			.params(heartbeat.name(), Timestamp.from(now), by, Timestamp.from(now), heartbeat.kind(),
					Timestamp.from(now))
			.update();
		if (inserted == 1) {
			return HeartbeatView.of(heartbeat, now, by, null, null, now);
		}
		Row row = lock(heartbeat.name()).orElseThrow();
		// A clock that went back must not move "last seen" back.
		Instant seen = (row.lastSeenAt() != null && row.lastSeenAt().isAfter(now)) ? row.lastSeenAt() : now;
		this.jdbc.sql("""
				update heartbeat set last_seen_at = ?, last_seen_by = ?, silent_since = null, incident_id = null,
				    fired_at = null
				where name = ?""").params(Timestamp.from(seen), by, heartbeat.name()).update();
		if (row.silentSince() != null) {
			returned(heartbeat, row, by, now);
		}
		return HeartbeatView.of(heartbeat, seen, by, null, null, now);
	}

	/**
	 * Makes sure every declared heartbeat has its row, which records when Warden first
	 * knew of it; an API heartbeat's clock starts then. A heartbeat whose kind changed
	 * (API or bound to alerts) is declared anew; an unchanged one keeps its row as it is,
	 * through reloads and restarts.
	 */
	void declare() {
		Instant now = now();
		for (Heartbeat heartbeat : this.catalog.all()) {
			declare(heartbeat, now);
		}
	}

	private void declare(Heartbeat heartbeat, Instant now) {
		Timestamp watchedSince = heartbeat.alertBound() ? null : Timestamp.from(now);
		// Rows from before declarations were recorded (declared_as null) were seen
		// already: they only learn their kind.
		this.jdbc.sql("""
				insert into heartbeat (name, declared_at, declared_as, watched_since) values (?, ?, ?, ?)
				on conflict (name) do update set declared_as = excluded.declared_as,
				    last_seen_at = case when heartbeat.declared_as is null then heartbeat.last_seen_at end,
				    last_seen_by = case when heartbeat.declared_as is null then heartbeat.last_seen_by end,
				    declared_at = case when heartbeat.declared_as is null then heartbeat.declared_at
				                       else excluded.declared_at end,
				    watched_since = case when heartbeat.declared_as is null then heartbeat.watched_since
				                         else excluded.watched_since end
				where heartbeat.declared_as is distinct from excluded.declared_as""")
			.params(heartbeat.name(), Timestamp.from(now), heartbeat.kind(), watchedSince)
			.update();
	}

	/**
	 * Alertmanager talks to Warden: the clock of every heartbeat bound to alerts and
	 * never seen starts now, if it has not already, so a Watchdog that never comes (a
	 * wrong route) becomes an incident.
	 */
	private void alertmanagerSeen(Instant now) {
		for (Heartbeat heartbeat : this.catalog.all()) {
			if (!heartbeat.alertBound() || this.watched.contains(heartbeat)) {
				continue;
			}
			this.transactions.executeWithoutResult((status) -> {
				declare(heartbeat, now);
				this.jdbc.sql("""
						update heartbeat set watched_since = ?
						where name = ? and declared_as = 'alert' and watched_since is null""")
					.params(Timestamp.from(now), heartbeat.name())
					.update();
			});
			this.watched.add(heartbeat);
		}
	}

	/** The silence is over: says so on the incident's timeline and resolves its alert. */
	private void returned(Heartbeat heartbeat, Row row, String by, Instant now) {
		if (row.incidentId() != null) {
			this.incidents.record(new IncidentId(row.incidentId()),
					new TimelineEntry(RETURNED, ACTOR,
							"Heartbeat %s is back: seen at %s (from %s), silent since %s".formatted(heartbeat.name(),
									now, by, row.silentSince()),
							Map.of("heartbeat", heartbeat.name(), "seenAt", now.toString(), "seenBy", by, "silentSince",
									row.silentSince().toString())));
		}
		Ingested ingested = this.incidents
			.ingest(batch(heartbeat, row.lastSeenAt(), row.watchedSince(), row.silentSince(), now));
		log.info("Heartbeat {} is back (silent since {}); incident {} is {}", heartbeat.name(), row.silentSince(),
				ingested.incident(), ingested.status());
	}

	/**
	 * Opens an incident for every heartbeat that has been silent for longer than its
	 * interval and grace and has none yet; hands long silences' alerts over again now and
	 * then. Idempotent, and safe to run on several instances at once.
	 * @return how many incidents it opened
	 */
	public int check() {
		declare();
		Instant now = now();
		Map<String, Row> rows = rows();
		int opened = 0;
		for (Heartbeat heartbeat : this.catalog.all()) {
			Row row = rows.get(heartbeat.name());
			if (row == null || !due(heartbeat, row, now)) {
				continue;
			}
			try {
				Boolean open = this.transactions.execute((status) -> silent(heartbeat, now));
				if (Boolean.TRUE.equals(open)) {
					opened++;
				}
			}
			catch (RuntimeException ex) {
				// One heartbeat's trouble must not keep the others from being checked.
				log.warn("Could not check heartbeat {}: {}", heartbeat.name(), ex.toString());
			}
		}
		return opened;
	}

	private boolean due(Heartbeat heartbeat, Row row, Instant now) {
		// Never seen: its clock starts when Warden began to expect it; not yet, no clock.
		if (row.clock() == null || !now.isAfter(heartbeat.silentAfter(row.clock()))) {
			return false;
		}
		return row.silentSince() == null
				|| (this.resend != null && row.firedAt() != null && !row.firedAt().plus(this.resend).isAfter(now));
	}

	/**
	 * Under the heartbeat's lock: opens the silence's incident, or hands its alert over
	 * again.
	 * @return true when it opened an incident
	 */
	private boolean silent(Heartbeat heartbeat, Instant now) {
		Row row = lock(heartbeat.name()).orElse(null);
		if (row == null || !due(heartbeat, row, now)) {
			// Another instance (or a ping) got here first.
			return false;
		}
		boolean opening = row.silentSince() == null;
		Instant silentSince = opening ? heartbeat.silentAfter(row.clock()) : row.silentSince();
		Ingested ingested = this.incidents
			.ingest(batch(heartbeat, row.lastSeenAt(), row.watchedSince(), silentSince, null));
		this.jdbc.sql("update heartbeat set silent_since = ?, incident_id = ?, fired_at = ? where name = ?")
			.params(Timestamp.from(silentSince), ingested.incident().value(), Timestamp.from(now), heartbeat.name())
			.update();
		if (opening) {
			Map<String, String> details = new LinkedHashMap<>();
			details.put("heartbeat", heartbeat.name());
			if (row.lastSeenAt() != null) {
				details.put("lastSeenAt", row.lastSeenAt().toString());
				details.put("lastSeenBy", row.lastSeenBy());
			}
			else {
				details.put("neverSeenSince", row.watchedSince().toString());
			}
			details.put("interval", heartbeat.interval().toString());
			details.put("grace", heartbeat.grace().toString());
			this.incidents.record(ingested.incident(),
					new TimelineEntry(SILENT, ACTOR,
							"Heartbeat %s is silent: %s, expected every %s with %s grace".formatted(heartbeat.name(),
									seen(row.lastSeenAt(), row.lastSeenBy(), row.watchedSince()), heartbeat.interval(),
									heartbeat.grace()),
							details));
			log.warn("Heartbeat {} is silent ({}): incident {} {}", heartbeat.name(),
					seen(row.lastSeenAt(), row.lastSeenBy(), row.watchedSince()), ingested.incident(),
					ingested.outcome().name().toLowerCase(Locale.ROOT));
		}
		return opening;
	}

	/**
	 * The silent-heartbeat alert: one occurrence per silence, starting when the heartbeat
	 * became silent; resolved (with {@code endsAt}) when it returned.
	 */
	private AlertBatch batch(Heartbeat heartbeat, Instant lastSeen, Instant watchedSince, Instant silentSince,
			Instant endsAt) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("alertname", ALERT_NAME);
		labels.put("heartbeat", heartbeat.name());
		labels.put(this.serviceLabel, heartbeat.service());
		labels.put(this.severityLabel, heartbeat.severity());
		heartbeat.labels().forEach(labels::putIfAbsent);
		Map<String, String> annotations = new LinkedHashMap<>();
		annotations.put("summary", heartbeat.summary(lastSeen, watchedSince));
		annotations.put("description",
				"Warden expects heartbeat %s every %s (with %s grace); it was %s.".formatted(heartbeat.name(),
						human(heartbeat.interval()), human(heartbeat.grace()),
						(lastSeen != null) ? "last seen at " + lastSeen : "never seen since " + watchedSince)
						+ ((heartbeat.description() != null) ? " " + heartbeat.description() : ""));
		boolean firing = endsAt == null;
		ReceivedAlert alert = new ReceivedAlert("heartbeat:" + heartbeat.name(), firing, labels, annotations,
				silentSince, endsAt, null);
		Map<String, String> group = Map.of("alertname", ALERT_NAME, "heartbeat", heartbeat.name());
		return new AlertBatch(groupKey(heartbeat.name()), firing, "warden-heartbeats", group, labels, annotations, null,
				0, List.of(alert));
	}

	/** Like {@code last seen at ... (from ...)} or {@code never seen since ...}. */
	private static String seen(Instant lastSeen, String by, Instant watchedSince) {
		return (lastSeen != null) ? "last seen at %s (from %s)".formatted(lastSeen, by)
				: "never seen since " + watchedSince;
	}

	/**
	 * The silences of one heartbeat are one alert group, as Alertmanager would key it.
	 */
	static String groupKey(String name) {
		return "{}:{alertname=\"" + ALERT_NAME + "\", heartbeat=\"" + name + "\"}";
	}

	/**
	 * Every declared heartbeat, in file order, with where it stands now.
	 */
	public List<HeartbeatView> list() {
		Instant now = now();
		Map<String, Row> rows = rows();
		List<HeartbeatView> views = new ArrayList<>();
		for (Heartbeat heartbeat : this.catalog.all()) {
			Row row = rows.get(heartbeat.name());
			// A row declared with another kind than the file's now is declared anew at
			// the
			// next check; until then it has no clock.
			Instant watchedSince = (row != null && heartbeat.kind().equals(row.declaredAs())) ? row.watchedSince()
					: null;
			views.add((row != null) ? HeartbeatView.of(heartbeat, row.lastSeenAt(), row.lastSeenBy(), watchedSince,
					row.incidentId(), now) : HeartbeatView.of(heartbeat, null, null, null, null, now));
		}
		return views;
	}

	/** One declared heartbeat with where it stands now. */
	public HeartbeatView get(String name) {
		return list().stream()
			.filter((view) -> view.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new HeartbeatNotFound(name));
	}

	/** The problems of the heartbeat file's last load; empty when it loaded cleanly. */
	public List<HeartbeatProblem> problems() {
		return this.catalog.problems();
	}

	/** Where the heartbeats come from, for people. */
	public String source() {
		return this.catalog.source();
	}

	HeartbeatCatalog.LoadReport reload() {
		HeartbeatCatalog.LoadReport report = this.catalog.reload();
		if (report.applied()) {
			// A heartbeat whose kind changed and changed back is declared anew, so its
			// clock must be able to start again on this instance too.
			this.watched.clear();
			declare();
		}
		return report;
	}

	/**
	 * Alerts bound to a heartbeat (such as the pipeline's {@code Watchdog}) are that
	 * heartbeat, firing or resolved.
	 */
	@Override
	public List<ReceivedAlert> match(List<ReceivedAlert> alerts) {
		List<Heartbeat> bound = bound();
		return alerts.stream()
			.filter((alert) -> bound.stream().anyMatch((heartbeat) -> heartbeat.boundTo(alert.labels())))
			.toList();
	}

	/**
	 * A firing alert bound to a heartbeat pings it; a resolved one only says the pipeline
	 * stopped sending it, which the silence will show. A webhook from Alertmanager starts
	 * the clock of heartbeats bound to alerts that were never seen.
	 */
	@Override
	public void received(List<ReceivedAlert> heartbeats, boolean fromAlertmanager) {
		Instant now = now();
		if (fromAlertmanager) {
			alertmanagerSeen(now);
		}
		List<Heartbeat> bound = bound();
		for (ReceivedAlert alert : heartbeats) {
			if (!alert.firing()) {
				continue;
			}
			bound.stream()
				.filter((heartbeat) -> heartbeat.boundTo(alert.labels()))
				.forEach((heartbeat) -> this.transactions.execute((status) -> ping(heartbeat, ALERTMANAGER, now)));
		}
	}

	private List<Heartbeat> bound() {
		return this.catalog.all().stream().filter(Heartbeat::alertBound).toList();
	}

	private Map<String, Row> rows() {
		Map<String, Row> rows = new HashMap<>();
		this.jdbc.sql("select " + COLUMNS + " from heartbeat")
			.query(Heartbeats::row)
			.list()
			.forEach((row) -> rows.put(row.name(), row));
		return rows;
	}

	private Optional<Row> lock(String name) {
		return this.jdbc.sql("select " + COLUMNS + " from heartbeat where name = ? for update")
			.param(name)
			.query(Heartbeats::row)
			.optional();
	}

	private static Row row(ResultSet rs, int number) throws SQLException {
		return new Row(rs.getString("name"), instant(rs, "last_seen_at"), rs.getString("last_seen_by"),
				rs.getString("declared_as"), instant(rs, "watched_since"), instant(rs, "silent_since"),
				rs.getObject("incident_id", Long.class), instant(rs, "fired_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private Instant now() {
		// PostgreSQL keeps microseconds; truncating keeps what is stored equal to what
		// was decided.
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	/** Like {@code 5m} or {@code 1h30m}. */
	static String human(Duration duration) {
		return duration.toString().substring(2).toLowerCase(Locale.ROOT);
	}

	/** A heartbeat's row. */
	private record Row(String name, Instant lastSeenAt, String lastSeenBy, String declaredAs, Instant watchedSince,
			Instant silentSince, Long incidentId, Instant firedAt) {

		/** Where its clock runs from: the last ping, or the start of watching it. */
		Instant clock() {
			return (this.lastSeenAt != null) ? this.lastSeenAt : this.watchedSince;
		}

	}

}
