package dev.warden.alerting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code Authorization} headers one webhook accepts: a token under its scheme
 * ({@code Bearer s3cret}) and basic auth, each optional, compared in constant time. Each
 * webhook has its own, so that one sender's credentials never open another's endpoint.
 */
final class AuthorizationCheck {

	private final String tokenScheme;

	private final byte[] tokenDigest;

	private final byte[] basicDigest;

	/**
	 * @param tokenScheme the scheme the token comes with, such as {@code Bearer}
	 * (compared ignoring case)
	 * @param token the token; null or blank for none
	 * @param basicUsername the basic auth user; null or blank for no basic auth
	 * @param basicPassword the basic auth password
	 */
	AuthorizationCheck(String tokenScheme, String token, String basicUsername, String basicPassword) {
		this.tokenScheme = tokenScheme;
		this.tokenDigest = (token != null && !token.isBlank()) ? digest(token.strip()) : null;
		this.basicDigest = (basicUsername != null && !basicUsername.isBlank())
				? digest(basicUsername + ":" + basicPassword) : null;
	}

	/** True when the {@code Authorization} header carries valid credentials. */
	boolean accepts(String authorization) {
		if (authorization == null) {
			return false;
		}
		int space = authorization.indexOf(' ');
		if (space < 0) {
			return false;
		}
		String scheme = authorization.substring(0, space);
		String value = authorization.substring(space + 1).strip();
		if (scheme.equalsIgnoreCase(this.tokenScheme) && this.tokenDigest != null) {
			return MessageDigest.isEqual(this.tokenDigest, digest(value));
		}
		if (scheme.equalsIgnoreCase("Basic") && this.basicDigest != null) {
			try {
				String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
				return MessageDigest.isEqual(this.basicDigest, digest(decoded));
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}
		return false;
	}

	/**
	 * Comparing fixed-length digests keeps the comparison's time independent of the
	 * secret's length.
	 */
	private static byte[] digest(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
