package dev.warden.escalation;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.warden.escalation.ScheduleTimeline.Lookup;
import dev.warden.escalation.ScheduleTimeline.OverrideSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The on-call file shipped in the jar, used when {@code warden.oncall.file} is unset. */
class DefaultOnCallFileTests {

	private final OnCallCatalog catalog = new OnCallCatalog(new OnCallSettings(null));

	@Test
	void shippedFileLoadsWithoutProblems() {
		assertThat(this.catalog.problems()).isEmpty();
		assertThat(this.catalog.users()).extracting(User::name).containsExactly("alice", "bob", "carol", "dave");
		assertThat(this.catalog.users()).allSatisfy((user) -> {
			assertThat(user.email()).endsWith("@example.com");
			assertThat(user.slackUserId()).startsWith("U0");
		});
		assertThat(this.catalog.schedules()).extracting(Schedule::name).containsExactly("ai-primary", "db-primary");
		assertThat(this.catalog.policies()).extracting(EscalationPolicy::name).containsExactly("default");
	}

	@Test
	void defaultPolicyPagesTheOnCallAtOnceThenTheLeads() {
		EscalationPolicy policy = this.catalog.policy("default").orElseThrow();

		assertThat(policy.repeat()).isEqualTo(1);
		assertThat(policy.levels()).containsExactly(
				new EscalationLevel(1, Duration.ZERO, List.of(), List.of("ai-primary"), List.of(), List.of()),
				new EscalationLevel(2, Duration.ofMinutes(15), List.of("carol", "dave"), List.of(),
						List.of("#ai-leads"), List.of()));
		assertThat(policy.levels().get(1).describeTargets()).isEqualTo("users carol and dave, slack #ai-leads");
	}

	@Test
	void aiPrimaryHandsOffWeeklyOnMondayAt0900Berlin() {
		Schedule schedule = this.catalog.schedule("ai-primary").orElseThrow();

		Lookup lookup = ScheduleTimeline.lookup(schedule, OverrideSource.NONE, Instant.parse("2027-07-15T12:00:00Z"));

		ZoneId berlin = ZoneId.of("Europe/Berlin");
		assertThat(lookup.current().start().atZone(berlin).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
		assertThat(lookup.current().start().atZone(berlin).toLocalTime()).isEqualTo(LocalTime.of(9, 0));
		assertThat(lookup.next().start()).isEqualTo(lookup.current().end());
		assertThat(lookup.next().end()).isEqualTo(lookup.next().start().plus(Duration.ofDays(7)));
	}

	@Test
	void dbPrimaryHandsOffDaily() {
		Schedule schedule = this.catalog.schedule("db-primary").orElseThrow();

		Lookup lookup = ScheduleTimeline.lookup(schedule, OverrideSource.NONE, Instant.parse("2027-07-15T12:00:00Z"));

		assertThat(Duration.between(lookup.current().start(), lookup.current().end())).hasHours(24);
		assertThat(lookup.next().user()).isNotEqualTo(lookup.current().user());
	}

}
