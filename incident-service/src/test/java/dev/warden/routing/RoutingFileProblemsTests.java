package dev.warden.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The routing file is checked completely: every problem with its file, line and reason.
 */
class RoutingFileProblemsTests {

	private static final Instant NOW = Instant.parse("2026-06-10T12:00:00Z");

	private static final String GOOD = """
			route:
			  team: ml-platform
			  routes:
			    - name: database
			      match: [alertname="DatabasePortDown"]
			      team: data-platform
			""";

	@TempDir
	Path directory;

	@Test
	void reportsEveryProblemWithFileAndLine() throws IOException {
		Path file = write("""
				route:
				  team: ml-platform
				  colour: blue
				  routes:
				    - name: database
				      match:
				        - alertname=="DatabasePortDown"
				        - 'db=~"(unclosed"'
				      severity: urgent
				      continue: maybe
				      notify:
				        slack: ["#DB Oncall"]
				        email: [oncall@example.com, not-an-address]
				        pager: [x]
				    - name: database
				      mute:
				        - days: [mon, funday]
				          from: "25:00"
				          to: "08:00"
				          timezone: Mars/Olympus
				        - from: "08:00"
				""");

		Routing routing = new Routing(new RoutingSettings(file));

		assertThat(routing.problems()).extracting(RoutingProblem::file).containsOnly(file.toString());
		assertThat(routing.problems()).extracting(RoutingProblem::line, RoutingProblem::reason)
			.satisfiesExactlyInAnyOrder((problem) -> assertProblem(problem, 3, "unknown key 'colour'"),
					(problem) -> assertProblem(problem, 7, "match: 'alertname==\"DatabasePortDown\"'"),
					(problem) -> assertProblem(problem, 8, "not a valid regular expression"),
					(problem) -> assertProblem(problem, 9,
							"severity must be one of critical, high, warning, info, not 'urgent'"),
					(problem) -> assertProblem(problem, 10, "continue must be true or false, not 'maybe'"),
					(problem) -> assertProblem(problem, 12, "'#DB Oncall' is not a Slack channel"),
					(problem) -> assertProblem(problem, 13, "'not-an-address' is not an email address"),
					(problem) -> assertProblem(problem, 14, "unknown key 'pager' in notify"),
					(problem) -> assertProblem(problem, 15,
							"two child routes are named 'database' (the first on line 5)"),
					(problem) -> assertProblem(problem, 17, "days: 'funday' is not a day"),
					(problem) -> assertProblem(problem, 18, "from must be a time of day as HH:mm"),
					(problem) -> assertProblem(problem, 20, "timezone 'Mars/Olympus' is not a time zone"),
					(problem) -> assertProblem(problem, 21, "from and to go together"));
		assertThat(routing.problems().get(1).reason()).startsWith("route root > database: ");
	}

	@Test
	void reportsAMatcherRe2RefusesWithFileLineAndMatcher() throws IOException {
		Path file = write(GOOD.replace("match: [alertname=\"DatabasePortDown\"]", """
				match:
				        - alertname="DatabasePortDown"
				        - 'instance=~"(db)-\\\\1"'
				        - 'job!~"(?!api).*"'""".strip()));

		Routing routing = new Routing(new RoutingSettings(file));

		assertThat(routing.problems()).extracting(RoutingProblem::file).containsOnly(file.toString());
		assertThat(routing.problems()).extracting(RoutingProblem::line, RoutingProblem::reason)
			.satisfiesExactly(
					(problem) -> assertProblem(problem, 7,
							"match: 'instance=~\"(db)-\\\\1\"': \"(db)-\\1\" is not"
									+ " a valid regular expression in RE2"),
					(problem) -> assertProblem(problem, 8, "'job!~\"(?!api).*\"'"));
	}

	@Test
	void reportsBrokenYamlWithItsLine() throws IOException {
		Path file = write("""
				route:
				  team: ml-platform
				  routes:
				    - name: [unclosed
				""");

		Routing routing = new Routing(new RoutingSettings(file));

		assertThat(routing.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.line()).isEqualTo(5);
			assertThat(problem.reason()).startsWith("not valid YAML");
		});
	}

	@Test
	void rootRouteMayNotMatchOrContinueAndTheFileNeedsOne() throws IOException {
		assertThat(new Routing(new RoutingSettings(write("""
				route:
				  match: [env="prod"]
				  continue: true
				"""))).problems()).extracting(RoutingProblem::line, RoutingProblem::reason)
			.containsExactly(tuple(2,
					"route root: the root route matches every alert and may not have match; add a child route"),
					tuple(3, "route root: the root route has no siblings and may not have continue"));
		assertThat(new Routing(new RoutingSettings(write("routes: []\n"))).problems())
			.extracting(RoutingProblem::reason)
			.containsExactly("unknown key 'routes' in the routing file; expected route",
					"route is missing; the file needs a root route under 'route:'");
		assertThat(new Routing(new RoutingSettings(write(""))).problems()).extracting(RoutingProblem::reason)
			.containsExactly("the file is empty; it needs a root route under 'route:'");
	}

	@Test
	void missingFileAtStartLeavesAnEmptyRootRouteInsteadOfFailing() {
		Path missing = this.directory.resolve("nowhere.yaml");

		Routing routing = new Routing(new RoutingSettings(missing));

		assertThat(routing.problems()).singleElement()
			.extracting(RoutingProblem::reason)
			.asString()
			.contains("does not exist");
		assertThat(routing.route(Map.of("alertname", "DatabasePortDown"), NOW)).singleElement().satisfies((root) -> {
			assertThat(root.path()).isEqualTo("root");
			assertThat(root.targets().isEmpty()).isTrue();
			assertThat(root.team()).isNull();
		});
	}

	@Test
	void brokenReloadKeepsTheLastGoodTreeAndAGoodOneReplacesIt() throws IOException {
		Path file = write(GOOD);
		Routing routing = new Routing(new RoutingSettings(file));
		assertThat(team(routing)).isEqualTo("data-platform");

		write(GOOD.replace("team: data-platform", "team: data-platform\n      severity: urgent"));
		LoadReport broken = routing.reload();

		assertThat(broken.applied()).isFalse();
		assertThat(broken.routes()).isEqualTo(2);
		assertThat(broken.problems()).extracting(RoutingProblem::line).containsExactly(7);
		assertThat(routing.problems()).isEqualTo(broken.problems());
		assertThat(team(routing)).isEqualTo("data-platform");

		Files.delete(file);
		assertThat(routing.reload().problems()).extracting(RoutingProblem::reason)
			.singleElement()
			.asString()
			.contains("does not exist");
		assertThat(team(routing)).isEqualTo("data-platform");

		write(GOOD.replace("team: data-platform", "team: storage"));
		LoadReport fixed = routing.reload();

		assertThat(fixed.applied()).isTrue();
		assertThat(fixed.problems()).isEmpty();
		assertThat(routing.problems()).isEmpty();
		assertThat(team(routing)).isEqualTo("storage");
	}

	private static void assertProblem(org.assertj.core.groups.Tuple problem, int line, String reason) {
		assertThat(problem.toList()).element(0).isEqualTo(line);
		assertThat((String) problem.toList().get(1)).contains(reason);
	}

	private static String team(Routing routing) {
		return routing.route(Map.of("alertname", "DatabasePortDown"), NOW).get(0).team();
	}

	private Path write(String yaml) throws IOException {
		return Files.writeString(this.directory.resolve("routing.yaml"), yaml);
	}

}
