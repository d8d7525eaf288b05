package dev.warden.incidents;

import java.util.EnumMap;
import java.util.Map;

/**
 * How many incidents a query matches, by status and by severity.
 *
 * @param byStatus count per status, every status present
 * @param bySeverity count per severity, every severity present
 */
public record IncidentCounts(Map<IncidentStatus, Long> byStatus, Map<Severity, Long> bySeverity) {

	public IncidentCounts {
		byStatus = Map.copyOf(byStatus);
		bySeverity = Map.copyOf(bySeverity);
	}

	/** All matching incidents. */
	public long total() {
		return this.byStatus.values().stream().mapToLong(Long::longValue).sum();
	}

	static IncidentCounts of(Iterable<Object[]> rows) {
		Map<IncidentStatus, Long> byStatus = new EnumMap<>(IncidentStatus.class);
		Map<Severity, Long> bySeverity = new EnumMap<>(Severity.class);
		for (IncidentStatus status : IncidentStatus.values()) {
			byStatus.put(status, 0L);
		}
		for (Severity severity : Severity.values()) {
			bySeverity.put(severity, 0L);
		}
		for (Object[] row : rows) {
			long count = ((Number) row[2]).longValue();
			byStatus.merge((IncidentStatus) row[0], count, Long::sum);
			bySeverity.merge((Severity) row[1], count, Long::sum);
		}
		return new IncidentCounts(byStatus, bySeverity);
	}

}
