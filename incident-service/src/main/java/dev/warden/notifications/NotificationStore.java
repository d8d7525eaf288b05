package dev.warden.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The notifications module's tables: plans, owed messages, Slack threads, escalation
 * state. Every method runs in the caller's transaction.
 */
@Component
class NotificationStore {

	private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	NotificationStore(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	// --- plans

	void insertPlan(Plan plan) {
		this.jdbc.sql("""
				insert into notification_plan (incident_id, routes, slack, email, users, schedules, mentions,
				    escalation_policy, suppressed, decided_at)
				values (?, cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), cast(? as jsonb),
				    cast(? as jsonb), ?, ?, ?)
				on conflict (incident_id) do nothing""")
			.params(plan.incidentId(), write(plan.routes()), write(plan.slack()), write(plan.email()),
					write(plan.users()), write(plan.schedules()), write(plan.mentions()), plan.escalationPolicy(),
					plan.suppressed(), ts(plan.decidedAt()))
			.update();
	}

	void deletePlan(long incidentId) {
		this.jdbc.sql("delete from notification_plan where incident_id = ?").param(incidentId).update();
	}

	Optional<Plan> plan(long incidentId) {
		return this.jdbc.sql("select * from notification_plan where incident_id = ?")
			.param(incidentId)
			.query((rs, row) -> new Plan(rs.getLong("incident_id"), strings(rs, "routes"), strings(rs, "slack"),
					strings(rs, "email"), strings(rs, "users"), strings(rs, "schedules"), strings(rs, "mentions"),
					rs.getString("escalation_policy"), rs.getString("suppressed"), instant(rs, "decided_at")))
			.optional();
	}

	// --- notifications

	/**
	 * Owes a message, unless one with the same idempotency key is already owed.
	 * @return the new notification's id; empty when the key existed
	 */
	Optional<Long> insert(long incidentId, String key, Channel channel, String kind, String target, Long eventId,
			Map<String, ?> body, Instant at) {
		return this.jdbc
			.sql("""
					insert into notification (incident_id, idempotency_key, channel, kind, target, event_id, body, created_at)
					values (?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)
					on conflict (idempotency_key) do nothing
					returning id""")
			.params(incidentId, key, channel.value(), kind, target, eventId, write(body), ts(at))
			.query(Long.class)
			.optional();
	}

	Optional<Notification> notification(long id) {
		return this.jdbc.sql("select * from notification where id = ?")
			.param(id)
			.query(this.notificationRows)
			.optional();
	}

	Optional<Notification> lockNotification(long id) {
		return this.jdbc.sql("select * from notification where id = ? for update")
			.param(id)
			.query(this.notificationRows)
			.optional();
	}

	List<Notification> notifications(long incidentId) {
		return this.jdbc.sql("select * from notification where incident_id = ? order by id")
			.param(incidentId)
			.query(this.notificationRows)
			.list();
	}

	/** The channels the incident has (or is owed) a message in. */
	List<String> messageChannels(long incidentId) {
		return this.jdbc.sql("""
				select target from notification
				where incident_id = ? and channel = 'slack' and kind = ? order by id""")
			.params(incidentId, Kinds.SLACK_MESSAGE)
			.query(String.class)
			.list();
	}

	/** The addresses the incident's emails went (or go) to. */
	List<String> emailRecipients(long incidentId) {
		return this.jdbc.sql("""
				select target from notification where incident_id = ? and channel = 'email'
				group by target order by min(id)""").param(incidentId).query(String.class).list();
	}

	void markInFlight(long id, Instant at) {
		this.jdbc.sql("update notification set in_flight_since = coalesce(in_flight_since, ?) where id = ?")
			.params(ts(at), id)
			.update();
	}

	void markSent(long id, int attempts, String externalId, Instant at) {
		this.jdbc.sql("""
				update notification set status = 'sent', attempts = ?, external_id = ?, sent_at = ?,
				    in_flight_since = null, last_error = null
				where id = ?""").params(attempts, externalId, ts(at), id).update();
	}

	/**
	 * Records a failed attempt that will be retried.
	 * @param keepInFlight true when the attempt may have reached its target (look it up
	 * before trying again)
	 */
	void markRetry(long id, int attempts, String error, boolean keepInFlight) {
		this.jdbc.sql("""
				update notification set attempts = ?, last_error = ?,
				    in_flight_since = case when ? then in_flight_since else null end
				where id = ?""").params(attempts, error, keepInFlight, id).update();
	}

	void markFailed(long id, int attempts, String error, Instant at) {
		this.jdbc.sql("""
				update notification set status = 'failed', attempts = ?, last_error = ?, failed_at = ?
				where id = ?""").params(attempts, error, ts(at), id).update();
	}

	/**
	 * Records a wait that Slack asked for (HTTP 429): no attempt is counted, and nothing
	 * was posted.
	 * @param keepInFlight true when an earlier attempt may have reached Slack (look it up
	 * before trying again); a 429 itself posted nothing
	 */
	void markRateLimited(long id, String error, boolean keepInFlight) {
		this.jdbc.sql("""
				update notification set last_error = ?,
				    in_flight_since = case when ? then in_flight_since else null end
				where id = ?""").params(error, keepInFlight, id).update();
	}

	/**
	 * Owes a failed message again, from a fresh attempt count and a fresh retry horizon
	 * that starts now.
	 */
	boolean resend(long id, Instant at) {
		return this.jdbc.sql("""
				update notification set status = 'pending', attempts = 0, last_error = null, failed_at = null,
				    resent_at = ?
				where id = ? and status = 'failed'""").params(ts(at), id).update() == 1;
	}

	/**
	 * The oldest message of the same incident to the same target, owed before this one
	 * and still pending: this one goes out after it.
	 */
	Optional<Notification> earlierPending(Notification notification) {
		return this.jdbc.sql("""
				select * from notification
				where incident_id = ? and channel = ? and target = ? and id < ? and status = 'pending'
				order by id limit 1""")
			.params(notification.incidentId(), notification.channel().value(), notification.target(), notification.id())
			.query(this.notificationRows)
			.optional();
	}

	/**
	 * When the notification's delivery job is due next (on the job scheduler's clock), if
	 * it has one.
	 */
	Optional<Instant> nextAttempt(long notificationId) {
		return this.jdbc.sql("select execution_time from job_schedule where task_name = ? and task_instance = ?")
			.params(NotificationJobs.DELIVERY.getTaskName(), String.valueOf(notificationId))
			.query(Timestamp.class)
			.optional()
			.map(Timestamp::toInstant);
	}

	/**
	 * Pending messages of the same incident to the same target owed after this one: they
	 * may be waiting for it.
	 */
	List<Long> laterPending(Notification notification) {
		return this.jdbc.sql("""
				select id from notification
				where incident_id = ? and channel = ? and target = ? and id > ? and status = 'pending'
				order by id""")
			.params(notification.incidentId(), notification.channel().value(), notification.target(), notification.id())
			.query(Long.class)
			.list();
	}

	// --- Slack threads

	Optional<SlackThread> thread(long incidentId, String channel) {
		return this.jdbc.sql("select * from slack_thread where incident_id = ? and channel = ?")
			.params(incidentId, channel)
			.query(NotificationStore::thread)
			.optional();
	}

	List<SlackThread> threads(long incidentId) {
		return this.jdbc.sql("select * from slack_thread where incident_id = ? order by posted_at")
			.param(incidentId)
			.query(NotificationStore::thread)
			.list();
	}

	void saveThread(SlackThread thread) {
		this.jdbc.sql("""
				insert into slack_thread (incident_id, channel, channel_id, ts, posted_at, rendered_event_id)
				values (?, ?, ?, ?, ?, ?)
				on conflict (incident_id, channel) do nothing""")
			.params(thread.incidentId(), thread.channel(), thread.channelId(), thread.ts(), ts(thread.postedAt()),
					thread.renderedEventId())
			.update();
	}

	/**
	 * Records the newest timeline event the incident's Slack message in a channel shows,
	 * after an update went through (or could not help): the count of failed updates
	 * starts again.
	 */
	void markRendered(long incidentId, String channel, long eventId) {
		this.jdbc.sql("""
				update slack_thread set rendered_event_id = greatest(rendered_event_id, ?), update_failures = 0
				where incident_id = ? and channel = ?""").params(eventId, incidentId, channel).update();
	}

	/**
	 * Counts a failed update of the incident's Slack message in a channel.
	 * @return the consecutive failed updates, this one included
	 */
	int markUpdateFailed(long incidentId, String channel) {
		return this.jdbc.sql("""
				update slack_thread set update_failures = update_failures + 1
				where incident_id = ? and channel = ? returning update_failures""")
			.params(incidentId, channel)
			.query(Integer.class)
			.optional()
			.orElse(1);
	}

	/** Pending notifications, owed before the instant, that have no delivery job. */
	List<Long> pendingWithoutJob(Instant before) {
		return this.jdbc.sql("""
				select n.id from notification n
				where n.status = 'pending' and n.created_at < ?
				and not exists (select 1 from job_schedule t
				                where t.task_name = 'notification-delivery' and t.task_instance = n.id::text)
				order by n.id limit 500""").param(ts(before)).query(Long.class).list();
	}

	/**
	 * Incidents with a Slack message that does not show a timeline event recorded before
	 * the instant, and no refresh job.
	 */
	List<Long> messagesBehind(Instant before) {
		return this.jdbc.sql("""
				select distinct s.incident_id from slack_thread s
				where exists (select 1 from incident_news e
				              where e.incident_id = s.incident_id and e.id > s.rendered_event_id
				              and e.occurred_at < ?)
				and not exists (select 1 from job_schedule t
				                where t.task_name = 'slack-refresh' and t.task_instance = s.incident_id::text)
				limit 500""").param(ts(before)).query(Long.class).list();
	}

	/**
	 * Takes the incident's refresh lock until the transaction ends: scheduling a refresh
	 * and ending one take turns.
	 */
	void lockRefresh(long incidentId) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext(?))").param(refreshLockKey(incidentId)).query().rowSet();
	}

	/** The key of the incident's refresh lock (see {@link #lockRefresh}). */
	static String refreshLockKey(long incidentId) {
		return "slack-refresh:" + incidentId;
	}

	/** Whether one of the incident's Slack messages does not show its newest news. */
	boolean anyMessageBehind(long incidentId) {
		return this.jdbc.sql("""
				select exists (select 1 from slack_thread s
				               where s.incident_id = ? and s.rendered_event_id < (
				                   select coalesce(max(e.id), 0) from incident_news e
				                   where e.incident_id = s.incident_id))""")
			.param(incidentId)
			.query(Boolean.class)
			.single();
	}

	/** The newest timeline event of the incident that people hear about, or 0. */
	long latestNews(long incidentId) {
		return this.jdbc.sql("select coalesce(max(id), 0) from incident_news where incident_id = ?")
			.param(incidentId)
			.query(Long.class)
			.single();
	}

	// --- Slack interactions

	/**
	 * Remembers an interaction's signature.
	 * @return false when the same signature was seen before: a replay
	 */
	boolean rememberInteraction(String signature, Instant at) {
		this.jdbc.sql("delete from slack_interaction where received_at < ?")
			.param(ts(at.minus(java.time.Duration.ofMinutes(15))))
			.update();
		return this.jdbc.sql("""
				insert into slack_interaction (signature, received_at) values (?, ?)
				on conflict (signature) do nothing""").params(signature, ts(at)).update() == 1;
	}

	private final org.springframework.jdbc.core.RowMapper<Notification> notificationRows = this::notification;

	private Notification notification(ResultSet rs, int row) throws SQLException {
		return new Notification(rs.getLong("id"), rs.getLong("incident_id"), rs.getString("idempotency_key"),
				Channel.of(rs.getString("channel")), rs.getString("kind"), rs.getString("target"),
				(Long) rs.getObject("event_id"), this.json.readValue(rs.getString("body"), OBJECT),
				rs.getString("status"), rs.getInt("attempts"), rs.getString("last_error"),
				instant(rs, "in_flight_since"), rs.getString("external_id"), instant(rs, "created_at"),
				instant(rs, "sent_at"), instant(rs, "failed_at"), instant(rs, "resent_at"));
	}

	private static SlackThread thread(ResultSet rs, int row) throws SQLException {
		return new SlackThread(rs.getLong("incident_id"), rs.getString("channel"), rs.getString("channel_id"),
				rs.getString("ts"), instant(rs, "posted_at"), rs.getLong("rendered_event_id"));
	}

	private List<String> strings(ResultSet rs, String column) throws SQLException {
		return this.json.readValue(rs.getString(column), STRINGS);
	}

	private String write(Object value) {
		return this.json.writeValueAsString(value);
	}

	private static Timestamp ts(Instant instant) {
		return Timestamp.from(instant);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * Who hears about an incident, decided when it opened.
	 *
	 * @param incidentId the incident
	 * @param routes the matched routes' paths
	 * @param slack Slack channels for the incident's message
	 * @param email email addresses
	 * @param users Warden users notified by name
	 * @param schedules on-call schedules whose on-call person was notified
	 * @param mentions Slack member ids to mention on the message
	 * @param escalationPolicy the escalation policy, or null
	 * @param suppressed why nobody is notified, or null
	 * @param decidedAt when
	 */
	record Plan(long incidentId, List<String> routes, List<String> slack, List<String> email, List<String> users,
			List<String> schedules, List<String> mentions, String escalationPolicy, String suppressed,
			Instant decidedAt) {

		Plan {
			routes = List.copyOf(routes);
			slack = List.copyOf(slack);
			email = List.copyOf(email);
			users = List.copyOf(users);
			schedules = List.copyOf(schedules);
			mentions = List.copyOf(mentions);
		}

	}

	/**
	 * The message an incident has in a Slack channel.
	 *
	 * @param incidentId the incident
	 * @param channel the channel as configured, such as {@code #ai-oncall}
	 * @param channelId Slack's id of the channel
	 * @param ts the message's timestamp, its id in the channel
	 * @param postedAt when it was posted
	 * @param renderedEventId the newest timeline event the message shows (0: unknown)
	 */
	record SlackThread(long incidentId, String channel, String channelId, String ts, Instant postedAt,
			long renderedEventId) {
	}

}
