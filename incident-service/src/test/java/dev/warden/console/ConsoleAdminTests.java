package dev.warden.console;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.WardenClient;
import dev.warden.console.ConsoleBrowser.Page;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.TestPropertySource;

import static dev.warden.console.ConsoleSecurityTests.ADMIN;
import static dev.warden.console.ConsoleSecurityTests.ADMIN_PASSWORD;
import static dev.warden.console.ConsoleSecurityTests.shortId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What admins do on the admin pages, and that each change holds: new users, roles,
 * disabling, password resets, API tokens. Refused changes show the form again and change
 * nothing.
 */
@IntegrationTest
@TestPropertySource(
		properties = { "warden.test.context=console", "warden.console.admin.username=" + ConsoleSecurityTests.ADMIN,
				"warden.console.admin.password=" + ConsoleSecurityTests.ADMIN_PASSWORD,
				"warden.console.admin.display-name=Chief Admin" })
class ConsoleAdminTests {

	private static final Pattern TOKEN_VALUE = Pattern.compile("<code id=\"token-value\"[^>]*>([^<]+)</code>");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	ConsoleBrowser admin;

	@BeforeEach
	void setUp() {
		this.admin = new ConsoleBrowser(this.port).signedIn(ADMIN, ADMIN_PASSWORD);
	}

	@Test
	void adminCreatesAUserWhoCanSignIn() {
		String username = "ada-" + shortId();

		Page created = create("Ada-" + username.substring(4).toUpperCase() + " ", "Ada Lovelace", "responder",
				"analytical-engine-1843");

		assertThat(created.status()).isEqualTo(302);
		Page list = this.admin.follow(created);
		assertThat(list.body()).contains("Created responder &#39;" + username + "&#39;", "Ada Lovelace");
		assertThat(passwordHash(username)).startsWith("{argon2@SpringSecurity_v5_8}$argon2id$")
			.doesNotContain("analytical-engine-1843");
		Page home = new ConsoleBrowser(this.port).signedIn(username.toUpperCase(), "analytical-engine-1843").get("/");
		assertThat(home.body()).contains("Ada Lovelace", ">responder<");
	}

	@Test
	void refusesInvalidNewUsersAndChangesNothing() {
		long before = users();
		String username = "grace-" + shortId();

		Page shortPassword = create(username, "Grace Hopper", "viewer", "eleven-char");
		Page taken = create(ADMIN.toUpperCase(), "Another Chief", "admin", "long-enough-password");
		Page badName = create("grace hopper!", "Grace Hopper", "viewer", "long-enough-password");
		Page noDisplayName = create(username, "  ", "viewer", "long-enough-password");
		Page badRole = create(username, "Grace Hopper", "superuser", "long-enough-password");

		assertThat(shortPassword.status()).isEqualTo(200);
		assertThat(shortPassword.body()).contains("A password has at least 12 characters.")
			.contains("value=\"" + username + "\"")
			.doesNotContain("eleven-char");
		assertThat(taken.body()).contains("A user named &#39;chief&#39; exists already.");
		assertThat(badName.body()).contains("A username has 1 to 64 characters");
		assertThat(noDisplayName.body()).contains("Give the user a display name.");
		assertThat(badRole.body()).contains("Choose a role: viewer, responder or admin.");
		assertThat(users()).isEqualTo(before);
		assertThat(new ConsoleBrowser(this.port).signIn(ADMIN, "long-enough-password").location())
			.endsWith("/login?error");
	}

	@Test
	void changedRoleAppliesToTheUsersNextRequest() {
		String username = "role-" + shortId();
		create(username, "Role Changer", "viewer", "role-password-0123");
		long id = id(username);
		ConsoleBrowser user = new ConsoleBrowser(this.port).signedIn(username, "role-password-0123");
		assertThat(user.get("/admin/users").status()).isEqualTo(403);

		Page promoted = this.admin.submit("/admin/users/" + id, "/admin/users/" + id + "/role",
				Map.of("role", "admin"));

		assertThat(promoted.status()).isEqualTo(302);
		assertThat(this.admin.follow(promoted).body()).contains("is now admin");
		assertThat(user.get("/admin/users").status()).isEqualTo(200);
		assertThat(user.get("/").body()).contains(">admin<");

		this.admin.submit("/admin/users/" + id, "/admin/users/" + id + "/role", Map.of("role", "viewer"));

		assertThat(user.get("/admin/users").status()).isEqualTo(403);
		assertThat(role(username)).isEqualTo("viewer");
	}

	@Test
	void disablingEndsTheSessionsAndStopsSignIn() {
		String username = "off-" + shortId();
		create(username, "Switched Off", "responder", "off-password-0123");
		long id = id(username);
		ConsoleBrowser user = new ConsoleBrowser(this.port).signedIn(username, "off-password-0123");
		ConsoleBrowser idle = new ConsoleBrowser(this.port).signedIn(username, "off-password-0123");

		Page disabled = this.admin.submit("/admin/users/" + id, "/admin/users/" + id + "/enabled",
				Map.of("enabled", "false"));

		assertThat(disabled.status()).isEqualTo(302);
		assertThat(user.get("/").redirectsToSignIn()).isTrue();
		Page signIn = new ConsoleBrowser(this.port).signIn(username, "off-password-0123");
		assertThat(signIn.location()).endsWith("/login?error");

		this.admin.submit("/admin/users/" + id, "/admin/users/" + id + "/enabled", Map.of("enabled", "true"));

		// A session idle while the user was disabled does not come back with enabling.
		assertThat(idle.get("/").redirectsToSignIn()).isTrue();
		assertThat(new ConsoleBrowser(this.port).signedIn(username, "off-password-0123").get("/").status())
			.isEqualTo(200);
	}

	@Test
	void resettingThePasswordEndsTheSessionsAndReplacesThePassword() {
		String username = "reset-" + shortId();
		create(username, "Forgetful", "viewer", "old-password-0123");
		long id = id(username);
		ConsoleBrowser user = new ConsoleBrowser(this.port).signedIn(username, "old-password-0123");
		String hash = passwordHash(username);

		Page tooShort = this.admin.submit("/admin/users/" + id, "/admin/users/" + id + "/password",
				Map.of("password", "short"));

		assertThat(tooShort.status()).isEqualTo(200);
		assertThat(tooShort.body()).contains("A password has at least 12 characters.");
		assertThat(passwordHash(username)).isEqualTo(hash);
		assertThat(user.get("/").status()).isEqualTo(200);

		Page reset = this.admin.submit("/admin/users/" + id, "/admin/users/" + id + "/password",
				Map.of("password", "new-password-0123"));

		assertThat(reset.status()).isEqualTo(302);
		assertThat(user.get("/").redirectsToSignIn()).isTrue();
		assertThat(new ConsoleBrowser(this.port).signIn(username, "old-password-0123").location())
			.endsWith("/login?error");
		new ConsoleBrowser(this.port).signedIn(username, "new-password-0123");
	}

	@Test
	void bcryptHashSetWithSqlSignsInAndIsReplacedByArgon2() {
		String username = "recovered-" + shortId();
		create(username, "Locked Out", "admin", "forgotten-password-0123");
		this.jdbc.sql("update console_user set password_hash = ? where username = ?")
			.params("{bcrypt}" + new BCryptPasswordEncoder(12).encode("recovered-password-0123"), username)
			.update();

		new ConsoleBrowser(this.port).signedIn(username, "recovered-password-0123");

		assertThat(passwordHash(username)).startsWith("{argon2@SpringSecurity_v5_8}");
		new ConsoleBrowser(this.port).signedIn(username, "recovered-password-0123");
		assertThat(new ConsoleBrowser(this.port).signIn(username, "forgotten-password-0123").location())
			.endsWith("/login?error");
	}

	@Test
	void oneEnabledAdminAlwaysRemains() {
		long chief = id(ADMIN);
		for (long other : this.jdbc.sql("select id from console_user where role = 'admin' and id <> ?")
			.param(chief)
			.query(Long.class)
			.list()) {
			this.admin.submit("/admin/users/" + other, "/admin/users/" + other + "/role", Map.of("role", "viewer"));
		}

		Page demote = this.admin.submit("/admin/users/" + chief, "/admin/users/" + chief + "/role",
				Map.of("role", "viewer"));
		Page disableSelf = this.admin.submit("/admin/users/" + chief, "/admin/users/" + chief + "/enabled",
				Map.of("enabled", "false"));

		assertThat(demote.status()).isEqualTo(200);
		assertThat(demote.body()).contains("it is the only enabled admin");
		assertThat(disableSelf.body()).contains("You cannot disable your own account");
		assertThat(role(ADMIN)).isEqualTo("admin");
		assertThat(this.admin.get("/admin/users").status()).isEqualTo(200);
	}

	@Test
	void tokenIssuedInTheConsoleOpensTheApiUntilRevoked() {
		String name = "ci-" + shortId();

		Page issued = this.admin.submit("/admin/tokens", "/admin/tokens", Map.of("name", name, "scopes", "read"));

		assertThat(issued.status()).isEqualTo(200);
		Matcher value = TOKEN_VALUE.matcher(issued.body());
		assertThat(value.find()).as(issued.body()).isTrue();
		String token = value.group(1);
		assertThat(token).startsWith("warden_").hasSizeGreaterThan(40);
		assertThat(api(token).status()).isEqualTo(200);
		// Shown once: neither the list nor the database has it.
		Page list = this.admin.get("/admin/tokens");
		assertThat(list.body()).contains(name).doesNotContain(token);
		assertThat(this.jdbc.sql("select token_hash from api_token where name = ?")
			.param(name)
			.query(byte[].class)
			.single()).isNotEqualTo(token.getBytes(StandardCharsets.UTF_8)).hasSize(32);

		long id = this.jdbc.sql("select id from api_token where name = ?").param(name).query(Long.class).single();
		Page revoked = this.admin.submit("/admin/tokens", "/admin/tokens/" + id + "/revoke", Map.of());

		assertThat(revoked.status()).isEqualTo(302);
		assertThat(this.admin.follow(revoked).body()).contains("Revoked the token");
		assertThat(api(token).status()).isEqualTo(401);
		assertThat(api(dev.warden.IntegrationTest.API_TOKEN).status()).isEqualTo(200);
	}

	@Test
	void tokenIssuedWithScopesAndExpiryShowsThemAndMayDoWhatTheyAllow() {
		String name = "deployer-" + shortId();

		Page issued = this.admin.submit("/admin/tokens", "/admin/tokens",
				List.of(Map.entry("name", name), Map.entry("scopes", "read"), Map.entry("scopes", "automate"),
						Map.entry("expiresAt", "2099-01-31T09:30")));

		assertThat(issued.status()).isEqualTo(200);
		assertThat(issued.body()).contains("<dd id=\"token-scopes\">read, automate</dd>", "2099-01-31 09:30:00 UTC");
		Matcher value = TOKEN_VALUE.matcher(issued.body());
		assertThat(value.find()).as(issued.body()).isTrue();
		String token = value.group(1);
		assertThat(api(token).status()).isEqualTo(200);
		assertThat(apiPost("/api/v1/runbooks/automatic/resume", token).status()).isEqualTo(200);
		assertThat(apiPost("/api/v1/silences", token).status()).isEqualTo(403);
		assertThat(this.jdbc.sql("select array_to_string(scopes, ',') from api_token where name = ?")
			.param(name)
			.query(String.class)
			.single()).isEqualTo("read,automate");

		String row = tokenRow(this.admin.get("/admin/tokens").body(), name);
		// Used once above: a last use, and no expiry or use reads "never".
		assertThat(row).contains("read, automate", ">" + ADMIN + "<", "2099-01-31 09:30:00 UTC", ">active<")
			.doesNotContain("never", "(expired)");
		String bootstrap = tokenRow(this.admin.get("/admin/tokens").body(), "bootstrap");
		assertThat(bootstrap).contains("admin", "from configuration");
	}

	@Test
	void expiredAndRevokedTokensAreMarkedAndRefusedScopesIssueNothing() {
		long before = tokens();

		Page noScope = this.admin.submit("/admin/tokens", "/admin/tokens", Map.of("name", "none-" + shortId()));
		Page unknownScope = this.admin.submit("/admin/tokens", "/admin/tokens",
				Map.of("name", "bad-" + shortId(), "scopes", "superuser"));
		Page pastExpiry = this.admin.submit("/admin/tokens", "/admin/tokens",
				Map.of("name", "old-" + shortId(), "scopes", "read", "expiresAt", "2001-01-01T00:00"));
		Page badExpiry = this.admin.submit("/admin/tokens", "/admin/tokens",
				Map.of("name", "odd-" + shortId(), "scopes", "read", "expiresAt", "next week"));

		assertThat(noScope.body()).contains("Give the token at least one scope");
		assertThat(unknownScope.body()).contains("&#39;superuser&#39; is not a scope");
		assertThat(pastExpiry.body()).contains("is not in the future");
		assertThat(badExpiry.body()).contains("The expiry &#39;next week&#39; is not a date and time");
		assertThat(List.of(noScope, unknownScope, pastExpiry, badExpiry)).allSatisfy((page) -> {
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.body()).doesNotContain("token-value");
		});
		assertThat(tokens()).isEqualTo(before);

		String expired = "expired-" + shortId();
		this.admin.submit("/admin/tokens", "/admin/tokens", Map.of("name", expired, "scopes", "read"));
		// Before the test clock's start, so past whatever the clock says now.
		this.jdbc.sql("update api_token set expires_at = ? where name = ?")
			.params(java.sql.Timestamp.from(IntegrationTest.START.minusSeconds(3600)), expired)
			.update();
		assertThat(tokenRow(this.admin.get("/admin/tokens").body(), expired)).contains("(expired)", "expired");
	}

	@Test
	void refusesInvalidTokenNamesAndIssuesNothing() {
		long before = tokens();

		Page blank = this.admin.submit("/admin/tokens", "/admin/tokens", Map.of("name", "   ", "scopes", "read"));
		Page taken = this.admin.submit("/admin/tokens", "/admin/tokens", Map.of("name", "bootstrap", "scopes", "read"));
		Page tooLong = this.admin.submit("/admin/tokens", "/admin/tokens",
				Map.of("name", "x".repeat(65), "scopes", "read"));

		assertThat(blank.status()).isEqualTo(200);
		assertThat(blank.body()).contains("Give the token a name");
		assertThat(taken.body()).contains("A token named &#39;bootstrap&#39; exists already");
		assertThat(tooLong.body()).contains("at most 64 characters");
		assertThat(List.of(blank, taken, tooLong))
			.allSatisfy((page) -> assertThat(page.body()).doesNotContain("token-value"));
		assertThat(tokens()).isEqualTo(before);
	}

	private Page create(String username, String displayName, String role, String password) {
		return this.admin.submit("/admin/users/new", "/admin/users",
				Map.of("username", username, "displayName", displayName, "role", role, "password", password));
	}

	/** The row of the token list with this name. */
	private static String tokenRow(String page, String name) {
		Matcher row = Pattern
			.compile("<tr id=\"token-\\d+\"[^>]*>\\s*<td>\\s*<span>" + Pattern.quote(name) + "</span>.*?</tr>",
					Pattern.DOTALL)
			.matcher(page);
		assertThat(row.find()).as("a row for %s in %s", name, page).isTrue();
		return row.group();
	}

	private WardenClient.Response apiPost(String path, String token) {
		WardenClient client = new WardenClient(this.port);
		return client.send(HttpRequest.newBuilder(client.uri(path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}")));
	}

	private Page api(String token) {
		return new ConsoleBrowser(this.port).get("/api/v1/incidents", "Authorization", "Bearer " + token);
	}

	private long id(String username) {
		return this.jdbc.sql("select id from console_user where username = ?")
			.param(username)
			.query(Long.class)
			.single();
	}

	private String role(String username) {
		return this.jdbc.sql("select role from console_user where username = ?")
			.param(username)
			.query(String.class)
			.single();
	}

	private String passwordHash(String username) {
		return this.jdbc.sql("select password_hash from console_user where username = ?")
			.param(username)
			.query(String.class)
			.single();
	}

	private long users() {
		return this.jdbc.sql("select count(*) from console_user").query(Long.class).single();
	}

	private long tokens() {
		return this.jdbc.sql("select count(*) from api_token").query(Long.class).single();
	}

}
