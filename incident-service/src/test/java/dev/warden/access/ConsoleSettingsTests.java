package dev.warden.access;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The console's settings refuse what would weaken sign-in, with a clear reason. */
class ConsoleSettingsTests {

	@Test
	void refusesAConfiguredAdminPasswordShorterThanTwelveCharacters() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FirstAdminSettings("admin", "short-pass", "Admin"))
			.withMessageContaining("warden.console.admin.password must have 12 to 256 characters");
	}

	@Test
	void emptyAdminPasswordMeansGenerateOne() {
		assertThat(new FirstAdminSettings("admin", "", "Admin").hasPassword()).isFalse();
		assertThat(new FirstAdminSettings("admin", null, "Admin").hasPassword()).isFalse();
		assertThat(new FirstAdminSettings("admin", "twelve-chars", "Admin").hasPassword()).isTrue();
	}

	@Test
	void adminUsernameIsCaseInsensitive() {
		assertThat(new FirstAdminSettings(" Ops.Lead ", null, "Admin").admin()).isEqualTo(new Username("ops.lead"));
	}

	@Test
	void settingsNeverPrintThePassword() {
		assertThat(new FirstAdminSettings("admin", "very-secret-password", "Admin")).asString()
			.doesNotContain("very-secret-password");
	}

	@Test
	void refusesAThrottleWindowOfZero() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LoginThrottleSettings(10, 50, Duration.ZERO));
	}

}
