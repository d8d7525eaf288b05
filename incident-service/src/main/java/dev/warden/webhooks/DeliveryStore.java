package dev.warden.webhooks;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The module's tables of deliveries and their attempts. */
@Component
class DeliveryStore {

	private final JdbcClient jdbc;

	DeliveryStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Owes a delivery, unless one with its idempotency key exists.
	 * @return the new delivery's id, or empty when it was owed before
	 */
	Optional<Long> owe(long incidentId, String key, String subscription, String event, long eventId, String body,
			Instant now) {
		return this.jdbc
			.sql("""
					insert into webhook_delivery (incident_id, idempotency_key, subscription, event, event_id, body, created_at)
					values (?, ?, ?, ?, ?, ?, ?)
					on conflict (idempotency_key) do nothing
					returning id""")
			.params(incidentId, key, subscription, event, eventId, body, timestamp(now))
			.query(Long.class)
			.optional();
	}

	Optional<PendingDelivery> find(long id) {
		return this.jdbc.sql("""
				select id, incident_id, idempotency_key, subscription, event, body, status, attempts, created_at
				from webhook_delivery where id = ?""")
			.param(id)
			.query((row, n) -> new PendingDelivery(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4),
					row.getString(5), row.getString(6), row.getString(7), row.getInt(8),
					row.getTimestamp(9).toInstant()))
			.optional();
	}

	void attempted(long id, int number, Instant at, String url, Integer responseStatus, String error, long durationMs) {
		this.jdbc
			.sql("""
					insert into webhook_attempt (delivery_id, number, attempted_at, url, response_status, error, duration_ms)
					values (?, ?, ?, ?, ?, ?, ?)
					on conflict (delivery_id, number) do nothing""")
			.params(id, number, timestamp(at), url, responseStatus, error, durationMs)
			.update();
	}

	void markDelivered(long id, int attempts, Instant at) {
		this.jdbc.sql("update webhook_delivery set status = 'delivered', attempts = ?, delivered_at = ? where id = ?")
			.params(attempts, timestamp(at), id)
			.update();
	}

	void markRetry(long id, int attempts, String error) {
		this.jdbc.sql("update webhook_delivery set attempts = ?, last_error = ? where id = ?")
			.params(attempts, error, id)
			.update();
	}

	void markFailed(long id, int attempts, String error, Instant at) {
		this.jdbc.sql(
				"update webhook_delivery set status = 'failed', attempts = ?, last_error = ?, failed_at = ? where id = ?")
			.params(attempts, error, timestamp(at), id)
			.update();
	}

	/** The incident's deliveries, oldest first, with their attempts. */
	List<WebhookDelivery> ofIncident(long incidentId) {
		Map<Long, List<WebhookDelivery.Attempt>> attempts = new LinkedHashMap<>();
		this.jdbc.sql("""
				select a.delivery_id, a.number, a.attempted_at, a.url, a.response_status, a.error, a.duration_ms
				from webhook_attempt a join webhook_delivery d on d.id = a.delivery_id
				where d.incident_id = ? order by a.delivery_id, a.number""").param(incidentId).query((row, n) -> {
			int status = row.getInt(5);
			Integer responseStatus = row.wasNull() ? null : status;
			return Map.entry(row.getLong(1), new WebhookDelivery.Attempt(row.getInt(2), row.getTimestamp(3).toInstant(),
					row.getString(4), responseStatus, row.getString(6), row.getLong(7)));
		})
			.list()
			.forEach((entry) -> attempts.computeIfAbsent(entry.getKey(), (key) -> new ArrayList<>())
				.add(entry.getValue()));
		return this.jdbc.sql("""
				select id, incident_id, subscription, event, event_id, idempotency_key, status, attempts, last_error,
				       created_at, delivered_at, failed_at
				from webhook_delivery where incident_id = ? order by id""")
			.param(incidentId)
			.query((row, n) -> new WebhookDelivery(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4),
					row.getLong(5), row.getString(6), row.getString(7), row.getInt(8), row.getString(9),
					instant(row.getTimestamp(10)), instant(row.getTimestamp(11)), instant(row.getTimestamp(12)),
					attempts.getOrDefault(row.getLong(1), List.of())))
			.list();
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static Timestamp timestamp(Instant instant) {
		return Timestamp.from(instant.truncatedTo(ChronoUnit.MICROS));
	}

}
