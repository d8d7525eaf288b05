package dev.warden.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.console.ConsoleBrowser;
import dev.warden.console.ConsoleBrowser.Page;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in attempts are budgeted per (username, client address), here 5, and per client
 * address, here 15 (both lowered from 10 and 50 to keep the tests short), within 15
 * minutes, whether the user exists or not; a username is never refused from addresses
 * that did not spend its budget. The attempt is taken before the password is checked, so
 * parallel posts cannot get past the budget. Browsers connect from their own loopback
 * addresses (127.x.y.z), which Warden sees as different clients; each test uses fresh
 * ones.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=console-throttle",
		"warden.console.admin.username=" + ConsoleLoginThrottleTests.ADMIN,
		"warden.console.admin.password=" + ConsoleLoginThrottleTests.ADMIN_PASSWORD,
		"warden.console.login-throttle.max-failures-per-username-and-address=" + ConsoleLoginThrottleTests.PER_USERNAME,
		"warden.console.login-throttle.max-failures-per-address=" + ConsoleLoginThrottleTests.PER_ADDRESS })
class ConsoleLoginThrottleTests {

	static final String ADMIN = "gatekeeper";

	static final String ADMIN_PASSWORD = "gatekeeper-password-0123";

	static final String PASSWORD = "right-password-0123";

	static final int PER_USERNAME = 5;

	static final int PER_ADDRESS = 15;

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	LoginThrottleSettings settings;

	@Autowired
	LoginThrottle throttle;

	InetAddress here;

	InetAddress elsewhere;

	@BeforeEach
	void freshAddresses() {
		this.clock.advance(Duration.ofMinutes(31));
		this.here = loopbackAddress();
		this.elsewhere = loopbackAddress();
	}

	@Test
	void wrongPasswordsFromOneAddressRefuseTheUsernameOnlyFromThere() {
		String username = user();
		for (int attempt = 1; attempt <= PER_USERNAME; attempt++) {
			assertThat(signIn(this.here, username, "wrong-password-" + attempt).location()).endsWith("/login?error");
		}

		ConsoleBrowser attacked = new ConsoleBrowser(this.port, this.here);
		Page refused = attacked.signIn(username, PASSWORD);

		assertThat(refused.location()).endsWith("/login?throttled");
		assertThat(attacked.follow(refused).body()).contains("Too many failed sign-ins")
			.doesNotContain("Wrong username or password");
		assertThat(attacked.get("/").redirectsToSignIn()).isTrue();
		// The owner, elsewhere, is not locked out by what happened at the attacker's
		// address.
		assertThat(new ConsoleBrowser(this.port, this.elsewhere).signedIn(username, PASSWORD).get("/").status())
			.isEqualTo(200);

		// One attempt comes back every 15 min / 5 = 3 minutes.
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(signIn(this.here, username, PASSWORD).location()).endsWith("/login?throttled");
		this.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
		assertThat(new ConsoleBrowser(this.port, this.here).signedIn(username, PASSWORD).get("/").status())
			.isEqualTo(200);
	}

	@Test
	void fewerWrongPasswordsThanTheBudgetDoNotThrottle() {
		String username = user();
		for (int attempt = 1; attempt < PER_USERNAME; attempt++) {
			signIn(this.here, username, "wrong-password-" + attempt);
		}

		assertThat(signIn(this.here, username, PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void failuresCountPerUsernameRegardlessOfCase() {
		String username = user();
		for (int attempt = 1; attempt <= PER_USERNAME; attempt++) {
			signIn(this.here, (attempt % 2 == 0) ? username.toUpperCase() : username, "wrong-password-" + attempt);
		}

		assertThat(signIn(this.here, username, PASSWORD).location()).endsWith("/login?throttled");
		// Other users go on signing in, from the same address too.
		assertThat(signIn(this.here, ADMIN, ADMIN_PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void unknownUsernamesAreRefusedAlikeSoRefusalsRevealNoUsers() {
		String existing = user();
		String unknown = "nobody-" + shortId();
		for (int attempt = 1; attempt <= PER_USERNAME; attempt++) {
			assertThat(signIn(this.here, existing, "wrong-password").location()).endsWith("/login?error");
			assertThat(signIn(this.here, unknown, "wrong-password").location()).endsWith("/login?error");
		}

		ConsoleBrowser existingBrowser = new ConsoleBrowser(this.port, this.here);
		ConsoleBrowser unknownBrowser = new ConsoleBrowser(this.port, this.here);
		Page existingRefused = existingBrowser.signIn(existing, PASSWORD);
		Page unknownRefused = unknownBrowser.signIn(unknown, PASSWORD);

		assertThat(existingRefused.location()).endsWith("/login?throttled");
		assertThat(unknownRefused.location()).isEqualTo(existingRefused.location());
		assertThat(message(unknownBrowser.follow(unknownRefused)))
			.isEqualTo(message(existingBrowser.follow(existingRefused)));
	}

	@Test
	void signingInResetsTheUsernamesBudgetFromThatAddress() {
		String username = user();
		for (int attempt = 1; attempt < PER_USERNAME; attempt++) {
			signIn(this.here, username, "wrong-password-" + attempt);
		}
		assertThat(signIn(this.here, username, PASSWORD).location()).doesNotContain("/login");

		for (int attempt = 1; attempt < PER_USERNAME; attempt++) {
			signIn(this.here, username, "wrong-password-" + attempt);
		}

		assertThat(signIn(this.here, username, PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void tooManyFailuresFromOneAddressRefuseEveryUsernameFromItButNotFromElsewhere() {
		for (int attempt = 1; attempt <= PER_ADDRESS; attempt++) {
			assertThat(signIn(this.here, "guess-" + attempt + "-" + shortId(), "wrong-password").location())
				.endsWith("/login?error");
		}

		assertThat(signIn(this.here, ADMIN, ADMIN_PASSWORD).location()).endsWith("/login?throttled");
		assertThat(signIn(this.elsewhere, ADMIN, ADMIN_PASSWORD).location()).doesNotContain("/login");

		// One attempt comes back every 15 min / 15 = 1 minute.
		this.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
		assertThat(signIn(this.here, ADMIN, ADMIN_PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void signingInDoesNotResetTheAddressBudget() {
		for (int attempt = 1; attempt < PER_ADDRESS; attempt++) {
			signIn(this.here, "guess-" + attempt + "-" + shortId(), "wrong-password");
		}
		// Someone who knows a password signs in from the attacked address: that gives
		// back their own attempt, not the attacker's.
		assertThat(signIn(this.here, ADMIN, ADMIN_PASSWORD).location()).doesNotContain("/login");
		assertThat(signIn(this.here, "guess-last-" + shortId(), "wrong-password").location()).endsWith("/login?error");

		assertThat(signIn(this.here, ADMIN, ADMIN_PASSWORD).location()).endsWith("/login?throttled");
	}

	@Test
	void aBurstOfParallelWrongPasswordsReachesThePasswordCheckOnlyAsOftenAsTheBudgetAllows() throws Exception {
		String username = user();

		Map<String, Long> answers = burst(30, (i) -> username);

		assertThat(answers).containsOnlyKeys("error", "throttled")
			.containsEntry("error", (long) PER_USERNAME)
			.containsEntry("throttled", 30L - PER_USERNAME);
		assertThat(signIn(this.here, username, PASSWORD).location()).endsWith("/login?throttled");
		assertThat(signIn(this.elsewhere, username, PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void aBurstOfParallelGuessesOfManyUsernamesFromOneAddressStopsAtTheAddressBudget() throws Exception {
		String id = shortId();

		Map<String, Long> answers = burst(40, (i) -> "guess-" + i + "-" + id);

		assertThat(answers).containsOnlyKeys("error", "throttled")
			.containsEntry("error", (long) PER_ADDRESS)
			.containsEntry("throttled", 40L - PER_ADDRESS);
		assertThat(signIn(this.here, ADMIN, ADMIN_PASSWORD).location()).endsWith("/login?throttled");
		assertThat(signIn(this.elsewhere, ADMIN, ADMIN_PASSWORD).location()).doesNotContain("/login");
	}

	@Test
	void budgetsAreKeptInTheDatabaseForEveryInstance() {
		String username = user();
		// Another instance on the same database spends the budget of this username from
		// this address.
		LoginThrottle otherInstance = new LoginThrottle(this.dataSource, this.settings, this.clock);
		for (int attempt = 1; attempt <= PER_USERNAME; attempt++) {
			otherInstance.failed(otherInstance.take(username, this.here.getHostAddress()));
		}

		assertThat(signIn(this.here, username, PASSWORD).location()).endsWith("/login?throttled");
		assertThat(signIn(this.elsewhere, username, PASSWORD).location()).doesNotContain("/login");
		List<String> ids = this.jdbc.sql("select id from console_login_bucket where id like ?")
			.param("% " + this.here.getHostAddress())
			.query(String.class)
			.list();
		assertThat(ids).hasSize(2).noneMatch((id) -> id.contains(username));
	}

	@Test
	void bucketsAreDeletedOnceRefilled() {
		long before = System.currentTimeMillis();
		signIn(this.here, "guess-" + shortId(), "wrong-password");
		signIn(this.elsewhere, "guess-" + shortId(), "wrong-password");

		// Full again after one attempt's refill: 15 min / 5 for the username from the
		// address, 15 min / 15 for the address (bucket4j dates them by the system clock).
		assertThat(expiries(this.here)).hasSize(2)
			.allSatisfy((expiresAt) -> assertThat(expiresAt).isBetween(before + Duration.ofSeconds(50).toMillis(),
					System.currentTimeMillis() + Duration.ofMinutes(3).toMillis()));
		this.throttle.forgetRefilled();
		assertThat(expiries(this.here)).hasSize(2);

		// Time passes for the buckets of "here" only.
		this.jdbc.sql("update console_login_bucket set expires_at = expires_at - ? where id like ?")
			.params(Duration.ofMinutes(3).toMillis(), "% " + this.here.getHostAddress())
			.update();
		this.throttle.forgetRefilled();

		assertThat(expiries(this.here)).isEmpty();
		assertThat(expiries(this.elsewhere)).hasSize(2);
	}

	@Test
	void ipv6AddressesCountPerNetwork() {
		assertThat(LoginThrottle.network("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2::/64");
		assertThat(LoginThrottle.network("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2::/64");
		assertThat(LoginThrottle.network("127.0.0.2")).isEqualTo("127.0.0.2");
	}

	/**
	 * Posts wrong passwords from {@link #here} all at once: every browser first opens the
	 * form, then all post together.
	 * @return how many answers said what ({@code error}, {@code throttled}, ...)
	 */
	private Map<String, Long> burst(int posts, IntFunction<String> username) throws Exception {
		List<ConsoleBrowser> browsers = new ArrayList<>();
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < posts; i++) {
			ConsoleBrowser browser = new ConsoleBrowser(this.port, this.here);
			tokens.add(browser.get("/login").csrfToken());
			browsers.add(browser);
		}
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Page>> answers = new ArrayList<>();
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < posts; i++) {
				ConsoleBrowser browser = browsers.get(i);
				Map<String, String> form = Map.of("username", username.apply(i), "password", "wrong-password", "_csrf",
						tokens.get(i));
				answers.add(threads.submit(() -> {
					go.await();
					return browser.post("/login", form);
				}));
			}
			go.countDown();
		}
		List<String> outcomes = new ArrayList<>();
		for (Future<Page> answer : answers) {
			outcomes.add(answer.get().location().replaceAll(".*/login\\?", ""));
		}
		return outcomes.stream().collect(Collectors.groupingBy((outcome) -> outcome, Collectors.counting()));
	}

	private List<Long> expiries(InetAddress address) {
		return this.jdbc.sql("select expires_at from console_login_bucket where id like ?")
			.param("% " + address.getHostAddress())
			.query(Long.class)
			.list();
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

	private Page signIn(InetAddress from, String username, String password) {
		return new ConsoleBrowser(this.port, from).signIn(username, password);
	}

	private static String message(Page page) {
		return page.body().replaceAll("(?s).*<p id=\"login-error\"[^>]*>([^<]*)</p>.*", "$1");
	}

	/** An address of 127.0.0.0/8 other than 127.0.0.1, new with high probability. */
	private static InetAddress loopbackAddress() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		try {
			return InetAddress.getByAddress(new byte[] { 127, (byte) random.nextInt(1, 255),
					(byte) random.nextInt(0, 256), (byte) random.nextInt(1, 255) });
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
