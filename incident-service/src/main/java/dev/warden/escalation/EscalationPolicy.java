package dev.warden.escalation;

import java.util.List;
import java.util.Objects;

/**
 * Who to notify, level by level, while an incident stays unacknowledged, as declared in
 * the on-call file's {@code escalation-policies}.
 * <p>
 * Level 1 starts its delay when the incident opens, every later level when the level
 * before it notified. After the last level the whole policy runs again from level 1,
 * {@code repeat} more times; the delays of a policy that repeats never add up to zero.
 *
 * @param name the unique id routes refer to, like {@code default}
 * @param levels the levels in order, numbered from 1; never empty
 * @param repeat how many more times the whole policy runs after its last level, 0 to 10
 */
public record EscalationPolicy(String name, List<EscalationLevel> levels, int repeat) {

	/** The most times a policy may run again after its last level. */
	static final int MAX_REPEAT = 10;

	public EscalationPolicy {
		Objects.requireNonNull(name, "name");
		levels = List.copyOf(levels);
		if (levels.isEmpty()) {
			throw new IllegalArgumentException("An escalation policy needs at least one level");
		}
		for (int i = 0; i < levels.size(); i++) {
			if (levels.get(i).number() != i + 1) {
				throw new IllegalArgumentException("Level " + (i + 1) + " of escalation policy " + name
						+ " is numbered " + levels.get(i).number());
			}
		}
		if (repeat < 0 || repeat > MAX_REPEAT) {
			throw new IllegalArgumentException("repeat must be from 0 to " + MAX_REPEAT + ", not " + repeat);
		}
		if (repeat > 0 && levels.stream().allMatch((level) -> level.delay().isZero())) {
			throw new IllegalArgumentException("A policy that repeats needs a delay; every delay is zero");
		}
	}

}
