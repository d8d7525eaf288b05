package dev.warden.incidents;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/**
 * All incidents. Writers lock the incident row, so one group's changes never interleave.
 */
interface Incidents extends JpaRepository<Incident, Long>, JpaSpecificationExecutor<Incident> {

	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select i from Incident i where i.groupHash = :groupHash and i.status <> dev.warden.incidents.IncidentStatus.RESOLVED")
	Optional<Incident> findOpenForUpdate(String groupHash);

	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("""
			select i from Incident i where i.groupHash = :groupHash and i.status = dev.warden.incidents.IncidentStatus.RESOLVED
			order by i.milestones.resolvedAt desc, i.id desc limit 1""")
	Optional<Incident> findLatestResolvedForUpdate(String groupHash);

	/** The incident a declaration with this key opened. */
	Optional<Incident> findByDeclarationKey(String declarationKey);

	/** Whether any incident was merged into this one. */
	boolean existsByMergedInto(Long mergedInto);

	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select i from Incident i where i.id = :id")
	Optional<Incident> findByIdForUpdate(long id);

	@Query("""
			select distinct a.incident.id from Alert a
			where a.status = dev.warden.incidents.AlertStatus.FIRING and a.lastSeenAt < :cutoff""")
	List<Long> findIdsWithFiringAlertsNotSeenSince(Instant cutoff);

	long countByStatusNot(IncidentStatus status);

}
