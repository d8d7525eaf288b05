package dev.warden.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a delivery is signed, as Slack and GitHub sign theirs: HMAC-SHA256 keyed with the
 * subscription's secret over {@code <timestamp>.<body>} (the timestamp header's value, a
 * dot, the body's bytes exactly as sent), in lower-case hex, sent as
 * {@code X-Warden-Signature: v1=<hex>}. The timestamp (Unix seconds) is signed so that a
 * receiver can refuse an old request replayed.
 */
final class WebhookSignature {

	static final String TIMESTAMP_HEADER = "X-Warden-Timestamp";

	static final String SIGNATURE_HEADER = "X-Warden-Signature";

	static final String VERSION = "v1";

	private WebhookSignature() {
	}

	/** The signature header's value for this timestamp and body. */
	static String sign(String secret, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return VERSION + "=" + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
