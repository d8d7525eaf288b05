package dev.warden.notifications.slack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Slack's request signatures: only a recent request signed with the secret passes.
 */
class SlackSignatureTests {

	private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	private static final String TIMESTAMP = Long.toString(NOW.getEpochSecond());

	private static final String BODY = "payload=%7B%22type%22%3A%22block_actions%22%7D";

	private final SlackSignature signature = new SlackSignature(SECRET);

	@Test
	void acceptsARecentRequestSignedWithTheSecret() {
		assertThat(verify(TIMESTAMP, sign(SECRET, TIMESTAMP, BODY), BODY, NOW)).isEqualTo(SlackSignature.Verdict.VALID);
	}

	@Test
	void acceptsARequestUpToFiveMinutesOld() {
		String timestamp = Long.toString(NOW.minus(Duration.ofMinutes(5)).getEpochSecond());

		assertThat(verify(timestamp, sign(SECRET, timestamp, BODY), BODY, NOW)).isEqualTo(SlackSignature.Verdict.VALID);
	}

	@Test
	void rejectsARequestSignedWithAnotherSecret() {
		assertThat(verify(TIMESTAMP, sign("another-secret", TIMESTAMP, BODY), BODY, NOW))
			.isEqualTo(SlackSignature.Verdict.FORGED);
	}

	@Test
	void rejectsATamperedBody() {
		String tampered = BODY.replace("block_actions", "view_submission");

		assertThat(verify(TIMESTAMP, sign(SECRET, TIMESTAMP, BODY), tampered, NOW))
			.isEqualTo(SlackSignature.Verdict.FORGED);
	}

	@Test
	void rejectsASignatureMadeForAnotherTimestamp() {
		String other = Long.toString(NOW.getEpochSecond() - 1);

		assertThat(verify(TIMESTAMP, sign(SECRET, other, BODY), BODY, NOW)).isEqualTo(SlackSignature.Verdict.FORGED);
	}

	@Test
	void rejectsASignatureOfAnotherVersion() {
		String v1 = sign(SECRET, TIMESTAMP, BODY).replace("v0=", "v1=");

		assertThat(verify(TIMESTAMP, v1, BODY, NOW)).isEqualTo(SlackSignature.Verdict.FORGED);
	}

	@Test
	void rejectsRequestsSixMinutesOldOrSixMinutesAhead() {
		String old = Long.toString(NOW.minus(Duration.ofMinutes(6)).getEpochSecond());
		String ahead = Long.toString(NOW.plus(Duration.ofMinutes(6)).getEpochSecond());

		assertThat(verify(old, sign(SECRET, old, BODY), BODY, NOW)).isEqualTo(SlackSignature.Verdict.STALE);
		assertThat(verify(ahead, sign(SECRET, ahead, BODY), BODY, NOW)).isEqualTo(SlackSignature.Verdict.STALE);
	}

	@Test
	void rejectsATimestampFarBeyondAnyDate() {
		String huge = Long.toString(Long.MAX_VALUE);

		assertThat(verify(huge, sign(SECRET, huge, BODY), BODY, NOW)).isEqualTo(SlackSignature.Verdict.STALE);
	}

	@Test
	void reportsMissingHeaders() {
		String signed = sign(SECRET, TIMESTAMP, BODY);

		assertThat(verify(null, signed, BODY, NOW)).isEqualTo(SlackSignature.Verdict.MISSING);
		assertThat(verify(" ", signed, BODY, NOW)).isEqualTo(SlackSignature.Verdict.MISSING);
		assertThat(verify(TIMESTAMP, null, BODY, NOW)).isEqualTo(SlackSignature.Verdict.MISSING);
		assertThat(verify(TIMESTAMP, "", BODY, NOW)).isEqualTo(SlackSignature.Verdict.MISSING);
	}

	@Test
	void treatsATimestampThatIsNoNumberAsMissing() {
		String timestamp = "yesterday";

		assertThat(verify(timestamp, sign(SECRET, timestamp, BODY), BODY, NOW))
			.isEqualTo(SlackSignature.Verdict.MISSING);
		assertThat(verify("1.5e9", sign(SECRET, "1.5e9", BODY), BODY, NOW)).isEqualTo(SlackSignature.Verdict.MISSING);
	}

	@Test
	void requiresASecret() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SlackSignature(" "));
		assertThatIllegalArgumentException().isThrownBy(() -> new SlackSignature(null));
	}

	private SlackSignature.Verdict verify(String timestamp, String signatureHeader, String body, Instant now) {
		return this.signature.verify(timestamp, signatureHeader, body.getBytes(StandardCharsets.UTF_8), now);
	}

	/** Signs as Slack documents it, independently of the code under test. */
	private static String sign(String secret, String timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
			StringBuilder hex = new StringBuilder("v0=");
			for (byte b : digest) {
				hex.append(String.format("%02x", b));
			}
			return hex.toString();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
