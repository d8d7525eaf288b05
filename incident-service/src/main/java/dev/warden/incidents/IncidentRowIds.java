package dev.warden.incidents;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;

import org.hibernate.engine.jdbc.spi.JdbcCoordinator;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.generator.BeforeExecutionGenerator;
import org.hibernate.generator.EventType;
import org.hibernate.generator.EventTypeSets;

/**
 * Ids for an incident's new alerts and timeline events, so that Hibernate can insert them
 * in batches (an identity column hands out its id only as each row is inserted, one
 * statement per row). The ids come from the {@code alert} and {@code timeline_event}
 * identity sequences, and the ids of one incident's rows grow with time across instances,
 * as they did with identity columns: the timeline's order ({@code occurred_at, id}), the
 * alerts' arrival order and notifications' "newest event shown" comparisons rely on it.
 * <ul>
 * <li>Rows of an incident that exists already are written under its row lock. When the
 * first of them is persisted, one query draws the ids of all its new rows, in the order
 * the incident added them, from the sequences themselves: a later writer of the incident
 * takes its lock after this one commits and draws later, larger values. Never from a
 * block an instance keeps: another instance's block can be older.</li>
 * <li>Rows of an incident opened in this transaction (nobody else sees it before it
 * commits) take ids from a block this instance drew earlier: every value of the block is
 * smaller than any the sequence hands out after it, so whoever writes to the incident
 * later draws larger ones. A new incident's rows cost no query for their ids.</li>
 * </ul>
 */
class IncidentRowIds implements BeforeExecutionGenerator {

	/** Values of one statement come in row order; they are sorted all the same. */
	private static final String DRAW = """
			select array(select nextval(pg_get_serial_sequence('alert', 'id')) from generate_series(1, ?)),
			       array(select nextval(pg_get_serial_sequence('timeline_event', 'id')) from generate_series(1, ?))""";

	/**
	 * Ids of a block: about a hundred new incidents' rows. Those left when the instance
	 * stops are gaps in the ids, nothing else.
	 */
	private static final int BLOCK = 512;

	/** Alert ids drawn ahead for new incidents, ascending. */
	private final Deque<Long> alertBlock = new ArrayDeque<>();

	/** Timeline event ids drawn ahead for new incidents, ascending. */
	private final Deque<Long> eventBlock = new ArrayDeque<>();

	@Override
	public Object generate(SharedSessionContractImplementor session, Object owner, Object currentValue,
			EventType eventType) {
		Incident incident = switch (owner) {
			case Alert alert -> alert.incident();
			case TimelineEvent event -> event.incident();
			default -> throw new IllegalArgumentException("Not a row of an incident: " + owner);
		};
		if (incident.isOpenedInThisTransaction()) {
			return fromBlock(session, owner instanceof Alert);
		}
		Long id = drawnId(owner);
		if (id == null) {
			incident.drawIds((alerts, events) -> draw(session, alerts, events));
			id = drawnId(owner);
		}
		if (id == null) {
			throw new IllegalStateException("A row of incident " + incident.id() + " was not added through it");
		}
		return id;
	}

	private synchronized long fromBlock(SharedSessionContractImplementor session, boolean alert) {
		Deque<Long> block = alert ? this.alertBlock : this.eventBlock;
		if (block.isEmpty()) {
			long[][] drawn = alert ? draw(session, BLOCK, 0) : draw(session, 0, BLOCK);
			Arrays.stream(alert ? drawn[0] : drawn[1]).forEach(block::addLast);
		}
		return block.removeFirst();
	}

	private static Long drawnId(Object row) {
		return switch (row) {
			case Alert alert -> alert.drawnId();
			case TimelineEvent event -> event.drawnId();
			default -> null;
		};
	}

	private static long[][] draw(SharedSessionContractImplementor session, int alerts, int events) {
		JdbcCoordinator jdbc = session.getJdbcCoordinator();
		PreparedStatement statement = jdbc.getStatementPreparer().prepareStatement(DRAW);
		try {
			statement.setInt(1, alerts);
			statement.setInt(2, events);
			ResultSet result = jdbc.getResultSetReturn().extract(statement, DRAW);
			try {
				result.next();
				return new long[][] { sorted(result.getArray(1)), sorted(result.getArray(2)) };
			}
			finally {
				jdbc.getLogicalConnection().getResourceRegistry().release(result, statement);
			}
		}
		catch (SQLException ex) {
			throw session.getJdbcServices()
				.getSqlExceptionHelper()
				.convert(ex, "Could not draw the ids of an incident's new rows", DRAW);
		}
		finally {
			jdbc.getLogicalConnection().getResourceRegistry().release(statement);
			jdbc.afterStatementExecution();
		}
	}

	private static long[] sorted(Array array) throws SQLException {
		Object[] values = (Object[]) array.getArray();
		long[] ids = Arrays.stream(values).mapToLong((value) -> ((Number) value).longValue()).toArray();
		Arrays.sort(ids);
		return ids;
	}

	@Override
	public EnumSet<EventType> getEventTypes() {
		return EventTypeSets.INSERT_ONLY;
	}

}
