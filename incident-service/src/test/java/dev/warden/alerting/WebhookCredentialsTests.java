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

	private static String basic(String credentials) {
		return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

}
