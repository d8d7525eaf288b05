package dev.warden.escalation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EscalationPolicyTests {

	private static final EscalationLevel AT_ONCE = new EscalationLevel(1, Duration.ZERO, List.of(),
			List.of("ai-primary"), List.of(), List.of());

	@Test
	void describesEveryKindOfTargetInOrder() {
		EscalationLevel level = new EscalationLevel(2, Duration.ofMinutes(15), List.of("carol"), List.of("ai-primary"),
				List.of("#ai-leads"), List.of("ai-leads@example.com"));

		assertThat(level.describeTargets())
			.isEqualTo("users carol, schedules ai-primary, slack #ai-leads, email ai-leads@example.com");
	}

	@Test
	void describesOnlyTheKindsALevelHas() {
		EscalationLevel level = new EscalationLevel(1, Duration.ZERO, List.of("alice", "bob", "carol"), List.of(),
				List.of("#ai-leads", "C0123ABCDE"), List.of());

		assertThat(level.describeTargets()).isEqualTo("users alice, bob and carol, slack #ai-leads and C0123ABCDE");
		assertThat(AT_ONCE.describeTargets()).isEqualTo("schedules ai-primary");
	}

	@Test
	void keepsCopiesOfItsLists() {
		List<String> users = new ArrayList<>(List.of("carol"));
		List<EscalationLevel> levels = new ArrayList<>(List.of(AT_ONCE));
		EscalationLevel level = new EscalationLevel(2, Duration.ofMinutes(5), users, List.of(), List.of(), List.of());
		levels.add(level);
		EscalationPolicy policy = new EscalationPolicy("default", levels, 1);

		users.add("dave");
		levels.clear();

		assertThat(level.users()).containsExactly("carol");
		assertThat(policy.levels()).containsExactly(AT_ONCE, level);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> level.users().add("erin"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> policy.levels().clear());
	}

	@Test
	void levelNeedsATargetAndADelayFromZeroTo24Hours() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new EscalationLevel(1, Duration.ZERO, List.of(), List.of(), List.of(), List.of()))
			.withMessage("Level 1 notifies no one");
		assertThatIllegalArgumentException().isThrownBy(
				() -> new EscalationLevel(1, Duration.ofMinutes(-1), List.of("a"), List.of(), List.of(), List.of()));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new EscalationLevel(1, Duration.ofHours(25), List.of("a"), List.of(), List.of(), List.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new EscalationLevel(0, Duration.ZERO, List.of("a"), List.of(), List.of(), List.of()));
		assertThat(new EscalationLevel(1, Duration.ofHours(24), List.of("a"), List.of(), List.of(), List.of()).delay())
			.hasHours(24);
	}

	@Test
	void policyNeedsNumberedLevelsAndARepeatThatWaits() {
		EscalationLevel second = new EscalationLevel(2, Duration.ofMinutes(5), List.of("a"), List.of(), List.of(),
				List.of());

		assertThatIllegalArgumentException().isThrownBy(() -> new EscalationPolicy("default", List.of(), 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new EscalationPolicy("default", List.of(second), 0))
			.withMessage("Level 1 of escalation policy default is numbered 2");
		assertThatIllegalArgumentException().isThrownBy(() -> new EscalationPolicy("default", List.of(AT_ONCE), 1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new EscalationPolicy("default", List.of(AT_ONCE, second), 11));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new EscalationPolicy("default", List.of(AT_ONCE, second), -1));
		assertThat(new EscalationPolicy("default", List.of(AT_ONCE, second), 10).repeat()).isEqualTo(10);
		assertThat(new EscalationPolicy("default", List.of(AT_ONCE), 0).levels()).containsExactly(AT_ONCE);
	}

}
