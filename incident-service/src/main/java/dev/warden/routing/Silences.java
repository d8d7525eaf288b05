package dev.warden.routing;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.Audit;
import dev.warden.matching.LabelMatcher;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * All silences: created and expired by people, asked by other modules whether an alert is
 * silenced. Stored in PostgreSQL, so every instance sees the same silences.
 */
@Service
public class Silences {

	private static final Logger log = LoggerFactory.getLogger(Silences.class);

	static final int MAX_MATCHERS = 32;

	static final int MAX_COMMENT = 1000;

	/** Most silences a listing returns, newest first. */
	static final int MAX_LISTED = 500;

	private static final String COLUMNS = "id, matchers, starts_at, ends_at, created_by, created_at, comment, "
			+ "expired_by, expired_at, alertmanager_state, alertmanager_id, alertmanager_error, "
			+ "alertmanager_attempts, alertmanager_synced_at";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Audit audit;

	private final SchedulerClient scheduler;

	private final AlertmanagerClient alertmanager;

	Silences(JdbcClient jdbc, Clock clock, Audit audit, @Lazy SchedulerClient scheduler,
			AlertmanagerClient alertmanager) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.audit = audit;
		this.scheduler = scheduler;
		this.alertmanager = alertmanager;
	}

	/**
	 * Creates a silence.
	 * @param matchers matchers in Alertmanager's syntax; at least one, and at least one
	 * that does not match an empty label set
	 * @param startsAt when it starts; null for now
	 * @param endsAt when it ends; after {@code startsAt} and in the future
	 * @param createdBy who creates it
	 * @param comment why; required
	 * @throws InvalidSilence with every reason when the silence is not valid
	 * @see AlertmanagerSync the copy in Alertmanager, when one is configured
	 */
	@Transactional
	public Silence create(List<String> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {
		Instant now = this.clock.instant();
		Instant starts = (startsAt != null) ? startsAt : now;
		List<String> reasons = new ArrayList<>();
		List<LabelMatcher> parsed = matchers(matchers, reasons);
		if (endsAt == null) {
			reasons.add("endsAt is required");
		}
		else if (!endsAt.isAfter(starts)) {
			reasons.add("endsAt (" + endsAt + ") must be after startsAt (" + starts + ")");
		}
		else if (!endsAt.isAfter(now)) {
			reasons.add("endsAt (" + endsAt + ") must be in the future");
		}
		if (comment == null || comment.isBlank()) {
			reasons.add("comment is required: say why the alerts are silenced");
		}
		else if (comment.length() > MAX_COMMENT) {
			reasons.add("comment must be at most " + MAX_COMMENT + " characters");
		}
		if (createdBy == null || createdBy.isBlank()) {
			reasons.add("createdBy is required");
		}
		if (!reasons.isEmpty()) {
			throw new InvalidSilence(reasons);
		}
		// Copied to Alertmanager by a job written in this transaction: the silence holds
		// in Warden at once, whether or not Alertmanager can be reached.
		AlertmanagerCopy copy = this.alertmanager.configured()
				? new AlertmanagerCopy(AlertmanagerCopy.State.PENDING, null, null, 0, null) : null;
		Silence silence = new Silence(SilenceId.random(), parsed, starts, endsAt, createdBy, now, comment.strip(), null,
				null, copy);
		this.jdbc
			.sql("insert into silence (id, matchers, starts_at, ends_at, created_by, created_at, comment,"
					+ " alertmanager_state) values (?, ?, ?, ?, ?, ?, ?, ?)")
			.params(silence.id().value(), parsed.stream().map(LabelMatcher::toString).toArray(String[]::new),
					Timestamp.from(starts), Timestamp.from(endsAt), createdBy, Timestamp.from(now), silence.comment(),
					(copy != null) ? copy.state().value() : null)
			.update();
		if (copy != null) {
			AlertmanagerSync.scheduleCreation(this.scheduler, silence.id(), now);
		}
		this.audit.recordAs(createdBy, "silence.create", silence.id().toString(), null, state(silence, now),
				Map.of("matchers", silence.matchers().stream().map(LabelMatcher::toString).toList(), "startsAt",
						starts.toString(), "endsAt", endsAt.toString(), "comment", silence.comment()));
		return silence;
	}

	/**
	 * Ends a pending or active silence now.
	 * @throws SilenceNotFound when there is no such silence
	 * @throws SilenceAlreadyExpired when it has already ended or been expired
	 */
	@Transactional
	public Silence expire(SilenceId id, String by) {
		Instant now = this.clock.instant();
		// One conditional update: of two concurrent expiries, exactly one wins. A copy in
		// Alertmanager (or one still being made) is to be expired there too.
		int updated = this.jdbc.sql("""
				update silence set expired_at = ?, expired_by = ?,
				    alertmanager_state = case when alertmanager_state in ('pending', 'created') then 'expiring'
				        else alertmanager_state end
				where id = ? and expired_at is null and ends_at > ?""")
			.params(Timestamp.from(now), by, id.value(), Timestamp.from(now))
			.update();
		Silence silence = find(id).orElseThrow(() -> new SilenceNotFound(id));
		if (updated == 0) {
			throw new SilenceAlreadyExpired(silence);
		}
		if (silence.alertmanager() != null && silence.alertmanager().state() == AlertmanagerCopy.State.EXPIRING) {
			AlertmanagerSync.scheduleExpiry(this.scheduler, id, now);
		}
		this.audit.recordAs(by, "silence.expire", id.toString(),
				now.isBefore(silence.startsAt()) ? "pending" : "active", "expired",
				Map.of("matchers", silence.matchers().stream().map(LabelMatcher::toString).toList()));
		return silence;
	}

	private static String state(Silence silence, Instant at) {
		return silence.stateAt(at).name().toLowerCase(Locale.ROOT);
	}

	/** The silence with this id. */
	public Optional<Silence> find(SilenceId id) {
		return this.jdbc.sql("select " + COLUMNS + " from silence where id = ?")
			.param(id.value())
			.query(Silences::silence)
			.list()
			.stream()
			.filter(Objects::nonNull)
			.findFirst();
	}

	/**
	 * Silences in a state now, newest first (at most {@value #MAX_LISTED}).
	 * @param state the state, or null for every silence
	 */
	public List<Silence> list(SilenceState state) {
		Timestamp now = Timestamp.from(this.clock.instant());
		String where = switch (state) {
			case null -> "true";
			case ACTIVE -> "starts_at <= :now and ends_at > :now and (expired_at is null or expired_at > :now)";
			case PENDING -> "starts_at > :now and ends_at > :now and (expired_at is null or expired_at > :now)";
			case EXPIRED -> "(ends_at <= :now or expired_at <= :now)";
		};
		return this.jdbc
			.sql("select " + COLUMNS + " from silence where " + where + " order by created_at desc, id limit "
					+ MAX_LISTED)
			.param("now", now)
			.query(Silences::silence)
			.list()
			.stream()
			.filter(Objects::nonNull)
			.toList();
	}

	/**
	 * The silences that stopped silencing most recently (expired by hand or ran out), the
	 * latest first.
	 * @param limit how many
	 */
	public List<Silence> recentlyEnded(int limit) {
		return this.jdbc
			.sql("select " + COLUMNS + " from silence where (ends_at <= :now or expired_at <= :now)"
					+ " order by least(ends_at, coalesce(expired_at, ends_at)) desc, id desc limit :limit")
			.param("now", Timestamp.from(this.clock.instant()))
			.param("limit", limit)
			.query(Silences::silence)
			.list()
			.stream()
			.filter(Objects::nonNull)
			.toList();
	}

	/**
	 * The silence that silences an alert with these labels at this time, if any; of
	 * several, the one that started first.
	 */
	public Optional<Silence> silencing(Map<String, String> labels, Instant at) {
		return silencing(activeAt(at), labels, at);
	}

	/**
	 * Of these silences, the one that silences an alert with these labels at this time;
	 * lets a caller with many alerts load {@link #activeAt} once.
	 */
	public static Optional<Silence> silencing(List<Silence> silences, Map<String, String> labels, Instant at) {
		Map<String, String> given = (labels != null) ? labels : Map.of();
		return silences.stream().filter((silence) -> silence.silences(given, at)).findFirst();
	}

	/** The silences in force at this time, the earliest started first. */
	public List<Silence> activeAt(Instant at) {
		return this.jdbc
			.sql("select " + COLUMNS + " from silence where starts_at <= :at and ends_at > :at"
					+ " and (expired_at is null or expired_at > :at) order by starts_at, id")
			.param("at", Timestamp.from(at))
			.query(Silences::silence)
			.list()
			.stream()
			.filter(Objects::nonNull)
			.toList();
	}

	/**
	 * Alertmanager's own silences, active and pending, that are not copies of Warden's:
	 * read-only beside Warden's. Alertmanager's trouble (unreachable, slow, an error
	 * answer) is reported in the answer, never thrown.
	 */
	public AlertmanagerSilences alertmanagerSilences() {
		if (!this.alertmanager.configured()) {
			return AlertmanagerSilences.notConfigured();
		}
		List<AlertmanagerClient.AmSilence> all;
		try {
			all = this.alertmanager.silencesForPage();
		}
		catch (AlertmanagerClient.Unavailable | AlertmanagerClient.Refused ex) {
			return new AlertmanagerSilences(true, this.alertmanager.address(), ex.getMessage(), List.of());
		}
		List<AlertmanagerClient.AmSilence> unexpired = (all != null)
				? all.stream().filter((silence) -> !silence.expired()).toList() : List.of();
		String[] named = unexpired.stream()
			.map((silence) -> AlertmanagerSync.wardenId(silence.comment()))
			.flatMap(Optional::stream)
			.map(SilenceId::toString)
			.distinct()
			.toArray(String[]::new);
		// A copy of one of this Warden's silences is shown as that silence, not twice.
		Set<String> copies = (named.length == 0) ? Set.of()
				: new HashSet<>(this.jdbc.sql("select id::text from silence where id = any(?::uuid[])")
					.param(named)
					.query(String.class)
					.list());
		List<AlertmanagerSilence> own = unexpired.stream()
			.filter((silence) -> AlertmanagerSync.wardenId(silence.comment())
				.map((id) -> !copies.contains(id.toString()))
				.orElse(true))
			.sorted(Comparator.comparing(AlertmanagerClient.AmSilence::endsAt,
					Comparator.nullsLast(Comparator.naturalOrder())))
			.limit(MAX_LISTED)
			.map((silence) -> new AlertmanagerSilence(silence.id(), silence.state(),
					silence.matchers().stream().map(AlertmanagerClient.AmMatcher::toString).toList(),
					silence.startsAt(), silence.endsAt(), silence.createdBy(), silence.comment()))
			.toList();
		return new AlertmanagerSilences(true, this.alertmanager.address(), null, own);
	}

	private static List<LabelMatcher> matchers(List<String> texts, List<String> reasons) {
		if (texts == null || texts.isEmpty()) {
			reasons.add("matchers: at least one matcher is required, like alertname=\"DatabasePortDown\"");
			return List.of();
		}
		if (texts.size() > MAX_MATCHERS) {
			reasons.add("matchers: at most " + MAX_MATCHERS + " matchers");
			return List.of();
		}
		List<LabelMatcher> matchers = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			try {
				matchers.add(LabelMatcher.parse(texts.get(i)));
			}
			catch (IllegalArgumentException ex) {
				reasons.add("matchers[" + i + "]: " + ex.getMessage());
			}
		}
		if (matchers.size() == texts.size() && matchers.stream().allMatch((matcher) -> matcher.matches(Map.of()))) {
			reasons.add("matchers: at least one matcher must not match an empty label set;"
					+ " these would silence every alert");
		}
		return matchers;
	}

	/**
	 * Expires the silences stored before matchers were RE2 whose expressions RE2 refuses
	 * (lookaround, backreferences): they can no longer silence anything, and expiredBy
	 * says why.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void expireSilencesRe2Refuses() {
		Instant now = this.clock.instant();
		record Stored(UUID id, String[] matchers) {
		}
		List<Stored> inForce = this.jdbc
			.sql("select id, matchers from silence where expired_at is null and ends_at > ?")
			.param(Timestamp.from(now))
			.query((row, number) -> new Stored(row.getObject("id", UUID.class),
					(String[]) row.getArray("matchers").getArray()))
			.list();
		for (Stored stored : inForce) {
			for (String text : stored.matchers()) {
				String reason = unreadable(text);
				if (reason != null) {
					this.jdbc
						.sql("update silence set expired_at = ?, expired_by = ? where id = ? and expired_at is null")
						.params(Timestamp.from(now), "warden (RE2 refuses " + text + ")", stored.id())
						.update();
					log.warn(
							"Expired silence {}: its matcher {} is not valid in RE2, the dialect Alertmanager uses: {}",
							stored.id(), text, reason);
					break;
				}
			}
		}
	}

	private static String unreadable(String text) {
		try {
			LabelMatcher.parse(text);
			return null;
		}
		catch (IllegalArgumentException ex) {
			return ex.getMessage();
		}
	}

	/**
	 * A stored silence, or null when one of its matchers no longer parses (stored before
	 * matchers were RE2): such a silence silences nothing and is left out of every
	 * answer.
	 */
	private static Silence silence(ResultSet row, int number) throws SQLException {
		Array array = row.getArray("matchers");
		List<LabelMatcher> matchers = new ArrayList<>();
		for (String text : (String[]) array.getArray()) {
			try {
				matchers.add(LabelMatcher.parse(text));
			}
			catch (IllegalArgumentException ex) {
				log.debug("Leaving out silence {}: {}", row.getObject("id"), ex.getMessage());
				return null;
			}
		}
		String state = row.getString("alertmanager_state");
		AlertmanagerCopy copy = (state != null) ? new AlertmanagerCopy(AlertmanagerCopy.State.of(state),
				row.getString("alertmanager_id"), row.getString("alertmanager_error"),
				row.getInt("alertmanager_attempts"), instant(row, "alertmanager_synced_at")) : null;
		return new Silence(new SilenceId(row.getObject("id", UUID.class)), matchers, instant(row, "starts_at"),
				instant(row, "ends_at"), row.getString("created_by"), instant(row, "created_at"),
				row.getString("comment"), row.getString("expired_by"), instant(row, "expired_at"), copy);
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		Timestamp timestamp = row.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
