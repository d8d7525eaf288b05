package dev.warden.console;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.console.ConsoleBrowser.Page;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who gets into the console and how: the sign-in form, sessions, CSRF, roles, headers,
 * and the wall between console sessions and API tokens.
 */
@IntegrationTest
@TestPropertySource(
		properties = { "warden.test.context=console", "warden.console.admin.username=" + ConsoleSecurityTests.ADMIN,
				"warden.console.admin.password=" + ConsoleSecurityTests.ADMIN_PASSWORD,
				"warden.console.admin.display-name=Chief Admin" })
class ConsoleSecurityTests {

	static final String ADMIN = "chief";

	static final String ADMIN_PASSWORD = "chief-password-0123";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	ConsoleBrowser browser;

	@BeforeEach
	void setUp() {
		this.browser = new ConsoleBrowser(this.port);
	}

	@Test
	void anonymousVisitorsAreSentToSignIn() {
		assertThat(this.browser.get("/").redirectsToSignIn()).isTrue();
		assertThat(this.browser.get("/admin/users").redirectsToSignIn()).isTrue();
		assertThat(this.browser.get("/admin/tokens").redirectsToSignIn()).isTrue();
		assertThat(this.browser.get("/some/page/that/comes/later").redirectsToSignIn()).isTrue();
	}

	@Test
	void signInFormIsServerRenderedWithLabelsAndCsrfToken() {
		Page form = this.browser.get("/login");

		assertThat(form.status()).isEqualTo(200);
		assertThat(form.header("Content-Type")).startsWith("text/html");
		assertThat(form.body()).contains("<label for=\"username\">", "<input id=\"username\" name=\"username\"",
				"<label for=\"password\">", "type=\"password\"", "action=\"/login\"");
		assertThat(form.csrfToken()).isNotBlank();
		assertThat(form.body()).doesNotContain("http://", "https://", "<script", "style=\"");
		assertThat(this.browser.get("/assets/console.css").status()).isEqualTo(200);
	}

	@Test
	void wrongPasswordShowsTheFormAgainWithAnError() {
		Page answer = this.browser.signIn(ADMIN, "not-the-password");

		assertThat(answer.status()).isEqualTo(302);
		assertThat(answer.location()).endsWith("/login?error");
		assertThat(this.browser.follow(answer).body()).contains("Wrong username or password.");
		assertThat(this.browser.get("/").redirectsToSignIn()).isTrue();
	}

	@Test
	void firstAdminFromTheSettingsSignsInToANewSession() {
		this.browser.get("/login");
		String before = this.browser.sessionId();

		Page answer = this.browser.signIn(ADMIN, ADMIN_PASSWORD);

		assertThat(answer.status()).isEqualTo(302);
		assertThat(answer.location()).doesNotContain("/login");
		assertThat(this.browser.sessionId()).isNotNull().isNotEqualTo(before);
		Page home = this.browser.get("/");
		assertThat(home.status()).isEqualTo(200);
		assertThat(home.body()).contains("Chief Admin", ">admin<", "href=\"/admin/users\"", "href=\"/admin/tokens\"",
				"action=\"/logout\"");
		assertThat(this.browser.get("/admin/users").status()).isEqualTo(200);
	}

	@Test
	void signInGoesBackToThePageAskedFor() {
		assertThat(this.browser.get("/admin/tokens").redirectsToSignIn()).isTrue();

		Page answer = this.browser.signIn(ADMIN, ADMIN_PASSWORD);

		assertThat(answer.location()).contains("/admin/tokens");
	}

	@Test
	void sessionCookieIsHttpOnlyAndSameSite() {
		Page answer = this.browser.signIn(ADMIN, ADMIN_PASSWORD);

		assertThat(answer.headers("Set-Cookie")).filteredOn((cookie) -> cookie.startsWith("JSESSIONID="))
			.singleElement()
			.satisfies((cookie) -> assertThat(cookie).containsIgnoringCase("HttpOnly")
				.containsIgnoringCase("SameSite=Lax")
				// Secure is off by default, for http://localhost.
				.doesNotContainIgnoringCase("Secure"));
	}

	@Test
	void pagesCannotBeFramedNorLoadFromElsewhere() {
		for (Page page : new Page[] { this.browser.get("/login"),
				this.browser.signedIn(ADMIN, ADMIN_PASSWORD).get("/") }) {
			assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
			assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'")
				.contains("frame-ancestors 'none'");
			assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(page.header("Cache-Control")).contains("no-store");
		}
	}

	@Test
	void viewerSeesTheConsoleButNotTheAdminPages() {
		String viewer = "viewer-" + shortId();
		createUser(viewer, "viewer");
		this.browser.signedIn(viewer, "viewer-password-0123");

		Page home = this.browser.get("/");
		assertThat(home.status()).isEqualTo(200);
		assertThat(home.body()).contains(">viewer<").doesNotContain("href=\"/admin/users\"");
		assertThat(this.browser.get("/admin/users").status()).isEqualTo(403);
		assertThat(this.browser.get("/admin/users/new").status()).isEqualTo(403);
		assertThat(this.browser.get("/admin/tokens").status()).isEqualTo(403);

		String intruder = "intruder-" + shortId();
		Page posted = this.browser.post("/admin/users", Map.of("_csrf", this.browser.get("/").csrfToken(), "username",
				intruder, "displayName", "Intruder", "role", "admin", "password", "intruder-password-0123"));
		Page tokenPosted = this.browser.post("/admin/tokens",
				Map.of("_csrf", this.browser.get("/").csrfToken(), "name", intruder));

		assertThat(posted.status()).isEqualTo(403);
		assertThat(tokenPosted.status()).isEqualTo(403);
		assertThat(userExists(intruder)).isFalse();
		assertThat(tokenExists(intruder)).isFalse();
	}

	@Test
	void responderIsAlsoAViewerButNoAdmin() {
		String responder = "responder-" + shortId();
		createUser(responder, "responder");

		this.browser.signedIn(responder, "responder-password-0123");

		assertThat(this.browser.get("/").status()).isEqualTo(200);
		assertThat(this.browser.get("/admin/users").status()).isEqualTo(403);
		assertThat(this.browser.get("/admin/tokens").status()).isEqualTo(403);
		String token = "responder-token-" + shortId();
		Page tokenPosted = this.browser.post("/admin/tokens",
				Map.of("_csrf", this.browser.get("/").csrfToken(), "name", token, "scopes", "admin"));
		assertThat(tokenPosted.status()).isEqualTo(403);
		assertThat(tokenExists(token)).isFalse();
	}

	@Test
	void formsWithoutTheCsrfTokenAreRefusedAndChangeNothing() {
		this.browser.signedIn(ADMIN, ADMIN_PASSWORD);
		String name = "no-csrf-" + shortId();

		Page withoutToken = this.browser.post("/admin/users", Map.of("username", name, "displayName", "No CSRF", "role",
				"admin", "password", "no-csrf-password-0123"));
		Page wrongToken = this.browser.post("/admin/users", Map.of("_csrf", "forged", "username", name, "displayName",
				"No CSRF", "role", "admin", "password", "no-csrf-password-0123"));
		Page tokenWithoutToken = this.browser.post("/admin/tokens", Map.of("name", name));

		assertThat(withoutToken.status()).isEqualTo(403);
		assertThat(wrongToken.status()).isEqualTo(403);
		assertThat(tokenWithoutToken.status()).isEqualTo(403);
		assertThat(userExists(name)).isFalse();
		assertThat(tokenExists(name)).isFalse();
		// The same form with the page's token works: the token is what made the
		// difference.
		assertThat(this.browser
			.submit("/admin/users/new", "/admin/users", Map.of("username", name, "displayName", "With CSRF", "role",
					"viewer", "password", "with-csrf-password-0123"))
			.status()).isEqualTo(302);
		assertThat(userExists(name)).isTrue();
	}

	@Test
	void signInWithoutTheCsrfTokenIsRefused() {
		this.browser.get("/login");

		Page answer = this.browser.post("/login", Map.of("username", ADMIN, "password", ADMIN_PASSWORD));

		assertThat(answer.status()).isEqualTo(403);
		assertThat(this.browser.get("/").redirectsToSignIn()).isTrue();
	}

	@Test
	void signingOutNeedsAPostWithTheCsrfToken() {
		this.browser.signedIn(ADMIN, ADMIN_PASSWORD);

		this.browser.get("/logout");
		assertThat(this.browser.get("/").status()).isEqualTo(200);
		assertThat(this.browser.post("/logout", Map.of()).status()).isEqualTo(403);
		assertThat(this.browser.get("/").status()).isEqualTo(200);

		Page answer = this.browser.submit("/", "/logout", Map.of());

		assertThat(answer.status()).isEqualTo(302);
		assertThat(answer.location()).endsWith("/login?signedOut");
		assertThat(this.browser.get("/").redirectsToSignIn()).isTrue();
	}

	@Test
	void apiTokenDoesNotOpenTheConsole() {
		Page answer = this.browser.get("/", "Authorization", "Bearer " + IntegrationTest.API_TOKEN);

		assertThat(answer.redirectsToSignIn()).isTrue();
		assertThat(this.browser.get("/admin/tokens", "Authorization", "Bearer " + IntegrationTest.API_TOKEN)
			.redirectsToSignIn()).isTrue();
		// The token itself is good: the API takes it.
		assertThat(
				this.browser.get("/api/v1/incidents", "Authorization", "Bearer " + IntegrationTest.API_TOKEN).status())
			.isEqualTo(200);
	}

	@Test
	void consoleSessionDoesNotOpenTheApi() {
		this.browser.signedIn(ADMIN, ADMIN_PASSWORD);

		Page api = this.browser.get("/api/v1/incidents");

		assertThat(api.status()).isEqualTo(401);
		assertThat(api.header("WWW-Authenticate")).startsWith("Bearer");
		// The session itself is good: the console takes it.
		assertThat(this.browser.get("/").status()).isEqualTo(200);
	}

	@Test
	void operationalEndpointsStayOpenAndTheRestOfTheActuatorClosed() {
		assertThat(this.browser.get("/actuator/health").status()).isEqualTo(200);
		assertThat(this.browser.get("/v3/api-docs").status()).isEqualTo(200);
		assertThat(this.browser.get("/actuator/env").status()).isEqualTo(403);
		assertThat(this.browser.signedIn(ADMIN, ADMIN_PASSWORD).get("/actuator/env").status()).isEqualTo(403);
	}

	private void createUser(String username, String role) {
		ConsoleBrowser admin = new ConsoleBrowser(this.port).signedIn(ADMIN, ADMIN_PASSWORD);
		Page created = admin.submit("/admin/users/new", "/admin/users", Map.of("username", username, "displayName",
				"User " + username, "role", role, "password", role + "-password-0123"));
		assertThat(created.status()).as(created.toString()).isEqualTo(302);
	}

	private boolean userExists(String username) {
		return this.jdbc.sql("select count(*) from console_user where username = ?")
			.param(username)
			.query(Long.class)
			.single() > 0;
	}

	private boolean tokenExists(String name) {
		return this.jdbc.sql("select count(*) from api_token where name = ?")
			.param(name)
			.query(Long.class)
			.single() > 0;
	}

	static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
