package dev.warden.incidents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one webhook writes, counted by PostgreSQL itself ({@code pg_stat_statements}): a
 * new incident's alerts and timeline events go in as batches, a few statements whatever
 * the number of alerts, not one statement per row; and the ids of an incident's rows are
 * drawn from the database when they are written, so they grow with time even when another
 * instance drew ids in between.
 */
@IntegrationTest
@Import(IngestWritesIntegrationTests.CountingPostgres.class)
@DirtiesContext
class IngestWritesIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	@Test
	void aFiftyAlertWebhookInsertsItsAlertsAndTimelineInAFewStatements() {
		WardenClient warden = new WardenClient(this.port);
		// The first webhook of a context also warms up Warden's own caches.
		warden.open(Payloads.firing("warm-up", this.clock.instant()));

		Statements one = writesOf(() -> warden.open(group(1).json()));
		Payloads.Group big = group(50);
		Statements fifty = writesOf(() -> warden.open(big.json()));
		this.clock.advance(Duration.ofMinutes(1));
		Statements resend = writesOf(() -> warden.open(big.json()));

		System.out.printf("1-alert webhook: %s%n50-alert webhook: %s%n50-alert resend: %s%n", one, fifty, resend);
		assertThat(one.alertRows()).isEqualTo(1);
		assertThat(fifty.alertRows()).isEqualTo(50);
		assertThat(fifty.eventRows()).isGreaterThanOrEqualTo(51);
		// One statement per row would be 50: batched, the rows go in a few multi-row
		// statements (the driver splits a batch into powers of two).
		assertThat(fifty.alertInserts()).isLessThanOrEqualTo(4);
		// Likewise the 51 events of the webhook (other modules' events of the incident,
		// recorded one at a time, may add a statement each): at least 45 statements
		// saved.
		assertThat(fifty.eventRows() - fifty.eventInserts()).isGreaterThanOrEqualTo(45);
		// A resend moves "last seen": the alerts' labels and annotations are not written
		// again.
		assertThat(resend.statements()).anySatisfy((s) -> assertThat(s.query()).startsWith("update alert set"))
			.noneSatisfy((s) -> assertThat(s.query()).matches("(?s)update alert set.*labels.*"));
	}

	@Test
	void idsOfAnIncidentsRowsGrowWithTimeAlthoughOthersDrewIdsInBetween() {
		WardenClient warden = new WardenClient(this.port);
		Payloads.Group group = Payloads.group();
		Instant startsAt = this.clock.instant();
		long incident = warden.open(group.firing("fp-first", startsAt).json());
		// What another instance does when it takes a block of ids for itself.
		long alertTaken = drawn("alert");
		long eventTaken = drawn("timeline_event");

		warden.open(group.next().firing("fp-second", startsAt).json());

		List<Long> alerts = this.jdbc.sql("select id from alert where incident_id = ? order by first_seen_at, id")
			.param(incident)
			.query(Long.class)
			.list();
		assertThat(alerts).hasSize(2);
		assertThat(alerts.getLast()).isGreaterThan(alertTaken);
		List<Long> second = this.jdbc
			.sql("select id from timeline_event where incident_id = ? and summary like '%fp-second' order by id")
			.param(incident)
			.query(Long.class)
			.list();
		assertThat(second).isNotEmpty().allSatisfy((id) -> assertThat(id).isGreaterThan(eventTaken));
		// The API lists alerts in the order they arrived.
		var listed = warden.get("/api/v1/incidents/" + incident).json().get("alerts");
		assertThat(listed.get(0).get("fingerprint").asString()).isEqualTo("fp-first");
		assertThat(listed.get(1).get("fingerprint").asString()).isEqualTo("fp-second");
	}

	private long drawn(String table) {
		return this.jdbc.sql("select nextval(pg_get_serial_sequence(?, 'id'))").param(table).query(Long.class).single();
	}

	private Payloads.Group group(int alerts) {
		Payloads.Group group = Payloads.group();
		for (int i = 0; i < alerts; i++) {
			group.firing("fp-" + i, this.clock.instant());
		}
		return group;
	}

	/**
	 * The statements PostgreSQL ran while {@code webhook} ran, once the work that
	 * followed earlier webhooks is done.
	 */
	private Statements writesOf(Runnable webhook) {
		for (int i = 0; i < 50; i++) {
			this.jdbc.sql("select pg_stat_statements_reset()").query(Object.class).single();
			sleep();
			if (readStatements().all() == 0) {
				break;
			}
		}
		this.jdbc.sql("select pg_stat_statements_reset()").query(Object.class).single();
		webhook.run();
		return readStatements();
	}

	private static void sleep() {
		try {
			Thread.sleep(300);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Statements readStatements() {
		List<Counted> statements = this.jdbc
			.sql("""
					select query, calls, rows from pg_stat_statements
					where query not like '%pg_stat_statements%' and dbid = (select oid from pg_database where datname = current_database())""")
			.query((rs, row) -> new Counted(rs.getString("query"), rs.getLong("calls"), rs.getLong("rows")))
			.list();
		return new Statements(statements);
	}

	record Counted(String query, long calls, long rows) {

		boolean insertsInto(String table) {
			return this.query.matches("(?s)insert into " + table + "\\s*\\(.*");
		}

	}

	/**
	 * What PostgreSQL counted.
	 */
	record Statements(List<Counted> statements) {

		long all() {
			return this.statements.stream().mapToLong(Counted::calls).sum();
		}

		long alertInserts() {
			return this.statements.stream().filter((s) -> s.insertsInto("alert")).mapToLong(Counted::calls).sum();
		}

		long alertRows() {
			return this.statements.stream().filter((s) -> s.insertsInto("alert")).mapToLong(Counted::rows).sum();
		}

		long eventInserts() {
			return this.statements.stream()
				.filter((s) -> s.insertsInto("timeline_event"))
				.mapToLong(Counted::calls)
				.sum();
		}

		long eventRows() {
			return this.statements.stream()
				.filter((s) -> s.insertsInto("timeline_event"))
				.mapToLong(Counted::rows)
				.sum();
		}

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder(
					"%d statements (alert inserts %d for %d rows, event inserts %d for %d rows)".formatted(all(),
							alertInserts(), alertRows(), eventInserts(), eventRows()));
			for (Counted counted : this.statements) {
				String query = counted.query().replaceAll("\\s+", " ");
				text.append("\n  ")
					.append(counted.calls())
					.append(" x ")
					.append(query, 0, Math.min(140, query.length()));
			}
			return text.toString();
		}

	}

	/**
	 * A PostgreSQL of this test's own, with {@code pg_stat_statements} loaded (the
	 * embedded one Warden starts has no such option).
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class CountingPostgres {

		@Bean(destroyMethod = "close")
		EmbeddedPostgres countingPostgres() throws IOException {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setServerConfig("shared_preload_libraries", "pg_stat_statements")
				.setServerConfig("pg_stat_statements.track_utility", "off")
				.start();
			try (Connection connection = postgres.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("create extension pg_stat_statements");
			}
			catch (SQLException ex) {
				postgres.close();
				throw new UncheckedIOException(new IOException(ex));
			}
			return postgres;
		}

		@Bean
		JdbcConnectionDetails countingPostgresConnection(EmbeddedPostgres postgres) {
			return new JdbcConnectionDetails() {

				@Override
				public String getJdbcUrl() {
					return postgres.getJdbcUrl("postgres", "postgres");
				}

				@Override
				public String getUsername() {
					return "postgres";
				}

				@Override
				public String getPassword() {
					return "postgres";
				}

			};
		}

	}

}
