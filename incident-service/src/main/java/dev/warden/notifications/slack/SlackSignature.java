package dev.warden.notifications.slack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies that a request comes from Slack: its {@code X-Slack-Signature} must be the
 * HMAC-SHA256, keyed with the app's signing secret, of {@code v0:<timestamp>:<body>}, and
 * its {@code X-Slack-Request-Timestamp} within five minutes of now. Remembering
 * signatures already seen, against replays inside those minutes, is up to the caller.
 */
public final class SlackSignature {

	/** Requests further than this from now, either way, are rejected. */
	static final Duration MAX_SKEW = Duration.ofMinutes(5);

	private static final String ALGORITHM = "HmacSHA256";

	private static final String VERSION = "v0";

	private final SecretKeySpec key;

	/**
	 * Creates a verifier.
	 * @param signingSecret the app's signing secret, from its Basic Information page
	 */
	public SlackSignature(String signingSecret) {
		if (signingSecret == null || signingSecret.isBlank()) {
			throw new IllegalArgumentException("A signing secret is required");
		}
		this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
	}

	/**
	 * Checks a request's signature.
	 * @param timestampHeader the {@code X-Slack-Request-Timestamp} header, in epoch
	 * seconds
	 * @param signatureHeader the {@code X-Slack-Signature} header
	 * @param body the request body, exactly as received
	 * @param now the current time
	 * @return {@link Verdict#VALID} only when the request is signed with the secret and
	 * recent
	 */
	public Verdict verify(String timestampHeader, String signatureHeader, byte[] body, Instant now) {
		if (timestampHeader == null || timestampHeader.isBlank() || signatureHeader == null || signatureHeader.isBlank()
				|| body == null) {
			return Verdict.MISSING;
		}
		long timestamp;
		try {
			timestamp = Long.parseLong(timestampHeader.strip());
		}
		catch (NumberFormatException ex) {
			return Verdict.MISSING;
		}
		if (!recent(timestamp, now)) {
			return Verdict.STALE;
		}
		byte[] expected = (VERSION + "=" + HexFormat.of().formatHex(hmac(timestampHeader, body)))
			.getBytes(StandardCharsets.UTF_8);
		byte[] actual = signatureHeader.strip().getBytes(StandardCharsets.UTF_8);
		return MessageDigest.isEqual(expected, actual) ? Verdict.VALID : Verdict.FORGED;
	}

	private static boolean recent(long timestamp, Instant now) {
		long nowSeconds = now.getEpochSecond();
		long slack = MAX_SKEW.toSeconds() + 1;
		// Compared in seconds first: a huge timestamp must not overflow.
		if (timestamp < nowSeconds - slack || timestamp > nowSeconds + slack) {
			return false;
		}
		return Duration.between(Instant.ofEpochSecond(timestamp), now).abs().compareTo(MAX_SKEW) <= 0;
	}

	private byte[] hmac(String timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			mac.update((VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
			return mac.doFinal(body);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	/** The outcome of a check. */
	public enum Verdict {

		/** Signed with the secret, and recent. */
		VALID,

		/** A header is missing or blank, or the timestamp is not a number. */
		MISSING,

		/** The timestamp is more than five minutes from now. */
		STALE,

		/** The signature does not match the body and timestamp. */
		FORGED

	}

}
