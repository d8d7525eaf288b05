package dev.warden.web;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

import static org.assertj.core.api.Assertions.assertThat;

class TransientFailuresTests {

	@Test
	void databaseAwayPoolExhaustedAndLockConflictsAreTransient() {
		assertThat(TransientFailures.isTransient(new CannotCreateTransactionException("pool",
				new SQLTransientConnectionException("Connection is not available, request timed out after 3000ms"))))
			.isTrue();
		assertThat(TransientFailures.isTransient(new CannotAcquireLockException("lock"))).isTrue();
		assertThat(TransientFailures.isTransient(new JpaSystemException(new RuntimeException(
				new SQLException("terminating connection due to administrator command", "57P01")))))
			.isTrue();
		assertThat(TransientFailures.isTransient(new RuntimeException(new SQLException("Connection is closed"))))
			.isTrue();
	}

	@Test
	void bugsAndBadDataAreNot() {
		assertThat(TransientFailures.isTransient(new IllegalStateException("bug"))).isFalse();
		assertThat(TransientFailures
			.isTransient(new DataIntegrityViolationException("duplicate", new SQLException("duplicate key", "23505"))))
			.isFalse();
	}

}
