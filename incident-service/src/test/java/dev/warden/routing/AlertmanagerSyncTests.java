package dev.warden.routing;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.warden.matching.LabelMatcher;
import dev.warden.routing.AlertmanagerClient.AmMatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The pieces of the Alertmanager sync that need no Alertmanager: Warden's matchers in
 * Alertmanager's API form and back, the marker that names Warden's silence in a copy's
 * comment, the backoff, and the settings' checks. The sync itself is tested against the
 * real Alertmanager in {@code AlertmanagerSilencesIntegrationTests}.
 */
class AlertmanagerSyncTests {

	@Test
	void eachOperatorMapsToIsRegexAndIsEqualAndBack() {
		assertThat(AmMatcher.of(LabelMatcher.parse("alertname=\"DiskFull\"")))
			.isEqualTo(new AmMatcher("alertname", "DiskFull", false, true));
		assertThat(AmMatcher.of(LabelMatcher.parse("env!=staging")))
			.isEqualTo(new AmMatcher("env", "staging", false, false));
		assertThat(AmMatcher.of(LabelMatcher.parse("instance=~\"db-.*\"")))
			.isEqualTo(new AmMatcher("instance", "db-.*", true, true));
		assertThat(AmMatcher.of(LabelMatcher.parse("zone!~\"eu-.*\"")))
			.isEqualTo(new AmMatcher("zone", "eu-.*", true, false));
		for (String text : new String[] { "a=\"x\"", "a!=\"x\"", "a=~\"x|y\"", "a!~\"x.*\"", "a=\"say \\\"hi\\\"\"" }) {
			LabelMatcher matcher = LabelMatcher.parse(text);
			assertThat(AmMatcher.of(matcher).toLabelMatcher()).isEqualTo(matcher);
			assertThat(AmMatcher.of(matcher)).hasToString(matcher.toString());
		}
	}

	@Test
	void aMatcherWithoutIsEqualFromAnOldAlertmanagerIsAnEquality() {
		assertThat(new AmMatcher("job", "api", false, null)).hasToString("job=\"api\"");
		assertThat(new AmMatcher("job", "api|worker", true, null).toLabelMatcher())
			.isEqualTo(LabelMatcher.parse("job=~\"api|worker\""));
	}

	@Test
	void theCommentNamesWardensSilenceAndIsFoundAgain() {
		SilenceId id = new SilenceId(UUID.fromString("5b0c6a8e-9d1f-4c3e-8a2b-1f0e9d8c7b6a"));
		assertThat(AlertmanagerSync.wardenId("disk swap (warden silence " + id + ")")).contains(id);
		assertThat(AlertmanagerSync.wardenId("set in Grafana")).isEmpty();
		assertThat(AlertmanagerSync.wardenId(null)).isEmpty();
		assertThat(AlertmanagerSync.wardenId("(warden silence not-a-uuid)")).isEmpty();
	}

	@Test
	void backoffDoublesWithJitterUpToTheCap() {
		Duration initial = Duration.ofSeconds(2);
		Duration max = Duration.ofMinutes(5);
		assertThat(AlertmanagerSync.backoff(1, initial, max)).isBetween(Duration.ofSeconds(1), initial);
		assertThat(AlertmanagerSync.backoff(3, initial, max)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
		assertThat(AlertmanagerSync.backoff(500, initial, max)).isBetween(max.dividedBy(2), max);
	}

	@Test
	void settingsRefuseWhatCannotWork() {
		Duration s = Duration.ofSeconds(1);
		assertThat(new AlertmanagerApiSettings(null, null, null, null, s, s, s, s).configured()).isFalse();
		assertThat(new AlertmanagerApiSettings(URI.create("http://alertmanager:9093"), null, null, null, s, s, s, s)
			.configured()).isTrue();
		assertThatIllegalArgumentException().isThrownBy(
				() -> new AlertmanagerApiSettings(URI.create("alertmanager:9093"), null, null, null, s, s, s, s));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AlertmanagerApiSettings(URI.create("http://alertmanager:9093"), null, "warden", null,
					s, s, s, s));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AlertmanagerApiSettings(URI.create("http://alertmanager:9093"), "token", "warden",
					"secret", s, s, s, s));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AlertmanagerApiSettings(URI.create("http://alertmanager:9093"), null, null, null, s,
					s, Duration.ofMinutes(1), s));
	}

}
