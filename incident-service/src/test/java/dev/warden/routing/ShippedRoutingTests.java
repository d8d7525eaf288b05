package dev.warden.routing;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** The routing file shipped in the jar, used when no routing file is configured. */
class ShippedRoutingTests {

	/** Wednesday, 14:00 in Berlin. */
	private static final Instant OFFICE_HOURS = Instant.parse("2026-06-10T12:00:00Z");

	private final Routing routing = new Routing(new RoutingSettings(null));

	@Test
	void loadsWithoutProblems() {
		assertThat(this.routing.problems()).isEmpty();
		assertThat(this.routing.reload()).satisfies((report) -> {
			assertThat(report.applied()).isTrue();
			assertThat(report.source()).isEqualTo("classpath:routing/default-routing.yaml");
			assertThat(report.routes()).isEqualTo(5);
		});
	}

	@Test
	void anyOtherAlertGoesToTheMlPlatformOnCall() {
		RouteDecision root = this.routing.route(Map.of("alertname", "Anything"), OFFICE_HOURS).get(0);

		assertThat(root.path()).isEqualTo("root");
		assertThat(root.team()).isEqualTo("ml-platform");
		assertThat(root.targets())
			.isEqualTo(new Targets(List.of("#ai-oncall"), List.of("oncall@example.com"), List.of(), List.of()));
		assertThat(root.escalationPolicy()).isEqualTo("default");
	}

	@Test
	void databaseAlertsGoToTheDataPlatform() {
		List<RouteDecision> routes = this.routing
			.route(Map.of("alertname", "DatabasePortDown", "service", "ai-db", "db", "primary"), OFFICE_HOURS);

		assertThat(routes).singleElement().satisfies((database) -> {
			assertThat(database.path()).isEqualTo("root > database");
			assertThat(database.team()).isEqualTo("data-platform");
			assertThat(database.service()).isEqualTo("ai-db");
			assertThat(database.targets().slack()).containsExactly("#db-oncall");
			assertThat(database.targets().schedules()).isEmpty();
			assertThat(database.escalationPolicy()).isEqualTo("default");
		});
	}

	@Test
	void modelQualityAlertsAreWarningsMutedOutsideOfficeHours() {
		Map<String, String> drift = Map.of("alertname", "DataDriftHigh", "service", "ai-model");

		RouteDecision daytime = this.routing.route(drift, OFFICE_HOURS).get(0);
		assertThat(daytime.path()).isEqualTo("root > model-quality");
		assertThat(daytime.team()).isEqualTo("ml-research");
		assertThat(daytime.severity()).isEqualTo(SeverityOverride.WARNING);
		assertThat(daytime.targets().slack()).containsExactly("#ml-quality");
		assertThat(daytime.muted()).isFalse();
		assertThat(this.routing.route(drift, Instant.parse("2026-06-10T20:00:00Z")).get(0).muted()).isTrue();
		assertThat(this.routing.route(drift, Instant.parse("2026-06-13T12:00:00Z")).get(0).muted()).as("Saturday")
			.isTrue();
	}

	@Test
	void everyEscalationPolicyItNamesIsInTheShippedOnCallFile() throws IOException {
		List<String> named = routes(this.routing.root()).map((route) -> route.settings().escalationPolicy())
			.filter(Objects::nonNull)
			.distinct()
			.toList();

		assertThat(named).as("escalation policies the shipped routes name").contains("default");
		assertThat(shippedOnCallPolicies()).containsAll(named);
	}

	@Test
	void wardensOwnHealthContinuesToTheOtherRoutes() {
		assertThat(this.routing.route(Map.of("service", "warden", "alertname", "WardenDown"), OFFICE_HOURS))
			.extracting(RouteDecision::path)
			.containsExactly("root > warden");
		assertThat(this.routing.route(Map.of("service", "warden"), OFFICE_HOURS).get(0).service()).isEqualTo("warden");
	}

	/** The route and every route under it, with what each inherits resolved. */
	private static Stream<Route> routes(Route route) {
		return Stream.concat(Stream.of(route), route.routes().stream().flatMap(ShippedRoutingTests::routes));
	}

	/**
	 * The names in the shipped on-call file's {@code escalation-policies}; that the file
	 * loads without problems is the escalation module's own test.
	 */
	@SuppressWarnings("unchecked")
	private static List<String> shippedOnCallPolicies() throws IOException {
		try (InputStream in = ShippedRoutingTests.class.getClassLoader()
			.getResourceAsStream("oncall/default-oncall.yaml")) {
			assertThat(in).as("the shipped on-call file").isNotNull();
			Map<String, Object> file = new Yaml().load(in);
			List<Map<String, Object>> policies = (List<Map<String, Object>>) file.get("escalation-policies");
			return policies.stream().map((policy) -> (String) policy.get("name")).toList();
		}
	}

}
