package dev.warden.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** How the routing tree finds the routes of an alert, as Alertmanager does. */
class RoutingTreeTests {

	private static final Instant NOON = Instant.parse("2026-06-10T12:00:00Z");

	@TempDir
	Path directory;

	@Test
	void alertThatMatchesNoChildGoesToTheRootRoute() throws IOException {
		Routing routing = routing("""
				route:
				  team: ml-platform
				  notify: {slack: ["#ai-oncall"]}
				  routes:
				    - name: database
				      match: [alertname="DatabasePortDown"]
				""");

		List<RouteDecision> decisions = routing.route(Map.of("alertname", "HighCpuUsage"), NOON);

		assertThat(decisions).extracting(RouteDecision::path).containsExactly("root");
		assertThat(decisions.get(0).team()).isEqualTo("ml-platform");
		assertThat(decisions.get(0).targets().slack()).containsExactly("#ai-oncall");
	}

	@Test
	void alertWithoutLabelsStillHasTheRootRoute() throws IOException {
		Routing routing = routing("""
				route:
				  team: ml-platform
				""");

		assertThat(routing.route(null, NOON)).extracting(RouteDecision::path).containsExactly("root");
	}

	@Test
	void matchersFollowAlertmanagerSyntax() throws IOException {
		Routing routing = routing("""
				route:
				  routes:
				    - name: equal
				      match: [alertname="DatabasePortDown"]
				    - name: regex
				      match: ['alertname=~"Model.*|DataDrift.+"']
				    - name: not-equal-and-not-regex
				      match: [env!="dev", 'instance!~"10\\\\..*"', service=api]
				""");

		assertThat(paths(routing, Map.of("alertname", "DatabasePortDown"))).containsExactly("root > equal");
		assertThat(paths(routing, Map.of("alertname", "ModelAccuracyLow"))).containsExactly("root > regex");
		assertThat(paths(routing, Map.of("alertname", "DataDrift"))).as("regex is anchored and .+ needs a character")
			.containsExactly("root");
		assertThat(paths(routing, Map.of("alertname", "XModelAccuracyLow"))).as("regex is anchored at the start")
			.containsExactly("root");
		assertThat(paths(routing, Map.of("service", "api", "env", "prod", "instance", "192.168.0.1:80")))
			.containsExactly("root > not-equal-and-not-regex");
		assertThat(paths(routing, Map.of("service", "api", "env", "dev"))).containsExactly("root");
		assertThat(paths(routing, Map.of("service", "api", "instance", "10.0.0.1:80"))).containsExactly("root");
		assertThat(paths(routing, Map.of("service", "api"))).as("a missing label is the empty string, not 'dev'")
			.containsExactly("root > not-equal-and-not-regex");
	}

	@Test
	void firstMatchingSiblingWinsUnlessItContinues() throws IOException {
		Routing routing = routing("""
				route:
				  routes:
				    - name: audit
				      match: [severity="critical"]
				      continue: true
				    - name: first
				      match: [service="api"]
				    - name: second
				      match: [service=~"api|web"]
				    - name: third
				      match: [severity="critical"]
				""");

		assertThat(paths(routing, Map.of("service", "api", "severity", "critical"))).containsExactly("root > audit",
				"root > first");
		assertThat(paths(routing, Map.of("service", "web"))).containsExactly("root > second");
		assertThat(paths(routing, Map.of("severity", "critical"))).containsExactly("root > audit", "root > third");
	}

	@Test
	void continueOnTheLastMatchDoesNotAddTheParent() throws IOException {
		Routing routing = routing("""
				route:
				  routes:
				    - name: audit
				      match: [severity="critical"]
				      continue: true
				""");

		assertThat(paths(routing, Map.of("severity", "critical"))).containsExactly("root > audit");
	}

	@Test
	void nestedRoutesMatchDepthFirstAndAParentWithoutMatchingChildIsTheResult() throws IOException {
		Routing routing = routing("""
				route:
				  routes:
				    - name: ai-inference-api
				      match: [service="ai-inference-api"]
				      routes:
				        - name: database
				          match: [alertname="DatabasePortDown"]
				          routes:
				            - name: replica
				              match: [db="replica"]
				    - name: database-elsewhere
				      match: [alertname="DatabasePortDown"]
				""");

		assertThat(
				paths(routing, Map.of("service", "ai-inference-api", "alertname", "DatabasePortDown", "db", "replica")))
			.containsExactly("root > ai-inference-api > database > replica");
		assertThat(
				paths(routing, Map.of("service", "ai-inference-api", "alertname", "DatabasePortDown", "db", "primary")))
			.containsExactly("root > ai-inference-api > database");
		assertThat(paths(routing, Map.of("service", "ai-inference-api", "alertname", "HighCpuUsage")))
			.containsExactly("root > ai-inference-api");
		assertThat(paths(routing, Map.of("service", "other", "alertname", "DatabasePortDown")))
			.as("a parent that does not match hides its children")
			.containsExactly("root > database-elsewhere");
	}

	@Test
	void childrenInheritWhatTheyDoNotSetAndTargetsPerKind() throws IOException {
		Routing routing = routing("""
				route:
				  team: ml-platform
				  service: ai
				  severity: high
				  escalation-policy: default
				  notify:
				    slack: ["#ai-oncall"]
				    email: [oncall@example.com]
				    users: [alice]
				    schedules: [ai-primary]
				  mute:
				    - {from: "01:00", to: "02:00"}
				  routes:
				    - name: database
				      match: [alertname="DatabasePortDown"]
				      team: data-platform
				      notify:
				        slack: ["#db-oncall"]
				        users: []
				      routes:
				        - name: replica
				          match: [db="replica"]
				          severity: info
				          escalation-policy: quiet
				          mute: []
				""");

		RouteDecision replica = routing
			.route(Map.of("alertname", "DatabasePortDown", "db", "replica"), Instant.parse("2026-06-10T01:30:00Z"))
			.get(0);

		assertThat(replica.path()).isEqualTo("root > database > replica");
		assertThat(replica.team()).isEqualTo("data-platform");
		assertThat(replica.service()).isEqualTo("ai");
		assertThat(replica.severity()).isEqualTo(SeverityOverride.INFO);
		assertThat(replica.escalationPolicy()).isEqualTo("quiet");
		assertThat(replica.targets()).isEqualTo(
				new Targets(List.of("#db-oncall"), List.of("oncall@example.com"), List.of(), List.of("ai-primary")));
		assertThat(replica.muted()).as("mute: [] clears the inherited windows").isFalse();

		RouteDecision database = routing
			.route(Map.of("alertname", "DatabasePortDown"), Instant.parse("2026-06-10T01:30:00Z"))
			.get(0);
		assertThat(database.severity()).isEqualTo(SeverityOverride.HIGH);
		assertThat(database.escalationPolicy()).isEqualTo("default");
		assertThat(database.muted()).isTrue();
		assertThat(database.muteWindow().from()).hasToString("01:00");
		assertThat(database.matchers()).containsExactly("alertname=\"DatabasePortDown\"");
	}

	@Test
	void decisionSaysWhetherAMuteWindowCoversTheTime() throws IOException {
		Routing routing = routing("""
				route:
				  mute:
				    - days: [sat, sun]
				      timezone: Europe/Berlin
				    - days: [mon-fri]
				      from: "18:00"
				      to: "08:00"
				      timezone: Europe/Berlin
				""");

		// Wednesday 2026-06-10, Berlin is UTC+2.
		assertThat(routing.route(Map.of(), Instant.parse("2026-06-10T10:00:00Z")).get(0).muted()).isFalse();
		RouteDecision evening = routing.route(Map.of(), Instant.parse("2026-06-10T16:30:00Z")).get(0);
		assertThat(evening.muted()).isTrue();
		assertThat(evening.muteWindow().describe()).isEqualTo("mon,tue,wed,thu,fri 18:00-08:00 Europe/Berlin");
		RouteDecision saturday = routing.route(Map.of(), Instant.parse("2026-06-13T10:00:00Z")).get(0);
		assertThat(saturday.muteWindow().describe()).isEqualTo("sat,sun all day Europe/Berlin");
	}

	private static List<String> paths(Routing routing, Map<String, String> labels) {
		return routing.route(labels, NOON).stream().map(RouteDecision::path).toList();
	}

	private Routing routing(String yaml) throws IOException {
		Path file = Files.writeString(this.directory.resolve("routing.yaml"), yaml);
		Routing routing = new Routing(new RoutingSettings(file));
		assertThat(routing.problems()).isEmpty();
		return routing;
	}

}
