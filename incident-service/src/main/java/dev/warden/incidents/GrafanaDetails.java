package dev.warden.incidents;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * What Grafana's webhook adds to an alert: the values of the rule's queries and
 * expressions that made the alert's current status, and links into Grafana. Links are
 * kept as they were sent; whoever shows them links only {@code http(s)} ones
 * ({@link #isWebLink}).
 *
 * @param values the value of each query or expression by its reference id
 * ({@code B -> 92.5}); empty when Grafana sent none
 * @param valueString Grafana's own text of the values, such as {@code [ var='B'
 * labels={instance=gpu-0} value=92.5 ]}; null when empty
 * @param dashboardUrl the dashboard of the rule's panel; null when empty
 * @param panelUrl the rule's panel; null when empty
 * @param silenceUrl Grafana's form to silence the alert; null when empty
 * @param imageUrl a screenshot of the rule's panel; null when empty
 */
public record GrafanaDetails(Map<String, Double> values, String valueString, String dashboardUrl, String panelUrl,
		String silenceUrl, String imageUrl) {

	public GrafanaDetails {
		values = (values != null) ? Collections.unmodifiableMap(new TreeMap<>(values)) : Map.of();
		values.values().forEach((value) -> Objects.requireNonNull(value, "value"));
		valueString = orNull(valueString);
		dashboardUrl = orNull(dashboardUrl);
		panelUrl = orNull(panelUrl);
		silenceUrl = orNull(silenceUrl);
		imageUrl = orNull(imageUrl);
	}

	/**
	 * The values for people, by reference id: {@code B=92.5, C=1}; Grafana's own text
	 * when it sent no values; null when it sent neither.
	 */
	public String valuesText() {
		if (this.values.isEmpty()) {
			return this.valueString;
		}
		return this.values.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + number(entry.getValue()))
			.collect(Collectors.joining(", "));
	}

	/**
	 * The links that are safe to link ({@link #isWebLink}), by what they open:
	 * {@code Dashboard}, {@code Panel}, {@code Silence}, {@code Image}.
	 */
	public Map<String, String> webLinks() {
		Map<String, String> links = new LinkedHashMap<>();
		BiConsumer<String, String> add = (label, url) -> {
			if (isWebLink(url)) {
				links.put(label, url);
			}
		};
		add.accept("Dashboard", this.dashboardUrl);
		add.accept("Panel", this.panelUrl);
		add.accept("Silence", this.silenceUrl);
		add.accept("Image", this.imageUrl);
		return Collections.unmodifiableMap(links);
	}

	/**
	 * True when the URL is an absolute {@code http} or {@code https} URL with a host, and
	 * so safe to link: never {@code javascript:}, {@code data:} or a local file.
	 */
	public static boolean isWebLink(String url) {
		if (url == null || url.isBlank() || !url.equals(url.strip())) {
			return false;
		}
		try {
			URI uri = new URI(url);
			return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
					&& uri.getHost() != null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	/** A number as people write it: {@code 1}, not {@code 1.0}. */
	private static String number(double value) {
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return Long.toString((long) value);
		}
		return (Math.abs(value) >= 1e-4 && Math.abs(value) < 1e15)
				? BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() : Double.toString(value);
	}

	private static String orNull(String text) {
		return (text != null && !text.isBlank()) ? text : null;
	}

}
