package dev.warden.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.warden.matching.LabelMatcher;

/**
 * Keeps alerts whose labels match all of its matchers quiet from {@code startsAt} until
 * {@code endsAt}, or until someone expires it: such alerts are recorded but notify no
 * one.
 *
 * @param id the silence's id
 * @param matchers all must match an alert's labels
 * @param startsAt when it starts silencing
 * @param endsAt when it stops silencing
 * @param createdBy who created it
 * @param createdAt when it was created
 * @param comment why
 * @param expiredBy who expired it by hand, or null
 * @param expiredAt when it was expired by hand, or null
 * @param alertmanager where its copy in Alertmanager is; null when it is not copied (no
 * Alertmanager was configured when it was created)
 */
public record Silence(SilenceId id, List<LabelMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
		Instant createdAt, String comment, String expiredBy, Instant expiredAt, AlertmanagerCopy alertmanager) {

	public Silence {
		Objects.requireNonNull(id, "id");
		matchers = List.copyOf(matchers);
	}

	/** Where the silence is at this instant. */
	public SilenceState stateAt(Instant at) {
		if (!at.isBefore(this.endsAt) || (this.expiredAt != null && !at.isBefore(this.expiredAt))) {
			return SilenceState.EXPIRED;
		}
		return at.isBefore(this.startsAt) ? SilenceState.PENDING : SilenceState.ACTIVE;
	}

	/** True when the silence is active at this instant and matches these labels. */
	public boolean silences(Map<String, String> labels, Instant at) {
		return stateAt(at) == SilenceState.ACTIVE && this.matchers.stream().allMatch((m) -> m.matches(labels));
	}

}
