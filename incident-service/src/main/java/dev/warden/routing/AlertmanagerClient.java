package dev.warden.routing;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.warden.matching.LabelMatcher;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Alertmanager's silences API (v2): lists, creates and expires silences. Trouble that may
 * pass (no connection, a timeout, a 5xx) is {@link Unavailable}; a 4xx, which asking
 * again will not change, is {@link Refused}.
 */
@Component
class AlertmanagerClient {

	private static final ParameterizedTypeReference<List<AmSilence>> SILENCES = new ParameterizedTypeReference<>() {
	};

	private final AlertmanagerApiSettings settings;

	/** For copying and expiring; null when no Alertmanager is configured. */
	private final RestClient sync;

	/** For the pages' look at Alertmanager's silences: a shorter timeout. */
	private final RestClient list;

	AlertmanagerClient(AlertmanagerApiSettings settings) {
		this.settings = settings;
		this.sync = settings.configured() ? client(settings, settings.timeout()) : null;
		this.list = settings.configured() ? client(settings, settings.listTimeout()) : null;
	}

	private static RestClient client(AlertmanagerApiSettings settings, Duration timeout) {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(timeout);
		String base = settings.url().toString().replaceAll("/+$", "");
		return RestClient.builder().baseUrl(base + "/api/v2").requestFactory(requests).defaultHeaders((headers) -> {
			headers.setAccept(List.of(MediaType.APPLICATION_JSON));
			if (StringUtils.hasText(settings.bearerToken())) {
				headers.setBearerAuth(settings.bearerToken());
			}
			else if (StringUtils.hasText(settings.basicUsername())) {
				headers.set(HttpHeaders.AUTHORIZATION,
						"Basic " + Base64.getEncoder()
							.encodeToString((settings.basicUsername() + ":" + settings.basicPassword())
								.getBytes(StandardCharsets.UTF_8)));
			}
		}).build();
	}

	/** Whether an Alertmanager is configured. */
	boolean configured() {
		return this.settings.configured();
	}

	/** Where Alertmanager is, for messages and pages: never with credentials. */
	String address() {
		if (!configured()) {
			return "(none)";
		}
		java.net.URI url = this.settings.url();
		return url.getScheme() + "://" + url.getHost() + ((url.getPort() != -1) ? ":" + url.getPort() : "")
				+ ((url.getRawPath() != null) ? url.getRawPath() : "");
	}

	/** Every silence Alertmanager holds, expired ones included, for the sync. */
	List<AmSilence> silences() {
		return call(() -> this.sync.get().uri("/silences").retrieve().body(SILENCES));
	}

	/** As {@link #silences()}, with the shorter timeout the pages wait. */
	List<AmSilence> silencesForPage() {
		return call(() -> this.list.get().uri("/silences").retrieve().body(SILENCES));
	}

	/** One silence, or null when Alertmanager has none with this id. */
	AmSilence silence(String id) {
		try {
			return call(() -> this.sync.get().uri("/silence/{id}", id).retrieve().body(AmSilence.class));
		}
		catch (Refused ex) {
			if (ex.status() == 404) {
				return null;
			}
			throw ex;
		}
	}

	/** Creates a silence. @return Alertmanager's id of it */
	String create(NewAmSilence silence) {
		Created created = call(() -> this.sync.post()
			.uri("/silences")
			.contentType(MediaType.APPLICATION_JSON)
			.body(silence)
			.retrieve()
			.body(Created.class));
		if (created == null || !StringUtils.hasText(created.silenceID())) {
			throw new Unavailable("Alertmanager answered without a silence id");
		}
		return created.silenceID();
	}

	/**
	 * Expires a silence. Harmless when it has already expired or is gone: Alertmanager
	 * answers an unknown id with a 500 (0.25) or a 404 (later versions), so a refusal is
	 * checked against the silence itself.
	 */
	void expire(String id) {
		try {
			call(() -> this.sync.delete().uri("/silence/{id}", id).retrieve().toBodilessEntity());
		}
		catch (Unavailable | Refused ex) {
			AmSilence now = silence(id);
			if (now != null && !now.expired()) {
				throw ex;
			}
		}
	}

	private static <T> T call(Request<T> request) {
		try {
			return request.send();
		}
		catch (RestClientResponseException ex) {
			HttpStatusCode status = ex.getStatusCode();
			String body = ex.getResponseBodyAsString().strip();
			String reason = "Alertmanager answered " + status.value() + (body.isEmpty() ? "" : ": " + body);
			if (status.is4xxClientError()) {
				throw new Refused(status.value(), reason);
			}
			throw new Unavailable(reason);
		}
		catch (ResourceAccessException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new Unavailable("Alertmanager is unreachable: " + describe(cause));
		}
		catch (RestClientException ex) {
			throw new Unavailable("Alertmanager's answer could not be read: " + ex.getMessage());
		}
	}

	/** The innermost cause that says something, such as "connection refused". */
	private static String describe(Throwable cause) {
		String said = null;
		for (Throwable each = cause; each != null; each = each.getCause()) {
			if (each instanceof java.net.ConnectException) {
				return "connection refused";
			}
			if (each instanceof java.net.http.HttpTimeoutException || each instanceof java.net.SocketTimeoutException) {
				return "no answer in time";
			}
			if (each.getMessage() != null && !each.getMessage().isBlank()) {
				said = each.getClass().getSimpleName() + ": " + each.getMessage();
			}
		}
		return (said != null) ? said : cause.getClass().getSimpleName();
	}

	@FunctionalInterface
	private interface Request<T> {

		T send();

	}

	/**
	 * A matcher as Alertmanager's API writes it.
	 *
	 * @param name the label name
	 * @param value the value or regular expression
	 * @param isRegex whether the value is a regular expression
	 * @param isEqual false for {@code !=} and {@code !~}; absent (true) before
	 * Alertmanager 0.22
	 */
	record AmMatcher(String name, String value, @JsonProperty("isRegex") boolean isRegex,
			@JsonProperty("isEqual") Boolean isEqual) {

		static AmMatcher of(LabelMatcher matcher) {
			return switch (matcher.operator()) {
				case EQUAL -> new AmMatcher(matcher.name(), matcher.value(), false, true);
				case NOT_EQUAL -> new AmMatcher(matcher.name(), matcher.value(), false, false);
				case REGEX -> new AmMatcher(matcher.name(), matcher.value(), true, true);
				case NOT_REGEX -> new AmMatcher(matcher.name(), matcher.value(), true, false);
			};
		}

		/** In Warden's (and amtool's) syntax. */
		LabelMatcher toLabelMatcher() {
			boolean equal = !Boolean.FALSE.equals(this.isEqual);
			LabelMatcher.Operator operator = this.isRegex
					? (equal ? LabelMatcher.Operator.REGEX : LabelMatcher.Operator.NOT_REGEX)
					: (equal ? LabelMatcher.Operator.EQUAL : LabelMatcher.Operator.NOT_EQUAL);
			return new LabelMatcher(this.name, operator, Objects.requireNonNullElse(this.value, ""));
		}

		@Override
		public String toString() {
			boolean equal = !Boolean.FALSE.equals(this.isEqual);
			String operator = this.isRegex ? (equal ? "=~" : "!~") : (equal ? "=" : "!=");
			String value = Objects.requireNonNullElse(this.value, "");
			return this.name + operator + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
		}

	}

	/** A silence as Alertmanager's API answers it. */
	record AmSilence(String id, Status status, Instant updatedAt, String comment, String createdBy, Instant startsAt,
			Instant endsAt, List<AmMatcher> matchers) {

		AmSilence {
			matchers = (matchers != null) ? List.copyOf(matchers) : List.of();
		}

		/** active, pending or expired. */
		String state() {
			return (this.status != null && this.status.state() != null) ? this.status.state() : "unknown";
		}

		boolean expired() {
			return "expired".equals(state());
		}

		record Status(String state) {
		}

	}

	/** A silence to create (or, with an id, to update) in Alertmanager. */
	record NewAmSilence(List<AmMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {
	}

	record Created(String silenceID) {
	}

	/** Alertmanager could not be asked, or had trouble answering: try again later. */
	static class Unavailable extends RuntimeException {

		Unavailable(String message) {
			super(message);
		}

	}

	/** Alertmanager refused the request (a 4xx): asking again will not change that. */
	static class Refused extends RuntimeException {

		private final int status;

		Refused(int status, String message) {
			super(message);
			this.status = status;
		}

		int status() {
			return this.status;
		}

	}

}
