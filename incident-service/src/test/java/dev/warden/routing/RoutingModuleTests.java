package dev.warden.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.TestDatabase;
import dev.warden.cluster.ConfigVersions;

import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The routing module on its own: the tree a routing file of this test's describes, its
 * decisions by labels and time, a broken reload that keeps the last good tree and the
 * versions {@code cluster} records for it, and silences through {@link Silences} on this
 * context's own database. Booted with the modules whose beans routing's beans need
 * ({@code access} for the audit log, {@code cluster} for versions, and theirs:
 * {@code metrics}, {@code storage}, {@code web}; {@code matching} and {@code yaml} have
 * no beans); no web server, no incidents, notifications or console. Routing publishes no
 * events and decides synchronously, so these are plain calls and assertions, no
 * {@code Scenario}.
 * <p>
 * The modules are listed rather than left to {@code ALL_DEPENDENCIES}, which follows only
 * the dependencies Spring Modulith sees in constructors (not a {@code @Bean} method's
 * parameters, such as {@code access}' use of {@code web}); {@code ModularityTests}
 * verifies the module structure once, so this test does not again.
 */
@ApplicationModuleTest(verifyAutomatically = false,
		extraIncludes = { "access", "cluster", "metrics", "storage", "web" })
@TestPropertySource(properties = "warden.storage.directory=target/test-data/${random.uuid}")
@Import({ TestDatabase.class, IntegrationTest.Time.class })
class RoutingModuleTests {

	private static final String TREE = """
			route:
			  team: platform
			  notify:
			    slack: ["#oncall"]
			    email: [oncall@example.com]
			  escalation-policy: default
			  routes:
			    - name: warden
			      match: [service="warden"]
			      service: warden
			      continue: true
			    - name: database
			      match: [service="db"]
			      service: db
			      team: data
			      severity: critical
			      notify:
			        slack: ["#db-oncall"]
			    - name: reports
			      match: [alertname=~"Report.*"]
			      team: analytics
			      mute:
			        - {days: [sat, sun], timezone: Europe/Berlin}
			""";

	private static final Path ROUTING = routingFile();

	/** A Saturday noon and a Monday noon in Berlin. */
	private static final Instant SATURDAY = Instant.parse("2026-11-21T11:00:00Z");

	private static final Instant MONDAY = Instant.parse("2026-11-23T11:00:00Z");

	private final Routing routing;

	private final Silences silences;

	private final ConfigVersions versions;

	private final TestClock clock;

	RoutingModuleTests(Routing routing, Silences silences, ConfigVersions versions, TestClock clock) {
		this.routing = routing;
		this.silences = silences;
		this.versions = versions;
		this.clock = clock;
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.routing.file", ROUTING::toString);
	}

	@BeforeEach
	void restoreTheTree() throws IOException {
		Files.writeString(ROUTING, TREE);
		assertThat(this.routing.reload().applied()).isTrue();
	}

	@Test
	void decidesTheRoutesOfAnAlertByItsLabelsWithWhatTheyInherit() {
		List<RouteDecision> database = this.routing.route(Map.of("alertname", "PortDown", "service", "db"), MONDAY);

		assertThat(database).singleElement().satisfies((route) -> {
			assertThat(route.path()).isEqualTo("root > database");
			assertThat(route.team()).isEqualTo("data");
			assertThat(route.service()).isEqualTo("db");
			assertThat(route.severity()).isEqualTo(SeverityOverride.CRITICAL);
			assertThat(route.targets().slack()).containsExactly("#db-oncall");
			assertThat(route.targets().email()).as("inherited from the root").containsExactly("oncall@example.com");
			assertThat(route.escalationPolicy()).isEqualTo("default");
			assertThat(route.muted()).isFalse();
		});
		assertThat(this.routing.route(Map.of("alertname", "Unknown"), MONDAY)).singleElement().satisfies((root) -> {
			assertThat(root.path()).isEqualTo("root");
			assertThat(root.team()).isEqualTo("platform");
			assertThat(root.targets().slack()).containsExactly("#oncall");
		});
		assertThat(this.routing.route(Map.of("service", "warden"), MONDAY)).extracting(RouteDecision::path)
			.as("continue: true goes on looking, and the root is only the fallback")
			.containsExactly("root > warden");
	}

	@Test
	void aMuteWindowMutesItsRouteOnlyWhileItCoversTheTime() {
		Map<String, String> report = Map.of("alertname", "ReportLate");

		RouteDecision weekend = this.routing.route(report, SATURDAY).getFirst();
		RouteDecision weekday = this.routing.route(report, MONDAY).getFirst();

		assertThat(weekend.path()).isEqualTo("root > reports");
		assertThat(weekend.muted()).isTrue();
		assertThat(weekend.muteWindow()).isNotNull();
		assertThat(weekday.muted()).isFalse();
		assertThat(weekday.muteWindow()).isNull();
		assertThat(weekday.team()).isEqualTo("analytics");
	}

	@Test
	void aBrokenReloadKeepsTheLastGoodTreeAndEveryReloadIsARecordedVersion() throws IOException {
		Routing.Decisions before = this.routing.decide(Map.of("service", "db"), MONDAY);
		LoadReport good = this.versions.reload(Routing.CONFIG_KIND, "alice", this.routing::reload);
		assertThat(good.applied()).isTrue();
		Long goodVersion = this.versions.versionOf(Routing.CONFIG_KIND, before.contentHash());
		assertThat(goodVersion).as("the decisions' hash names a recorded version").isNotNull();

		Files.writeString(ROUTING, TREE.replace("match: [service=\"db\"]", "match: [service=~\"(db\"]"));
		LoadReport broken = this.versions.reload(Routing.CONFIG_KIND, "alice", this.routing::reload);

		assertThat(broken.applied()).isFalse();
		assertThat(broken.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.file()).isEqualTo(ROUTING.toString());
			assertThat(problem.line()).isPositive();
		});
		assertThat(this.routing.problems()).isEqualTo(broken.problems());
		assertThat(this.routing.contentHash()).as("what the last load read").isNotEqualTo(before.contentHash());
		Routing.Decisions after = this.routing.decide(Map.of("service", "db"), MONDAY);
		assertThat(after).as("the last good tree decides, with its own hash").isEqualTo(before);
		assertThat(this.versions.history(Routing.CONFIG_KIND, 2)).allSatisfy((version) -> {
			assertThat(version.kind()).isEqualTo(Routing.CONFIG_KIND);
			assertThat(version.actor()).isEqualTo("alice");
		});
		assertThat(this.versions.versionOf(Routing.CONFIG_KIND, this.routing.contentHash())).isGreaterThan(goodVersion);
	}

	@Test
	void aSilenceSilencesMatchingAlertsFromItsStartUntilItIsExpired() {
		Instant now = this.clock.instant();
		String run = UUID.randomUUID().toString();
		Map<String, String> matching = Map.of("service", "db", "run", run);
		Silence active = this.silences.create(List.of("service=\"db\"", "run=\"" + run + "\""), null,
				now.plus(Duration.ofHours(1)), "alice", "  database maintenance  ");
		Silence pending = this.silences.create(List.of("run=\"" + run + "\"", "alertname=\"Later\""),
				now.plus(Duration.ofHours(2)), now.plus(Duration.ofHours(3)), "bob", "later");

		assertThat(active.comment()).isEqualTo("database maintenance");
		assertThat(this.silences.silencing(matching, now)).contains(active);
		assertThat(this.silences.silencing(Map.of("service", "db", "run", "other"), now)).isEmpty();
		assertThat(this.silences.list(SilenceState.ACTIVE)).extracting(Silence::id).contains(active.id());
		assertThat(this.silences.list(SilenceState.PENDING)).extracting(Silence::id)
			.contains(pending.id())
			.doesNotContain(active.id());
		Map<String, String> later = Map.of("alertname", "Later", "run", run);
		assertThat(this.silences.silencing(later, now)).isEmpty();
		assertThat(this.silences.silencing(later, now.plus(Duration.ofMinutes(150)))).contains(pending);

		this.clock.advance(Duration.ofMinutes(5));
		Silence expired = this.silences.expire(active.id(), "carol");

		assertThat(expired.expiredBy()).isEqualTo("carol");
		assertThat(expired.expiredAt()).isEqualTo(this.clock.instant());
		assertThat(this.silences.silencing(matching, this.clock.instant())).isEmpty();
		assertThat(this.silences.find(active.id())).contains(expired);
		assertThat(this.silences.list(SilenceState.EXPIRED)).extracting(Silence::id).contains(active.id());
		assertThatExceptionOfType(SilenceAlreadyExpired.class)
			.isThrownBy(() -> this.silences.expire(active.id(), "carol"));
		assertThatExceptionOfType(SilenceNotFound.class)
			.isThrownBy(() -> this.silences.expire(new SilenceId(UUID.randomUUID()), "carol"));
	}

	@Test
	void anInvalidSilenceIsRefusedWithEveryReasonAndStoresNothing() {
		int before = this.silences.list(null).size();
		Instant now = this.clock.instant();

		assertThatExceptionOfType(InvalidSilence.class)
			.isThrownBy(() -> this.silences.create(List.of("service=~\"(db\"", "job=~\".*\""), null,
					now.minus(Duration.ofMinutes(1)), "alice", " "))
			.satisfies((invalid) -> assertThat(invalid.reasons()).hasSize(3)
				.anySatisfy((reason) -> assertThat(reason).startsWith("matchers[0]: "))
				.anySatisfy((reason) -> assertThat(reason).contains("must be after startsAt"))
				.anySatisfy((reason) -> assertThat(reason).contains("comment is required")));
		assertThatExceptionOfType(InvalidSilence.class)
			.isThrownBy(() -> this.silences.create(List.of("job=~\".*\""), null, now.plus(Duration.ofHours(1)), "alice",
					"everything"))
			.satisfies((invalid) -> assertThat(invalid.reasons()).singleElement()
				.satisfies((reason) -> assertThat(reason).contains("would silence every alert")));
		assertThat(this.silences.list(null)).hasSize(before);
	}

	private static Path routingFile() {
		try {
			Path directory = Files.createDirectories(Path.of("target", "test-routing", UUID.randomUUID().toString()));
			return Files.writeString(directory.resolve("routing.yaml"), TREE).toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
