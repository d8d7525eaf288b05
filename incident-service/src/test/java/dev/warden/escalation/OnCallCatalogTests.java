package dev.warden.escalation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.warden.escalation.Schedule.Layer;
import dev.warden.escalation.Schedule.ShiftLength;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class OnCallCatalogTests {

	private static final String USERS = """
			users:
			  - name: alice
			    full-name: Alice Archer
			    email: alice@example.com
			    slack-user-id: U0ALICE
			    time-zone: Europe/Berlin
			  - name: bob
			    email: bob@example.com
			""";

	@TempDir
	Path directory;

	@Test
	void loadsUsersAndSchedulesWithAllTheirFields() throws IOException {
		OnCallCatalog catalog = catalog(USERS + """
				schedules:
				  - name: primary
				    time-zone: Europe/Berlin
				    rotations:
				      - users: [alice, bob]
				        shift: 1w
				        handoff: 2026-11-02T09:00
				      - users: [bob]
				        shift: 12h
				        handoff: 2026-11-02T09:00
				        restrict: {days: [mon-fri], hours: 09:00-17:00}
				""");

		assertThat(catalog.problems()).isEmpty();
		assertThat(catalog.users()).containsExactly(
				new User("alice", "Alice Archer", "alice@example.com", "U0ALICE", ZoneId.of("Europe/Berlin")),
				new User("bob", "bob", "bob@example.com", null, ZoneId.of("UTC")));
		Schedule primary = catalog.schedule("primary").orElseThrow();
		assertThat(primary.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
		assertThat(primary.layers()).extracting(Layer::users, Layer::shift, Layer::handoff)
			.containsExactly(
					tuple(List.of("alice", "bob"), ShiftLength.ofDays(7), LocalDateTime.parse("2026-11-02T09:00")),
					tuple(List.of("bob"), ShiftLength.of(Duration.ofHours(12)),
							LocalDateTime.parse("2026-11-02T09:00")));
		assertThat(primary.layers().get(0).restriction()).isNull();
		assertThat(primary.layers().get(1).restriction().days()).hasSize(5);
		assertThat(primary.layers().get(1).restriction().from()).hasToString("09:00");
		assertThat(primary.layers().get(1).restriction().to()).hasToString("17:00");
	}

	@Test
	void reportsEveryScheduleProblemOnItsLine() throws IOException {
		OnCallCatalog catalog = catalog(USERS + """
				schedules:
				  - name: primary
				    time-zone: Europe/Berlni
				    rotations:
				      - users: [alice, bobb]
				        shift: 0d
				        handoff: next monday
				      - users: []
				        shift: 1w
				        handoff: 2026-11-02T09:00
				        restrict: {days: [mon-fry], hours: 9-5}
				  - name: secondary
				    time-zone: UTC
				    rotations: []
				    escalate: true
				""");

		assertThat(catalog.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(
					tuple(11,
							"schedule primary: time-zone 'Europe/Berlni' is not an IANA time zone like"
									+ " Europe/Berlin or UTC"),
					tuple(13, "schedule primary: rotation 1: unknown user 'bobb' (did you mean 'bob'?)"),
					tuple(14, "schedule primary: rotation 1: shift '0d' must be longer than 0"),
					tuple(15,
							"schedule primary: rotation 1: handoff 'next monday' is not a local date and time"
									+ " like 2026-11-02T09:00 (in the schedule's time zone)"),
					tuple(16, "schedule primary: rotation 2: users is empty; a rotation needs at least one user"),
					tuple(19,
							"schedule primary: rotation 2: restrict.days: 'mon-fry' is not a day or a range of"
									+ " days; write mon, tue, ... sun or a range like mon-fri"),
					tuple(19,
							"schedule primary: rotation 2: restrict.hours '9-5' must be a local time range like"
									+ " 09:00-17:00"),
					tuple(23,
							"schedule secondary: unknown key 'escalate' in a schedule; expected name, time-zone, rotations"),
					tuple(22, "schedule secondary: rotations is empty; a schedule needs at least one"));
		assertThat(catalog.problems()).allSatisfy(
				(problem) -> assertThat(problem.file()).isEqualTo(this.directory.resolve("oncall.yaml").toString()));
		assertThat(catalog.schedules()).isEmpty();
	}

	@Test
	void reportsUserProblemsOnTheirLines() throws IOException {
		OnCallCatalog catalog = catalog("""
				users:
				  - name: alice
				    email: alice.example.com
				    slack-user-id: alice
				    time-zone: CET
				  - name: Bob Baker
				    email: bob@example.com
				  - name: carol
				    email: carol@example.com
				  - name: carol
				    email: carol2@example.com
				schedules: []
				""");

		assertThat(catalog.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(tuple(3, "user alice: email 'alice.example.com' is not an email address"),
					tuple(4, "user alice: slack-user-id 'alice' is not a Slack member id; those look like U0123ABCD"),
					tuple(5, "user alice: time-zone 'CET' is not an IANA time zone like Europe/Berlin or UTC"),
					tuple(6, "user 2: name 'Bob Baker' must be lower-case letters, digits, dots, underscores and"
							+ " dashes, at most 64 characters"),
					tuple(10, "user 'carol' is already defined on line 8; user names must be unique"));
	}

	@Test
	void reportsBrokenYamlWithItsLine() throws IOException {
		OnCallCatalog catalog = catalog(USERS + """
				schedules:
				  - name: primary
				     time-zone: UTC
				""");

		assertThat(catalog.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.line()).isEqualTo(11);
			assertThat(problem.reason()).startsWith("not valid YAML: ");
		});
	}

	@Test
	void brokenReloadKeepsTheLastGoodVersion() throws IOException {
		OnCallCatalog catalog = catalog(USERS + """
				schedules:
				  - name: primary
				    time-zone: UTC
				    rotations:
				      - {users: [alice, bob], shift: 1d, handoff: 2026-11-02T09:00}
				""");
		write(USERS + """
				schedules:
				  - name: primary
				    time-zone: UTC
				    rotations:
				      - {users: [alice, zoe], shift: -1d, handoff: 2026-11-02T09:00}
				""");

		OnCallCatalog.LoadReport report = catalog.reload();

		assertThat(report.applied()).isFalse();
		assertThat(report.schedules()).containsExactly("primary");
		assertThat(report.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(tuple(13, "schedule primary: rotation 1: unknown user 'zoe'"),
					tuple(13, "schedule primary: rotation 1: shift '-1d' must be longer than 0"));
		assertThat(catalog.schedule("primary").orElseThrow().layers().get(0).users()).containsExactly("alice", "bob");
		assertThat(catalog.problems()).hasSize(2);

		write(USERS + "schedules: []\n");
		OnCallCatalog.LoadReport fixed = catalog.reload();

		assertThat(fixed.applied()).isTrue();
		assertThat(fixed.problems()).isEmpty();
		assertThat(catalog.schedules()).isEmpty();
		assertThat(catalog.problems()).isEmpty();
	}

	@Test
	void missingFileIsAProblemNotAFailedStart() {
		OnCallCatalog catalog = new OnCallCatalog(new OnCallSettings(this.directory.resolve("missing.yaml")));

		assertThat(catalog.users()).isEmpty();
		assertThat(catalog.problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.reason()).startsWith("the on-call file ")
				.endsWith("does not exist"));
	}

	@Test
	void reportsDuplicateSchedulesAndMissingKeys() throws IOException {
		OnCallCatalog catalog = catalog(USERS + """
				schedules:
				  - name: primary
				    time-zone: UTC
				    rotations:
				      - {users: [alice], shift: 1d, handoff: 2026-11-02T09:00}
				  - name: primary
				    time-zone: UTC
				    rotations:
				      - {users: [bob], handoff: 2026-11-02T09:00}
				      - {users: [bob], shift: 1d, handoff: 2026-11-02T09:00}
				""");

		assertThat(catalog.problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(tuple(17, "schedule primary: rotation 1: shift is missing"));

		write(USERS.replace("email: bob@example.com", "") + """
				schedules:
				  - name: primary
				    time-zone: UTC
				    rotations:
				      - {users: [alice], shift: 1d, handoff: 2026-11-02T09:00}
				  - name: primary
				    time-zone: UTC
				    rotations:
				      - {users: [alice], shift: 1d, handoff: 2026-11-02T09:00}
				""");

		assertThat(catalog.reload().problems()).extracting(OnCallProblem::line, OnCallProblem::reason)
			.containsExactly(tuple(7, "user bob: email is missing"),
					tuple(14, "schedule 'primary' is already defined on line 10; schedule names must be unique"));
	}

	private OnCallCatalog catalog(String text) throws IOException {
		write(text);
		return new OnCallCatalog(new OnCallSettings(this.directory.resolve("oncall.yaml")));
	}

	private void write(String text) throws IOException {
		Files.writeString(this.directory.resolve("oncall.yaml"), text);
	}

}
