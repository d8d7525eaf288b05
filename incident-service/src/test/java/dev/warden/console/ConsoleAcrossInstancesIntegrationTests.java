package dev.warden.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.RunsAlone;
import dev.warden.WardenClient;
import dev.warden.cluster.Haproxy;
import dev.warden.cluster.HaproxyAvailable;
import dev.warden.cluster.WardenCluster;
import dev.warden.console.ConsoleBrowser.Page;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The console on two Warden JVMs behind a real HAProxy that sends every request to the
 * other instance (round-robin, no stickiness), with sessions in their shared PostgreSQL:
 * a real browser signs in and works through an incident while its requests, posts with
 * CSRF tokens among them, alternate between the instances; both instances restart and the
 * browser is still signed in; signing out through one instance, or disabling a user, ends
 * the sessions on both.
 */
@RunsAlone
@ResourceLock(RunsAlone.CORES)
@IntegrationTest
@ExtendWith(HaproxyAvailable.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { "db-scheduler.enabled=false", "warden.test.context=cluster" })
class ConsoleAcrossInstancesIntegrationTests {

	private static final String PASSWORD = "across-instances-0123";

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	WardenCluster cluster;

	@BeforeAll
	void startCluster() {
		this.cluster = WardenCluster.start("console-sessions", this.dataSource, 2, Map.of());
	}

	@AfterAll
	void stopCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void aBrowserWorksAnIncidentOnBothInstancesAndStaysSignedInThroughTheirRestarts() {
		String responder = ConsoleUserRows.create(this.jdbc, "responder", PASSWORD);
		Haproxy haproxy = this.cluster.haproxy();
		try (Chromium browser = Chromium.start(haproxy.port)) {
			browser.open("/incidents");
			assertThat(browser.path()).startsWith("/login");
			browser.type("username", responder).type("password", PASSWORD).press("Sign in");
			browser.waitUntil(Duration.ofSeconds(30), (page) -> !browser.path().startsWith("/login"));

			String title = "Across instances " + UUID.randomUUID();
			long incident = new WardenClient(haproxy.port)
				.open(Payloads.group().firing("fp-" + UUID.randomUUID(), Instant.now()).summary(title).json());
			browser.open("/incidents/" + incident).waitForText(title);
			assertThat(browser.text()).contains("triggered");
			browser.screenshot("across-instances-triggered");

			// Each form is posted to a chosen instance; its page and CSRF token came
			// from the other one.
			nextRequestGoesTo("w1");
			browser.press("Acknowledge").waitForText("incident.acknowledged");
			String note = "Checked on both instances " + UUID.randomUUID();
			nextRequestGoesTo("w2");
			browser.type("note", note).press("Add note").waitForText(note);
			nextRequestGoesTo("w1");
			browser.press("Resolve").waitForText("incident.resolved");
			browser.screenshot("across-instances-resolved");

			List<Haproxy.Request> requests = haproxy.requests();
			assertThat(requests).extracting(Haproxy.Request::server).doesNotContain("<NOSRV>");
			// Round-robin: each server took every other request. A page's stylesheet and
			// scripts load at once, so their log lines do not show the order HAProxy
			// chose in; the counts do.
			Map<String, Integer> served = haproxy.servedBy();
			assertThat(served.keySet()).containsExactlyInAnyOrder("w1", "w2");
			assertThat(Math.abs(served.get("w1") - served.get("w2"))).as("%s", served).isLessThanOrEqualTo(1);
			assertThat(requests).filteredOn((request) -> request.path().equals("/incidents/" + incident))
				.extracting(Haproxy.Request::server)
				.as("the incident's page, shown by both")
				.contains("w1", "w2");
			assertThat(requests).filteredOn((request) -> request.method().equals("POST"))
				.extracting(Haproxy.Request::server, Haproxy.Request::path)
				.contains(tuple("w1", "/incidents/" + incident + "/acknowledge"),
						tuple("w2", "/incidents/" + incident + "/notes"),
						tuple("w1", "/incidents/" + incident + "/resolve"));
			int signIn = IntStream.range(0, requests.size())
				.filter((i) -> requests.get(i).method().equals("POST") && requests.get(i).path().equals("/login"))
				.findFirst()
				.orElseThrow();
			assertThat(requests.subList(signIn + 1, requests.size()))
				.as("after signing in, no instance sent the browser back to the sign-in page")
				.noneSatisfy((request) -> assertThat(request.path()).startsWith("/login"));

			this.cluster.restart(1);
			haproxy.awaitServersUp();
			this.cluster.restart(2);
			haproxy.awaitServersUp();
			int before = haproxy.requests().size();

			for (String server : List.of("w1", "w2")) {
				nextRequestGoesTo(server);
				browser.open("/incidents/" + incident).waitForText(title);
				assertThat(browser.path()).isEqualTo("/incidents/" + incident);
				assertThat(browser.text()).contains("incident.resolved", note);
			}
			browser.screenshot("across-instances-after-restarts");
			List<Haproxy.Request> after = haproxy.requests().subList(before, haproxy.requests().size());
			assertThat(after).filteredOn((request) -> request.path().equals("/incidents/" + incident))
				.extracting(Haproxy.Request::server)
				.as("the restarted instances each served the signed-in page")
				.contains("w1", "w2");
			assertThat(after).noneSatisfy((request) -> assertThat(request.path()).startsWith("/login"));
		}
	}

	@Test
	void signingOutThroughOneInstanceEndsTheSessionOnBoth() {
		String viewer = ConsoleUserRows.create(this.jdbc, "viewer", PASSWORD);
		ConsoleBrowser browser = new ConsoleBrowser(this.cluster.haproxy().port).signedIn(viewer, PASSWORD);
		String cookie = browser.sessionId();
		assertThat(direct(1, cookie).get("/").status()).isEqualTo(200);
		assertThat(direct(2, cookie).get("/").status()).isEqualTo(200);

		Page out = browser.submit("/", "/logout", Map.of());

		assertThat(out.location()).endsWith("/login?signedOut");
		assertThat(direct(1, cookie).get("/").redirectsToSignIn()).isTrue();
		assertThat(direct(2, cookie).get("/").redirectsToSignIn()).isTrue();
		assertThat(sessionsOf(viewer)).isZero();
	}

	@Test
	void disablingAUserEndsTheirSessionsOnBothInstances() {
		String responder = ConsoleUserRows.create(this.jdbc, "responder", PASSWORD);
		ConsoleBrowser onFirst = new ConsoleBrowser(this.cluster.instance(1).port).signedIn(responder, PASSWORD);
		ConsoleBrowser onSecond = new ConsoleBrowser(this.cluster.instance(2).port).signedIn(responder, PASSWORD);
		String copied = onFirst.sessionId();
		assertThat(sessionsOf(responder)).isEqualTo(2);
		ConsoleBrowser admin = new ConsoleBrowser(this.cluster.haproxy().port)
			.signedIn(ConsoleUserRows.create(this.jdbc, "admin", PASSWORD), PASSWORD);
		long id = this.jdbc.sql("select id from console_user where username = ?")
			.param(responder)
			.query(Long.class)
			.single();

		Page disabled = admin.submit("/admin/users/" + id, "/admin/users/" + id + "/enabled",
				Map.of("enabled", "false"));

		assertThat(disabled.status()).isEqualTo(302);
		assertThat(sessionsOf(responder)).isZero();
		assertThat(onFirst.get("/").redirectsToSignIn()).isTrue();
		assertThat(onSecond.get("/").redirectsToSignIn()).isTrue();
		assertThat(direct(2, copied).get("/").redirectsToSignIn()).isTrue();
		assertThat(admin.get("/admin/users").status()).isEqualTo(200);
	}

	/** A browser talking to one instance directly, with this session cookie. */
	private ConsoleBrowser direct(int instance, String sessionCookie) {
		return new ConsoleBrowser(this.cluster.instance(instance).port).useSession(sessionCookie);
	}

	private long sessionsOf(String username) {
		return this.jdbc.sql("select count(*) from spring_session where principal_name = ?")
			.param(username)
			.query(Long.class)
			.single();
	}

	/**
	 * Makes HAProxy's round-robin send the next request to this server: once the
	 * browser's requests have ended, requests of our own move the turn on while the last
	 * one went to this server (after a server came back, HAProxy may pick the same one
	 * twice in a row).
	 */
	private void nextRequestGoesTo(String server) {
		Haproxy haproxy = this.cluster.haproxy();
		int seen = -1;
		Instant quiet = Instant.now().plusSeconds(60);
		while (seen != haproxy.requests().size()) {
			assertThat(Instant.now()).as("the browser's requests end within 60 s").isBefore(quiet);
			seen = haproxy.requests().size();
			sleep(Duration.ofMillis(700));
		}
		for (int nudge = 0; nudge < 5 && haproxy.requests().getLast().server().equals(server); nudge++) {
			try {
				HttpResponse<Void> answer = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create(haproxy.url() + "/actuator/health/liveness")).build(),
							HttpResponse.BodyHandlers.discarding());
				assertThat(answer.statusCode()).isEqualTo(200);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			int before = seen;
			Instant logged = Instant.now().plusSeconds(10);
			while (haproxy.requests().size() == before) {
				assertThat(Instant.now()).as("HAProxy logs the nudge within 10 s; see %s", haproxy.log())
					.isBefore(logged);
				sleep(Duration.ofMillis(50));
			}
			seen = haproxy.requests().size();
		}
		assertThat(haproxy.requests().getLast().server()).isNotEqualTo(server);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
