package dev.warden.console;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.heartbeats.HeartbeatIntegrationTests;
import dev.warden.heartbeats.Heartbeats;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static dev.warden.console.Html.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heartbeats page over real HTTP with real sign-in: linked from the navigation, it
 * lists every declared heartbeat with when it was last seen and its state. Shares its
 * context (and heartbeat file) with {@link HeartbeatIntegrationTests}.
 */
@IntegrationTest
@TestPropertySource(properties = { HeartbeatIntegrationTests.CONTEXT, HeartbeatIntegrationTests.FILE,
		HeartbeatIntegrationTests.ADMIN_NAME, HeartbeatIntegrationTests.ADMIN_PASSWORD })
class ConsoleHeartbeatPageTests {

	static {
		HeartbeatIntegrationTests.prepareFile();
	}

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	Heartbeats heartbeats;

	@Test
	void pageListsHeartbeatsWithLastSeenAndState() {
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn("heartbeats-admin", "heartbeats-password-0123");
		this.heartbeats.ping("console-shown", "nightly-report");
		this.clock.advance(Duration.ofMinutes(30));

		ConsoleBrowser.Page home = browser.get("/incidents");
		ConsoleBrowser.Page page = browser.get("/heartbeats");

		assertThat(home.body()).contains("href=\"/heartbeats\"");
		assertThat(page.status()).isEqualTo(200);
		String shown = text(row(page.body(), "console-shown"));
		assertThat(shown).contains("console-shown", "shown on the console", "up", "30 min ago", "24h", "+ 2h grace",
				"reports", "info", "API", "last: nightly-report");
		String never = text(row(page.body(), "console-never"));
		assertThat(never).contains("never seen", "never", "1h", "+ 0s grace");
		assertThat(text(row(page.body(), "watchdog-test"))).contains("alertname=\"Watchdog\"");
		assertThat(page.body()).doesNotContain("heartbeat-problems");
		for (String name : List.of("on-time", "nightly-retraining", "scheduled")) {
			assertThat(page.body()).contains("id=\"heartbeat-" + name + "\"");
		}
	}

	private static String row(String html, String name) {
		int start = html.indexOf("<tr id=\"heartbeat-" + name + "\"");
		assertThat(start).as("a row for " + name).isNotNegative();
		return html.substring(start, html.indexOf("</tr>", start));
	}

}
