package dev.warden.cluster;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterSettingsTests {

	@Test
	void forgetsOnlyInstancesThatTurnedStaleFirst() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> new ClusterSettings(null, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMinutes(3)))
			.withMessageContaining("warden.cluster.forget-after (PT3M)")
			.withMessageContaining("longer than three warden.cluster.heartbeat-interval (PT3M)");
		assertThat(new ClusterSettings(null, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMinutes(4))
			.staleAfter()).isEqualTo(Duration.ofMinutes(3));
	}

}
