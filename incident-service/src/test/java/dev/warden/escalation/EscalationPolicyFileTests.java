package dev.warden.escalation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The on-call file's {@code escalation-policies}: what a valid policy becomes, and every
 * problem with its line and reason.
 */
class EscalationPolicyFileTests {

	/** Users and schedules on lines 1 to 9; policies start on line 11. */
	private static final String PEOPLE = """
			users:
			  - {name: alice, email: alice@example.com}
			  - {name: bob, email: bob@example.com}
			  - {name: carol, email: carol@example.com}
			schedules:
			  - name: ai-primary
			    time-zone: UTC
			    rotations:
			      - {users: [alice, bob], shift: 1w, handoff: 2026-11-02T09:00}
			escalation-policies:
			""";

	@TempDir
	Path directory;

	@Test
	void readsPoliciesWithTheirLevelsDelaysAndTargets() {
		OnCallParser.Result result = parse(PEOPLE + """
				  - name: default
				    repeat: 2
				    levels:
				      - delay: 0m
				        notify:
				          schedules: [ai-primary]
				      - delay: 15m
				        notify:
				          users: [carol, alice, carol]
				          slack: ["#ai-leads", C0123ABCDE]
				          email: [ai-leads@example.com]
				      - delay: 1h
				        notify: {users: [bob]}
				  - name: office.hours_only
				    levels:
				      - {delay: 1d, notify: {email: [leads@example.com]}}
				""");

		assertThat(result.problems()).isEmpty();
		assertThat(result.policies()).containsExactly(
				new EscalationPolicy("default", List.of(
						new EscalationLevel(1, Duration.ZERO, List.of(), List.of("ai-primary"), List.of(), List.of()),
						new EscalationLevel(2, Duration.ofMinutes(15), List.of("carol", "alice"), List.of(),
								List.of("#ai-leads", "C0123ABCDE"), List.of("ai-leads@example.com")),
						new EscalationLevel(3, Duration.ofHours(1), List.of("bob"), List.of(), List.of(), List.of())),
						2),
				new EscalationPolicy("office.hours_only", List.of(new EscalationLevel(1, Duration.ofHours(24),
						List.of(), List.of(), List.of(), List.of("leads@example.com"))), 0));
	}

	@Test
	void fileWithoutPoliciesHasNone() {
		OnCallParser.Result missing = parse(PEOPLE.replace("escalation-policies:\n", ""));
		OnCallParser.Result empty = parse(PEOPLE);

		assertThat(missing.problems()).isEmpty();
		assertThat(missing.policies()).isEmpty();
		assertThat(missing.schedules()).hasSize(1);
		assertThat(empty.problems()).isEmpty();
		assertThat(empty.policies()).isEmpty();
	}

	@Test
	void reportsNameLevelAndKeyProblemsOnTheirLines() {
		OnCallParser.Result result = parse(PEOPLE + """
				  - name: Default Policy
				    levels:
				      - {delay: 0m, notify: {users: [alice]}}
				  - levels:
				      - {delay: 0m, notify: {users: [alice]}}
				  - name: empty
				    levels: []
				  - name: nameless-levels
				  - name: typos
				    repeats: 1
				    levels:
				      - delays: 5m
				        notify: {user: [alice]}
				  - name: ok
				    levels:
				      - {delay: 0m, notify: {users: [alice]}}
				  - name: ok
				    levels:
				      - {delay: 5m, notify: {users: [bob]}}
				  - just text
				""");

		assertThat(result.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(
					tuple(11,
							"escalation policy Default Policy: name 'Default Policy' must be lower-case letters,"
									+ " digits, dots, underscores and dashes, at most 64 characters"),
					tuple(14, "escalation policy 2: name is missing"),
					tuple(17,
							"escalation policy empty: levels is empty; an escalation policy needs at least one level"),
					tuple(18, "escalation policy nameless-levels: levels is missing"),
					tuple(20,
							"escalation policy typos: unknown key 'repeats' in an escalation policy (did you mean"
									+ " 'repeat'?); expected name, repeat, levels"),
					tuple(22,
							"escalation policy typos: level 1: unknown key 'delays' in a level (did you mean"
									+ " 'delay'?); expected delay, notify"),
					tuple(22, "escalation policy typos: level 1: delay is missing"),
					tuple(23,
							"escalation policy typos: level 1: unknown key 'user' in notify (did you mean 'users'?);"
									+ " expected users, schedules, slack, email"),
					tuple(27,
							"escalation policy 'ok' is already defined on line 24; escalation policy names must be"
									+ " unique"),
					tuple(30, "escalation policy 8: an escalation policy must be a mapping of keys to values, with keys"
							+ " name, repeat, levels"));
		assertThat(result.policies()).extracting(EscalationPolicy::name).containsExactly("ok");
		assertThat(result.policies().get(0).levels()).singleElement()
			.satisfies((level) -> assertThat(level.users()).containsExactly("alice"));
	}

	@Test
	void reportsDelayAndRepeatProblems() {
		OnCallParser.Result result = parse(PEOPLE + """
				  - name: delays
				    levels:
				      - {delay: soon, notify: {users: [alice]}}
				      - {delay: -5m, notify: {users: [alice]}}
				      - {delay: 25h, notify: {users: [alice]}}
				      - {delay: 1w, notify: {users: [alice]}}
				      - {delay: 15, notify: {users: [alice]}}
				      - {delay: 24h, notify: {users: [alice]}}
				  - name: too-often
				    repeat: 11
				    levels: [{delay: 5m, notify: {users: [alice]}}]
				  - name: negative
				    repeat: -1
				    levels: [{delay: 5m, notify: {users: [alice]}}]
				  - name: words
				    repeat: twice
				    levels: [{delay: 5m, notify: {users: [alice]}}]
				  - name: at-once-forever
				    repeat: 3
				    levels:
				      - {delay: 0m, notify: {users: [alice]}}
				      - {delay: 0h, notify: {users: [bob]}}
				  - name: at-once-once
				    repeat: 0
				    levels:
				      - {delay: 0m, notify: {users: [alice]}}
				      - {delay: 0m, notify: {users: [bob]}}
				""");

		assertThat(result.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(
					tuple(13,
							"escalation policy delays: level 1: delay 'soon' is not a duration; write a whole number"
									+ " and a unit, like 0m, 30s, 15m or 1h"),
					tuple(14, "escalation policy delays: level 2: delay '-5m' must not be negative"),
					tuple(15, "escalation policy delays: level 3: delay '25h' is longer than the longest delay, 24h"),
					tuple(16, "escalation policy delays: level 4: delay '1w' is longer than the longest delay, 24h"),
					tuple(17,
							"escalation policy delays: level 5: delay '15' is not a duration; write a whole number"
									+ " and a unit, like 0m, 30s, 15m or 1h"),
					tuple(20, "escalation policy too-often: repeat '11' must be a whole number from 0 to 10"),
					tuple(23, "escalation policy negative: repeat '-1' must be a whole number from 0 to 10"),
					tuple(26, "escalation policy words: repeat 'twice' must be a whole number from 0 to 10"),
					tuple(29, "escalation policy at-once-forever: repeat 3 needs a delay: every level's delay is 0m,"
							+ " so the policy would repeat at once; give a level a delay or remove repeat"));
		assertThat(result.policies()).singleElement().satisfies((policy) -> {
			assertThat(policy.name()).isEqualTo("at-once-once");
			assertThat(policy.levels()).extracting(EscalationLevel::delay)
				.containsExactly(Duration.ZERO, Duration.ZERO);
		});
	}

	@Test
	void reportsTargetsThatAreNotDeclaredOrNotValid() {
		OnCallParser.Result result = parse(PEOPLE + """
				  - name: targets
				    levels:
				      - delay: 0m
				        notify:
				          users: [carl, zoe, alice]
				          schedules: [ai-primry, web-oncall]
				      - delay: 5m
				        notify:
				          slack: [ai-leads, "#AI-Leads", "#ai-leads", C12]
				          email: [leads.example.com, "", leads@example.com]
				      - delay: 10m
				        notify: {}
				      - delay: 15m
				        notify: {users: [], slack: ~}
				      - delay: 20m
				      - delay: 25m
				        notify: {users: carol}
				""");

		assertThat(result.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(
					tuple(15, "escalation policy targets: level 1: unknown user 'carl' (did you mean 'carol'?)"),
					tuple(15, "escalation policy targets: level 1: unknown user 'zoe'"),
					tuple(16,
							"escalation policy targets: level 1: unknown schedule 'ai-primry' (did you mean"
									+ " 'ai-primary'?)"),
					tuple(16, "escalation policy targets: level 1: unknown schedule 'web-oncall'"),
					tuple(19,
							"escalation policy targets: level 2: slack 'ai-leads' is not a Slack channel like"
									+ " #ai-leads (lower-case) or a channel id like C0123ABCD"),
					tuple(19,
							"escalation policy targets: level 2: slack '#AI-Leads' is not a Slack channel like"
									+ " #ai-leads (lower-case) or a channel id like C0123ABCD"),
					tuple(19,
							"escalation policy targets: level 2: slack 'C12' is not a Slack channel like #ai-leads"
									+ " (lower-case) or a channel id like C0123ABCD"),
					tuple(20, "escalation policy targets: level 2: email 'leads.example.com' is not an email address"),
					tuple(20,
							"escalation policy targets: level 2: notify.email must be a list of non-empty text values"),
					tuple(22,
							"escalation policy targets: level 3: notify names no one; a level needs at least one of"
									+ " users, schedules, slack, email"),
					tuple(24,
							"escalation policy targets: level 4: notify names no one; a level needs at least one of"
									+ " users, schedules, slack, email"),
					tuple(25, "escalation policy targets: level 5: notify is missing"),
					tuple(27, "escalation policy targets: level 6: notify.users must be a list"));
		assertThat(result.policies()).isEmpty();
	}

	@Test
	void targetsOnABrokenScheduleOrUserAreReportedOnce() {
		OnCallParser.Result result = parse("""
				users:
				  - {name: alice, email: alice@example.com}
				  - {name: bob, email: not-an-address}
				schedules:
				  - name: broken
				    time-zone: Mars/Olympus
				    rotations:
				      - {users: [alice], shift: 1d, handoff: 2026-11-02T09:00}
				escalation-policies:
				  - name: default
				    levels:
				      - {delay: 0m, notify: {users: [bob], schedules: [broken]}}
				""");

		assertThat(result.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(tuple(3, "user bob: email 'not-an-address' is not an email address"),
					tuple(6, "schedule broken: time-zone 'Mars/Olympus' is not an IANA time zone like Europe/Berlin"
							+ " or UTC"));
	}

	@Test
	void policiesMustBeAList() {
		OnCallParser.Result result = parse(PEOPLE + "  default: {levels: []}\n");

		assertThat(result.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(tuple(11, "escalation-policies must be a list"));
	}

	@Test
	void brokenReloadKeepsTheLastGoodPolicies() throws IOException {
		write(PEOPLE + """
				  - name: default
				    repeat: 1
				    levels:
				      - {delay: 0m, notify: {schedules: [ai-primary]}}
				      - {delay: 15m, notify: {users: [carol]}}
				""");
		OnCallCatalog catalog = new OnCallCatalog(new OnCallSettings(this.directory.resolve("oncall.yaml")));
		assertThat(catalog.problems()).isEmpty();
		EscalationPolicy loaded = catalog.policy("default").orElseThrow();

		write(PEOPLE.replace("{name: carol", "{name: dave") + """
				  - name: default
				    levels:
				      - {delay: 0m, notify: {schedules: [ai-primary]}}
				      - {delay: 15m, notify: {users: [dave]}}
				  - name: later
				    levels:
				      - {delay: 90m, notify: {users: [carol]}}
				""");
		OnCallCatalog.LoadReport broken = catalog.reload();

		assertThat(broken.applied()).isFalse();
		assertThat(broken.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(tuple(17, "escalation policy later: level 1: unknown user 'carol'"));
		assertThat(broken.policies()).containsExactly("default");
		assertThat(catalog.policy("default")).contains(loaded);
		assertThat(catalog.policy("later")).isEmpty();
		assertThat(catalog.users()).extracting(User::name).contains("carol").doesNotContain("dave");

		write(PEOPLE.replace("{name: carol", "{name: dave") + """
				  - name: later
				    levels:
				      - {delay: 90m, notify: {users: [dave]}}
				""");
		OnCallCatalog.LoadReport fixed = catalog.reload();

		assertThat(fixed.applied()).isTrue();
		assertThat(fixed.policies()).containsExactly("later");
		assertThat(catalog.policies()).extracting(EscalationPolicy::name).containsExactly("later");
		assertThat(catalog.policy("default")).isEmpty();
		assertThat(catalog.policy("later").orElseThrow().levels().get(0).delay()).isEqualTo(Duration.ofMinutes(90));
	}

	private static OnCallParser.Result parse(String text) {
		return OnCallParser.parse("oncall.yaml", text);
	}

	private void write(String text) throws IOException {
		Files.writeString(this.directory.resolve("oncall.yaml"), text);
	}

}
