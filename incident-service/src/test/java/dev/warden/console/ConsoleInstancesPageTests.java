package dev.warden.console;

import java.sql.Timestamp;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.cluster.ConfigVersions;
import dev.warden.cluster.Instances;
import dev.warden.console.ConsoleBrowser.Page;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static dev.warden.console.ConsoleSecurityTests.ADMIN;
import static dev.warden.console.ConsoleSecurityTests.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's view of several instances: the admins' instances page, the drift banner
 * on every page while this instance's files differ from the recorded version, and the
 * routing version on an incident's page.
 */
@IntegrationTest
@TestPropertySource(
		properties = { "warden.test.context=console", "warden.console.admin.username=" + ConsoleSecurityTests.ADMIN,
				"warden.console.admin.password=" + ConsoleSecurityTests.ADMIN_PASSWORD,
				"warden.console.admin.display-name=Chief Admin" })
class ConsoleInstancesPageTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Instances instances;

	@Autowired
	ConfigVersions versions;

	@Autowired
	TestClock clock;

	ConsoleBrowser admin;

	@BeforeEach
	void setUp() {
		this.admin = new ConsoleBrowser(this.port).signedIn(ADMIN, ADMIN_PASSWORD);
	}

	@Test
	void adminsSeeEveryInstanceWithItsConfigurationVersions() {
		Page page = this.admin.get("/admin/instances");

		assertThat(page.status()).isEqualTo(200);
		String self = this.instances.self();
		assertThat(page.body()).contains("id=\"instance-" + self + "\"", "(this one)", ">live<", ">routing<",
				">oncall<", ">runbooks<", ">heartbeats<", "start of " + self);
		assertThat(page.body()).as("the configuration versions this instance runs")
			.containsPattern("class=\"config-routing\">\\s*<span>v\\d+</span>");
		assertThat(this.admin.get("/").body()).contains("href=\"/admin/instances\"");
		String responder = ConsoleUserRows.create(this.jdbc, "responder", "responder-password-1");
		ConsoleBrowser notAdmin = new ConsoleBrowser(this.port).signedIn(responder, "responder-password-1");
		assertThat(notAdmin.get("/admin/instances").status()).isEqualTo(403);
		assertThat(notAdmin.get("/").body()).doesNotContain("href=\"/admin/instances\"");
	}

	@Test
	void everyPageShowsABannerWhileThisInstanceDrifts() {
		assertThat(this.admin.get("/incidents").body()).doesNotContain("id=\"config-drift\"");

		record("0".repeat(64));

		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.admin.get("/incidents").body().contains("id=\"config-drift\""));
		assertThat(this.admin.get("/runbooks").body()).contains("id=\"config-drift\"", "heartbeats");

		// Another instance records what this one has: the drift and the banner end.
		record(this.versions.loaded().get("heartbeats").contentHash());
		await().atMost(Duration.ofSeconds(15))
			.until(() -> !this.admin.get("/incidents").body().contains("id=\"config-drift\""));
	}

	@Test
	void anIncidentPageShowsTheRoutingVersionThatRoutedIt() {
		long id = new WardenClient(this.port).open(Payloads.firing("Routed", this.clock.instant()));

		Page page = this.admin.get("/incidents/" + id);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"routing-version\"")
			.containsPattern("Routed by routing\\s*<span>version \\d+</span>");
	}

	/** Records a heartbeats version as another instance would. */
	private void record(String hash) {
		this.jdbc.sql("""
				insert into config_version (kind, version, content_hash, actor, recorded_at, instance_id, applied)
				select 'heartbeats', coalesce(max(version), 0) + 1, ?, 'someone', ?, 'other-instance', true
				from config_version where kind = 'heartbeats'""")
			.params(hash, Timestamp.from(this.clock.instant()))
			.update();
	}

}
