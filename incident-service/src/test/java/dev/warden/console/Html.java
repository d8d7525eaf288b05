package dev.warden.console;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the console's pages in tests: parts of the markup, and text as people read it.
 */
final class Html {

	private Html() {
	}

	/**
	 * The first group of the first match of {@code regex} (across lines) in the markup.
	 */
	static String part(String html, String regex) {
		Matcher matcher = Pattern.compile(regex, Pattern.DOTALL).matcher(html);
		if (!matcher.find()) {
			throw new AssertionError("Nothing like " + regex + " in " + html);
		}
		return matcher.group(1);
	}

	/** The words of some markup as a person reads them. */
	static String text(String html) {
		return html.replaceAll("<[^>]+>", " ")
			.replace("&quot;", "\"")
			.replace("&#39;", "'")
			.replace("&lt;", "<")
			.replace("&gt;", ">")
			.replace("&amp;", "&")
			.replaceAll("\\s+", " ")
			.replace(" ,", ",")
			.replace("( ", "(")
			.replace(" )", ")")
			.strip();
	}

}
