package dev.warden.access;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A console username: 1 to 64 characters of lower-case letters, digits and
 * {@code . _ @ -}, starting with a letter or digit. What people type is stripped and
 * lower-cased first, so usernames are case-insensitive.
 *
 * @param value the normalised username
 */
public record Username(String value) {

	static final int MAX_LENGTH = 64;

	private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

	public Username {
		if (value == null || !VALID.matcher(value).matches()) {
			throw new IllegalArgumentException("A username has 1 to " + MAX_LENGTH
					+ " characters: letters, digits and . _ @ -, starting with a letter or digit.");
		}
	}

	/**
	 * The username as typed, normalised.
	 * @throws IllegalArgumentException when it is not a valid username
	 */
	static Username of(String typed) {
		return new Username(normalise(typed));
	}

	/**
	 * What a typed username is compared and counted as: stripped and lower-cased, cut to
	 * a bounded length. Also for names that are not valid usernames, which are throttled
	 * like real ones so that throttling does not tell them apart.
	 */
	static String normalise(String typed) {
		String normalised = (typed != null) ? typed.strip().toLowerCase(Locale.ROOT) : "";
		return (normalised.length() > 2 * MAX_LENGTH) ? normalised.substring(0, 2 * MAX_LENGTH) : normalised;
	}

	@Override
	public String toString() {
		return this.value;
	}

}
