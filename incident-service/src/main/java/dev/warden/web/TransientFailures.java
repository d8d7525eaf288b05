package dev.warden.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells trouble that goes away by itself (database down or restarting, pool exhausted,
 * timeouts, lock conflicts) from bugs. Transient trouble answers 503 so that Alertmanager
 * retries.
 */
public final class TransientFailures {

	private TransientFailures() {
	}

	/** True when the exception or one of its causes is transient. */
	public static boolean isTransient(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof TransientDataAccessException || cause instanceof DataAccessResourceFailureException
					|| cause instanceof CannotCreateTransactionException || cause instanceof SQLTransientException
					|| cause instanceof SQLRecoverableException
					|| cause instanceof SQLNonTransientConnectionException) {
				return true;
			}
			if (cause instanceof SQLException sql
					&& (isTransientSqlState(sql.getSQLState()) || isClosedPooledConnection(sql))) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/**
	 * HikariCP reports use of a connection the database dropped with this message and no
	 * SQL state; it surfaces when the rollback after a dropped connection fails and hides
	 * the original error.
	 */
	private static boolean isClosedPooledConnection(SQLException ex) {
		return ex.getSQLState() == null && "Connection is closed".equals(ex.getMessage());
	}

	private static boolean isTransientSqlState(String state) {
		if (state == null) {
			return false;
		}
		// 08: connection exception, 53: insufficient resources, 57P: operator
		// intervention
		// (shutdown, cannot connect now), 40001/40P01: serialization failure and
		// deadlock,
		// 55P03: lock not available, 57014: query cancelled (statement timeout).
		return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.equals("40001")
				|| state.equals("40P01") || state.equals("55P03") || state.equals("57014");
	}

}
