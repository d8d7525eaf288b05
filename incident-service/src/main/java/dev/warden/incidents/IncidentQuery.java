package dev.warden.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.persistence.criteria.Predicate;

import org.springframework.data.jpa.domain.Specification;

/**
 * Which incidents to list. Every filter is optional; empty sets and nulls mean "any".
 *
 * @param statuses any of these statuses
 * @param severities any of these severities
 * @param service exactly this service
 * @param team exactly this team
 * @param detectedFrom detected at or after
 * @param detectedTo detected before
 * @param text words the title contains (case-insensitive), or null
 */
public record IncidentQuery(Set<IncidentStatus> statuses, Set<Severity> severities, String service, String team,
		Instant detectedFrom, Instant detectedTo, String text) {

	/** The longest search text; longer is a mistake, not a search. */
	static final int MAX_TEXT = 200;

	public IncidentQuery(Set<IncidentStatus> statuses, Set<Severity> severities, String service, String team,
			Instant detectedFrom, Instant detectedTo) {
		this(statuses, severities, service, team, detectedFrom, detectedTo, null);
	}

	public IncidentQuery {
		statuses = (statuses != null) ? Set.copyOf(statuses) : Set.of();
		severities = (severities != null) ? Set.copyOf(severities) : Set.of();
		if (detectedFrom != null && detectedTo != null && !detectedFrom.isBefore(detectedTo)) {
			throw new InvalidIncidentInput("The time range is empty: 'from' must be before 'to'");
		}
		text = (text != null && !text.isBlank()) ? text.strip() : null;
		if (text != null && text.length() > MAX_TEXT) {
			throw new InvalidIncidentInput("The search text is longer than " + MAX_TEXT + " characters");
		}
	}

	/** Every incident. */
	public static IncidentQuery all() {
		return new IncidentQuery(null, null, null, null, null, null, null);
	}

	Specification<Incident> toSpecification() {
		return (root, query, builder) -> {
			List<Predicate> predicates = new ArrayList<>();
			if (!this.statuses.isEmpty()) {
				predicates.add(root.get("status").in(this.statuses));
			}
			if (!this.severities.isEmpty()) {
				predicates.add(root.get("severity").in(this.severities));
			}
			if (this.service != null) {
				predicates.add(builder.equal(root.get("service"), this.service));
			}
			if (this.team != null) {
				predicates.add(builder.equal(root.get("team"), this.team));
			}
			if (this.detectedFrom != null) {
				predicates
					.add(builder.greaterThanOrEqualTo(root.get("milestones").get("detectedAt"), this.detectedFrom));
			}
			if (this.detectedTo != null) {
				predicates.add(builder.lessThan(root.get("milestones").get("detectedAt"), this.detectedTo));
			}
			if (this.text != null) {
				for (String word : this.text.toLowerCase(java.util.Locale.ROOT).split("\\s+")) {
					String escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
					predicates.add(builder.like(builder.lower(root.get("title")), "%" + escaped + "%", '\\'));
				}
			}
			return builder.and(predicates.toArray(Predicate[]::new));
		};
	}

}
