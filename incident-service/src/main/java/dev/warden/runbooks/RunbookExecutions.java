package dev.warden.runbooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** All runbook executions. */
interface RunbookExecutions extends JpaRepository<RunbookExecution, Long> {

	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select e from RunbookExecution e where e.id = :id")
	Optional<RunbookExecution> findByIdForUpdate(long id);

	List<RunbookExecution> findByIncidentIdOrderByCreatedAtDesc(long incidentId);

	List<RunbookExecution> findTop100ByOrderByCreatedAtDesc();

	@Query("""
			select count(e) from RunbookExecution e where e.runbookId = :runbookId and e.incidentId = :incidentId
			and e.createdAt >= :since and e.status not in (dev.warden.runbooks.ExecutionStatus.CANCELLED)""")
	long countForIncidentSince(String runbookId, long incidentId, Instant since);

	@Query("""
			select max(e.createdAt) from RunbookExecution e where e.runbookId = :runbookId
			and e.incidentId = :incidentId and e.status not in (dev.warden.runbooks.ExecutionStatus.CANCELLED)""")
	Optional<Instant> lastRunForIncident(String runbookId, long incidentId);

	/**
	 * Runs whose approval window passed, locked in id order: an approval that expires
	 * them at the same moment locks its run before the incident, as this does, so the two
	 * queue instead of deadlocking (the expiry used to lock the incident first and the
	 * run only when it wrote it).
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("""
			select e from RunbookExecution e where e.status = dev.warden.runbooks.ExecutionStatus.AWAITING_APPROVAL
			and e.approvalExpiresAt <= :now order by e.id""")
	List<RunbookExecution> findExpiredApprovals(Instant now);

}
