package dev.warden.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;

import org.springframework.stereotype.Component;

/**
 * Posts one delivery to its subscription's URL and says how it went, in the terms the
 * retry decision needs: delivered (2xx), worth trying again (5xx, 408, 429, a timeout, a
 * connection that failed or broke) or not (any other answer, redirects included: they are
 * not followed, so an event never goes where the subscription did not say).
 */
@Component
class WebhookSender {

	static final String USER_AGENT = "Warden-Webhooks/1";

	/** How much of a refusing answer's body is kept for people. */
	static final int MAX_ERROR_BODY = 200;

	private final HttpClient http;

	private final WebhookSettings settings;

	WebhookSender(WebhookSettings settings) {
		this.settings = settings;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(settings.timeout())
			.executor(Executors.newVirtualThreadPerTaskExecutor())
			.build();
	}

	/**
	 * One attempt.
	 * @param at the attempt's time, signed as its timestamp
	 */
	Answer post(Subscription subscription, PendingDelivery delivery, Instant at) {
		byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
		long timestamp = at.getEpochSecond();
		Duration timeout = (subscription.timeout() != null) ? subscription.timeout() : this.settings.timeout();
		HttpRequest request = HttpRequest.newBuilder(subscription.url())
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.header("User-Agent", USER_AGENT)
			.header("Idempotency-Key", delivery.idempotencyKey())
			.header("X-Warden-Event", delivery.event())
			.header("X-Warden-Delivery", String.valueOf(delivery.id()))
			.header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(timestamp))
			.header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(subscription.secret(), timestamp, body))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		try {
			HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			int status = response.statusCode();
			String excerpt;
			try (InputStream in = response.body()) {
				excerpt = (status >= 200 && status < 300) ? "" : excerpt(in, timeout);
			}
			if (status >= 200 && status < 300) {
				return new Answer(status, null, Kind.DELIVERED, Optional.empty());
			}
			String error = "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + oneLine(excerpt));
			boolean retry = status == 408 || status == 429 || status >= 500;
			return new Answer(status, error, retry ? Kind.TRANSIENT : Kind.PERMANENT,
					retry ? retryAfter(response) : Optional.empty());
		}
		catch (HttpConnectTimeoutException ex) {
			return transientFailure("could not connect within " + timeout.toMillis() + " ms");
		}
		catch (HttpTimeoutException ex) {
			return transientFailure("no answer within " + timeout.toMillis() + " ms");
		}
		catch (ConnectException ex) {
			return transientFailure("could not connect: " + describe(ex));
		}
		catch (IOException ex) {
			return transientFailure("connection failed: " + describe(ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return transientFailure("interrupted while sending (Warden is stopping)");
		}
	}

	/**
	 * The start of an error answer's body, read within the timeout: a receiver that sends
	 * its headers and then stalls must not hold a job worker.
	 */
	private static String excerpt(InputStream in, Duration timeout) {
		java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
			try {
				return in.readNBytes(MAX_ERROR_BODY);
			}
			catch (IOException ex) {
				return new byte[0];
			}
		});
		try {
			return new String(read.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
					StandardCharsets.UTF_8)
				.strip();
		}
		catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
			read.cancel(true);
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	private static Answer transientFailure(String error) {
		return new Answer(null, error, Kind.TRANSIENT, Optional.empty());
	}

	/** A {@code Retry-After} in seconds, when the receiver sent one. */
	private static Optional<Duration> retryAfter(HttpResponse<?> response) {
		return response.headers().firstValue("Retry-After").flatMap((value) -> {
			try {
				long seconds = Long.parseLong(value.strip());
				return (seconds >= 0) ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
			}
			catch (NumberFormatException ex) {
				return Optional.empty();
			}
		});
	}

	private static String describe(Exception ex) {
		String message = (ex.getMessage() != null && !ex.getMessage().isBlank()) ? ex.getMessage()
				: ex.getClass().getSimpleName();
		return oneLine(message);
	}

	private static String oneLine(String text) {
		String line = text.replaceAll("\\s+", " ");
		return (line.length() > MAX_ERROR_BODY) ? line.substring(0, MAX_ERROR_BODY) + "…" : line;
	}

	/** How an attempt went. */
	enum Kind {

		DELIVERED, TRANSIENT, PERMANENT

	}

	/**
	 * The outcome of one attempt.
	 *
	 * @param status the receiver's HTTP status, or null when none came
	 * @param error what went wrong, for people; null when delivered
	 * @param kind delivered, worth trying again, or not
	 * @param retryAfter how long the receiver asked to wait, when it said
	 */
	record Answer(Integer status, String error, Kind kind, Optional<Duration> retryAfter) {
	}

}
