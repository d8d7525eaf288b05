package dev.warden.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signature scheme as the README documents it, against a value computed outside
 * Warden ({@code printf '1795381200.{"event":"opened"}' | openssl dgst -sha256 -hmac
 * 'rollback-secret-0123456789'}), and the retry waits' cap.
 */
class WebhookSignatureTests {

	@Test
	void signsTimestampDotBodyWithHmacSha256InHex() {
		String signature = WebhookSignature.sign("rollback-secret-0123456789", 1795381200L,
				"{\"event\":\"opened\"}".getBytes(StandardCharsets.UTF_8));

		assertThat(signature).isEqualTo("v1=" + OPENSSL);
	}

	@Test
	void backoffDoublesWithJitterAndIsCapped() {
		Duration initial = Duration.ofSeconds(2);
		Duration max = Duration.ofMinutes(5);

		assertThat(WebhookDeliveries.backoff(1, initial, max)).isBetween(Duration.ofSeconds(1), initial);
		assertThat(WebhookDeliveries.backoff(3, initial, max)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
		assertThat(WebhookDeliveries.backoff(500, initial, max)).isBetween(max.dividedBy(2), max);
	}

	private static final String OPENSSL = "34a443dc5c6180a1fc3d8f5e5e1c295799a43bd8e8a233391a635294063d8c83";

}
