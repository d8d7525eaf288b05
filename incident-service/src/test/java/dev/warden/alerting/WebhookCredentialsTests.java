package dev.warden.alerting;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import dev.warden.storage.DataDirectory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WebhookCredentialsTests {

	@TempDir
	Path temp;

	@Test
	void acceptsConfiguredBearerTokenOrBasicAuth() {
		var credentials = new WebhookCredentials(
				new AlertmanagerSettings("s3cret", "am", "pw", DataSize.ofMegabytes(1)), null);

		assertThat(credentials.accepts("Bearer s3cret")).isTrue();
		assertThat(credentials.accepts("bearer s3cret")).isTrue();
		assertThat(credentials.accepts("Basic " + basic("am:pw"))).isTrue();
		assertThat(credentials.accepts("Bearer s3cret2")).isFalse();
		assertThat(credentials.accepts("Basic " + basic("am:wrong"))).isFalse();
		assertThat(credentials.accepts(null)).isFalse();
		assertThat(credentials.accepts("s3cret")).isFalse();
	}

	@Test
	void closedByDefaultWithAGeneratedToken() throws Exception {
		DataDirectory data = DataDirectory.at(this.temp);
		var credentials = new WebhookCredentials(new AlertmanagerSettings(null, null, null, DataSize.ofMegabytes(1)),
				data);
		String generated = java.nio.file.Files.readString(this.temp.resolve(WebhookCredentials.GENERATED_TOKEN_FILE))
			.strip();

		assertThat(credentials.accepts("Bearer " + generated)).isTrue();
		assertThat(credentials.accepts("Bearer ")).isFalse();
		assertThat(credentials.accepts("Basic " + basic(":"))).isFalse();
	}

	@Test
	void basicAuthNeedsBothHalves() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AlertmanagerSettings(null, "am", null, DataSize.ofMegabytes(1)));
	}

	@Test
	void grafanaTokenComesWithTheContactPointsSchemeAndOpensOnlyGrafanasEndpoint() {
		var grafana = new GrafanaCredentials(
				new GrafanaSettings("g-s3cret", "Token", "grafana", "gpw", DataSize.ofMegabytes(1)), null);
		var alertmanager = new WebhookCredentials(
				new AlertmanagerSettings("s3cret", "am", "pw", DataSize.ofMegabytes(1)), null);

		assertThat(grafana.accepts("Token g-s3cret")).isTrue();
		assertThat(grafana.accepts("token g-s3cret")).isTrue();
		assertThat(grafana.accepts("Basic " + basic("grafana:gpw"))).isTrue();
		assertThat(grafana.accepts("Bearer g-s3cret")).as("another scheme").isFalse();
		assertThat(grafana.accepts("Bearer s3cret")).isFalse();
		assertThat(grafana.accepts("Basic " + basic("am:pw"))).isFalse();
		assertThat(alertmanager.accepts("Bearer g-s3cret")).isFalse();
		assertThat(alertmanager.accepts("Basic " + basic("grafana:gpw"))).isFalse();
	}

	@Test
	void grafanaIsClosedByDefaultWithAGeneratedTokenOfItsOwn() throws Exception {
		DataDirectory data = DataDirectory.at(this.temp);
		var grafana = new GrafanaCredentials(new GrafanaSettings(null, "Bearer", null, null, DataSize.ofMegabytes(1)),
				data);
		var alertmanager = new WebhookCredentials(new AlertmanagerSettings(null, null, null, DataSize.ofMegabytes(1)),
				data);
		String generated = java.nio.file.Files.readString(this.temp.resolve(GrafanaCredentials.GENERATED_TOKEN_FILE))
			.strip();
		String alertmanagers = java.nio.file.Files
			.readString(this.temp.resolve(WebhookCredentials.GENERATED_TOKEN_FILE))
			.strip();

		assertThat(generated).isNotEqualTo(alertmanagers);
		assertThat(grafana.accepts("Bearer " + generated)).isTrue();
		assertThat(grafana.accepts("Bearer " + alertmanagers)).isFalse();
		assertThat(alertmanager.accepts("Bearer " + generated)).isFalse();
		assertThat(grafana.accepts("Basic " + basic(":"))).isFalse();
	}

	@Test
	void grafanaSettingsRefuseHalfBasicAuthAndSchemesThatCannotWork() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GrafanaSettings(null, "Bearer", "grafana", null, DataSize.ofMegabytes(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GrafanaSettings("t", "Basic", null, null, DataSize.ofMegabytes(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GrafanaSettings("t", "Two words", null, null, DataSize.ofMegabytes(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GrafanaSettings("t", "Bearer", null, null, DataSize.ofBytes(0)));
	}

	private static String basic(String credentials) {
		return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

}
