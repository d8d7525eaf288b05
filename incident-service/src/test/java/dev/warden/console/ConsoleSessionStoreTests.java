package dev.warden.console;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.WardenClient;
import dev.warden.console.ConsoleBrowser.Page;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.test.context.TestPropertySource;

import static dev.warden.console.ConsoleSecurityTests.ADMIN;
import static dev.warden.console.ConsoleSecurityTests.ADMIN_PASSWORD;
import static dev.warden.console.ConsoleSecurityTests.shortId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Console sessions are rows in PostgreSQL (what lets any instance serve them, see
 * {@code ConsoleAcrossInstancesIntegrationTests} for two instances): a sign-in writes one
 * for its user, signing out, disabling the user and resetting the password delete them,
 * the webhook and the API never make one, expired ones are refused and cleaned up, and a
 * row that cannot be read signs its browser out instead of failing.
 */
@IntegrationTest
@TestPropertySource(
		properties = { "warden.test.context=console", "warden.console.admin.username=" + ConsoleSecurityTests.ADMIN,
				"warden.console.admin.password=" + ConsoleSecurityTests.ADMIN_PASSWORD,
				"warden.console.admin.display-name=Chief Admin" })
class ConsoleSessionStoreTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcIndexedSessionRepository sessions;

	@Test
	void signInWritesASessionOfTheUserThatSigningOutDeletes() {
		String username = ConsoleUserRows.create(this.jdbc, "viewer", "session-password-0123");
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(username, "session-password-0123");
		String cookie = browser.sessionId();

		assertThat(sessionsOf(username)).containsExactly(sessionId(cookie));
		assertThat(this.jdbc.sql("select max_inactive_interval from spring_session where session_id = ?")
			.param(sessionId(cookie))
			.query(Integer.class)
			.single()).as("server.servlet.session.timeout, 30 minutes").isEqualTo(1800);
		assertThat(this.jdbc.sql("""
				select a.attribute_name from spring_session_attributes a
				join spring_session s on s.primary_id = a.session_primary_id where s.session_id = ?""")
			.param(sessionId(cookie))
			.query(String.class)
			.list()).contains("SPRING_SECURITY_CONTEXT");

		Page out = browser.submit("/", "/logout", Map.of());

		assertThat(out.location()).endsWith("/login?signedOut");
		assertThat(sessionsOf(username)).isEmpty();
		assertThat(new ConsoleBrowser(this.port).useSession(cookie).get("/").redirectsToSignIn())
			.as("the signed-out session's cookie, copied")
			.isTrue();
	}

	@Test
	void disablingAUserDeletesEveryOneOfTheirSessions() {
		String username = ConsoleUserRows.create(this.jdbc, "responder", "session-password-0123");
		ConsoleBrowser laptop = new ConsoleBrowser(this.port).signedIn(username, "session-password-0123");
		ConsoleBrowser phone = new ConsoleBrowser(this.port).signedIn(username, "session-password-0123");
		String copied = laptop.sessionId();
		ConsoleBrowser other = new ConsoleBrowser(this.port)
			.signedIn(ConsoleUserRows.create(this.jdbc, "viewer", "session-password-0123"), "session-password-0123");
		assertThat(sessionsOf(username)).hasSize(2);

		ConsoleBrowser admin = new ConsoleBrowser(this.port).signedIn(ADMIN, ADMIN_PASSWORD);
		long id = id(username);
		Page disabled = admin.submit("/admin/users/" + id, "/admin/users/" + id + "/enabled",
				Map.of("enabled", "false"));

		assertThat(disabled.status()).isEqualTo(302);
		assertThat(sessionsOf(username)).isEmpty();
		assertThat(laptop.get("/").redirectsToSignIn()).isTrue();
		assertThat(phone.get("/").redirectsToSignIn()).isTrue();
		assertThat(new ConsoleBrowser(this.port).useSession(copied).get("/").redirectsToSignIn()).isTrue();
		assertThat(other.get("/").status()).as("another user's session goes on").isEqualTo(200);
		assertThat(admin.get("/admin/users").status()).isEqualTo(200);
	}

	@Test
	void resettingAPasswordDeletesTheSessionsAlsoOfAnAdminResettingTheirOwn() {
		String username = ConsoleUserRows.create(this.jdbc, "admin", "session-password-0123");
		ConsoleBrowser elsewhere = new ConsoleBrowser(this.port).signedIn(username, "session-password-0123");
		ConsoleBrowser self = new ConsoleBrowser(this.port).signedIn(username, "session-password-0123");
		long id = id(username);

		Page reset = self.submit("/admin/users/" + id, "/admin/users/" + id + "/password",
				Map.of("password", "new-session-password-0123"));

		assertThat(reset.status()).as(reset.toString()).isEqualTo(302);
		assertThat(sessionsOf(username)).isEmpty();
		assertThat(self.get("/").redirectsToSignIn()).isTrue();
		assertThat(elsewhere.get("/").redirectsToSignIn()).isTrue();
		new ConsoleBrowser(this.port).signedIn(username, "new-session-password-0123");
		assertThat(sessionsOf(username)).hasSize(1);
	}

	@Test
	void webhookApiAndHealthChecksMakeNoSession() {
		long before = this.jdbc.sql("select count(*) from spring_session").query(Long.class).single();
		WardenClient client = new WardenClient(this.port);

		List<WardenClient.Response> answers = List.of(
				client.webhook(Payloads.sampleInOwnGroup("firing.json", shortId())), client.get("/api/v1/incidents"),
				client.getAnonymously("/api/v1/incidents"), client.getAnonymously("/actuator/health/readiness"));

		assertThat(answers).extracting(WardenClient.Response::status).containsExactly(200, 200, 401, 200);
		assertThat(answers).allSatisfy(
				(answer) -> assertThat(answer.raw().headers().allValues("Set-Cookie")).as(answer.raw().uri().toString())
					.isEmpty());
		assertThat(this.jdbc.sql("select count(*) from spring_session").query(Long.class).single()).isEqualTo(before);
	}

	@Test
	void aSessionThatCannotBeReadSignsItsBrowserOutInsteadOfFailing() {
		String username = ConsoleUserRows.create(this.jdbc, "viewer", "session-password-0123");
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(username, "session-password-0123");
		assertThat(browser.get("/").status()).isEqualTo(200);

		// As a class that changed shape in an upgrade, or bytes of a class Warden never
		// stores, would read.
		this.jdbc.sql("""
				update spring_session_attributes set attribute_bytes = ?
				where attribute_name = 'SPRING_SECURITY_CONTEXT'
				  and session_primary_id = (select primary_id from spring_session where session_id = ?)""")
			.params(new byte[] { (byte) 0xac, (byte) 0xed, 0, 5, 1, 2, 3 }, sessionId(browser.sessionId()))
			.update();

		assertThat(browser.get("/").redirectsToSignIn()).isTrue();
		assertThat(browser.signIn(username, "session-password-0123").status()).isEqualTo(302);
		assertThat(browser.get("/").status()).isEqualTo(200);
	}

	@Test
	void aSessionPastItsIdleTimeoutIsRefusedAndTheCleanupDeletesExpiredRows() {
		String username = ConsoleUserRows.create(this.jdbc, "viewer", "session-password-0123");
		ConsoleBrowser visiting = new ConsoleBrowser(this.port).signedIn(username, "session-password-0123");
		ConsoleBrowser away = new ConsoleBrowser(this.port).signedIn(username, "session-password-0123");
		String expire = """
				update spring_session set last_access_time = last_access_time - 1801000,
				    expiry_time = expiry_time - 1801000
				where session_id = ?""";
		this.jdbc.sql(expire).param(sessionId(visiting.sessionId())).update();
		this.jdbc.sql(expire).param(sessionId(away.sessionId())).update();

		assertThat(visiting.get("/").redirectsToSignIn()).isTrue();
		assertThat(sessionsOf(username)).containsExactly(sessionId(away.sessionId()));

		// What each instance runs once a minute.
		this.sessions.cleanUpExpiredSessions();

		assertThat(sessionsOf(username)).isEmpty();
	}

	private List<String> sessionsOf(String username) {
		return this.jdbc.sql("select session_id from spring_session where principal_name = ?")
			.param(username)
			.query(String.class)
			.list();
	}

	/** The session's id: the cookie carries it in Base64. */
	private static String sessionId(String cookie) {
		return new String(Base64.getDecoder().decode(cookie), StandardCharsets.UTF_8);
	}

	private long id(String username) {
		return this.jdbc.sql("select id from console_user where username = ?")
			.param(username)
			.query(Long.class)
			.single();
	}

}
