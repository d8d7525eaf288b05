package dev.warden.console;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.console.ConsoleBrowser.Page;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static dev.warden.console.ConsoleSecurityTests.shortId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed sign-ins throttle: a username after 5 failures within 15 minutes, an address
 * after 10 (lowered from 20 to keep the test short), for 15 minutes, whether the user
 * exists or not. Each test starts after the previous test's windows and locks are over.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=console-throttle",
		"warden.console.admin.username=" + ConsoleLoginThrottleTests.ADMIN,
		"warden.console.admin.password=" + ConsoleLoginThrottleTests.ADMIN_PASSWORD,
		"warden.console.login-throttle.max-failures-per-address=10" })
class ConsoleLoginThrottleTests {

	static final String ADMIN = "gatekeeper";

	static final String ADMIN_PASSWORD = "gatekeeper-password-0123";

	static final String PASSWORD = "right-password-0123";

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void startAfterEarlierLocks() {
		this.clock.advance(Duration.ofMinutes(31));
	}

	@Test
	void fiveWrongPasswordsRefuseEvenTheRightOneForFifteenMinutes() {
		String username = user();
		for (int attempt = 1; attempt <= 5; attempt++) {
			assertThat(signIn(username, "wrong-password-" + attempt).location()).endsWith("/login?error");
		}

		ConsoleBrowser browser = new ConsoleBrowser(this.port);
		Page refused = browser.signIn(username, PASSWORD);

		assertThat(refused.location()).endsWith("/login?throttled");
		assertThat(browser.follow(refused).body()).contains("Too many failed sign-ins")
			.doesNotContain("Wrong username or password");
		assertThat(browser.get("/").redirectsToSignIn()).isTrue();

		this.clock.advance(Duration.ofMinutes(14));
		assertThat(signIn(username, PASSWORD).location()).endsWith("/login?throttled");

		this.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
		assertThat(new ConsoleBrowser(this.port).signedIn(username, PASSWORD).get("/").status()).isEqualTo(200);
	}

	@Test
	void fourWrongPasswordsDoNotLock() {
		String username = user();
		for (int attempt = 1; attempt <= 4; attempt++) {
			signIn(username, "wrong-password-" + attempt);
		}

		assertThat(signIn(username, PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void failuresCountPerUsernameRegardlessOfCase() {
		String username = user();
		for (int attempt = 1; attempt <= 5; attempt++) {
			signIn((attempt % 2 == 0) ? username.toUpperCase() : username, "wrong-password-" + attempt);
		}

		assertThat(signIn(username, PASSWORD).location()).endsWith("/login?throttled");
		// Other users go on signing in.
		assertThat(signIn(ADMIN, ADMIN_PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void unknownUsernamesAreRefusedAlikeSoRefusalsRevealNoUsers() {
		String existing = user();
		String unknown = "nobody-" + shortId();
		for (int attempt = 1; attempt <= 5; attempt++) {
			assertThat(signIn(existing, "wrong-password").location()).endsWith("/login?error");
			assertThat(signIn(unknown, "wrong-password").location()).endsWith("/login?error");
		}

		ConsoleBrowser existingBrowser = new ConsoleBrowser(this.port);
		ConsoleBrowser unknownBrowser = new ConsoleBrowser(this.port);
		Page existingRefused = existingBrowser.signIn(existing, PASSWORD);
		Page unknownRefused = unknownBrowser.signIn(unknown, PASSWORD);

		assertThat(existingRefused.location()).endsWith("/login?throttled");
		assertThat(unknownRefused.location()).isEqualTo(existingRefused.location());
		assertThat(message(unknownBrowser.follow(unknownRefused)))
			.isEqualTo(message(existingBrowser.follow(existingRefused)));
	}

	@Test
	void signingInResetsTheUsernamesFailures() {
		String username = user();
		for (int attempt = 1; attempt <= 4; attempt++) {
			signIn(username, "wrong-password-" + attempt);
		}
		assertThat(signIn(username, PASSWORD).location()).doesNotContain("/login");

		for (int attempt = 1; attempt <= 4; attempt++) {
			signIn(username, "wrong-password-" + attempt);
		}

		assertThat(signIn(username, PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void tooManyFailuresFromOneAddressRefuseEveryUsernameFromIt() {
		for (int attempt = 1; attempt <= 10; attempt++) {
			signIn("guess-" + attempt + "-" + shortId(), "wrong-password");
		}

		assertThat(signIn(ADMIN, ADMIN_PASSWORD).location()).endsWith("/login?throttled");

		this.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
		assertThat(signIn(ADMIN, ADMIN_PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void countersAreKeptInTheDatabaseForEveryInstance() {
		String username = user();

		signIn(username, "wrong-password");

		assertThat(this.jdbc.sql("select failures from console_login_throttle where kind = 'username' and key = ?")
			.param(username)
			.query(Integer.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql("select failures from console_login_throttle where kind = 'address' and key = ?")
			.param("127.0.0.1")
			.query(Integer.class)
			.single()).isGreaterThanOrEqualTo(1);
	}

	/** A new user with {@link #PASSWORD}, created on the admin page. */
	private String user() {
		String username = "user-" + shortId();
		Page created = new ConsoleBrowser(this.port).signedIn(ADMIN, ADMIN_PASSWORD)
			.submit("/admin/users/new", "/admin/users",
					Map.of("username", username, "displayName", "Some One", "role", "viewer", "password", PASSWORD));
		assertThat(created.status()).isEqualTo(302);
		return username;
	}

	private Page signIn(String username, String password) {
		return new ConsoleBrowser(this.port).signIn(username, password);
	}

	private static String message(Page page) {
		return page.body().replaceAll("(?s).*<p id=\"login-error\"[^>]*>([^<]*)</p>.*", "$1");
	}

}
