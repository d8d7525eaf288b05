package dev.warden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a running Warden over real HTTP, as Alertmanager and API clients do. */
public final class WardenClient {

	public static final String WEBHOOK = "/api/v1/alerts/alertmanager";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	public WardenClient(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	/**
	 * Posts an Alertmanager payload that must be taken in, and waits until Warden has
	 * acted on it: routing, notifications and runbook starts follow the webhook's commit
	 * (see the incident's {@code followUp} in the API).
	 * @return the id of the incident it went to
	 */
	public long open(Object payload) {
		Response response = webhook(payload);
		if (response.status() != 200) {
			throw new AssertionError("The webhook refused the payload: " + response);
		}
		long incident = response.json().get("incident").asLong();
		awaitFollowedUp(incident);
		return incident;
	}

	/**
	 * Waits until every follower has followed the incident's changes so far.
	 * @return the incident as the API shows it then
	 */
	public JsonNode awaitFollowedUp(long incident) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			Response response = get("/api/v1/incidents/" + incident);
			if (response.status() == 200 && !response.json().get("followUp").get("pending").asBoolean()) {
				return response.json();
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Incident " + incident + " was not followed up within 30 s: " + response);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	public Response webhook(Object body) {
		return send(HttpRequest.newBuilder(uri(WEBHOOK))
			.header("Authorization", "Bearer " + IntegrationTest.WEBHOOK_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(text(body))));
	}

	/** Posts a webhook with basic auth, as Alertmanager's basic_auth sends it. */
	public Response webhookWithBasicAuth(Object body, String user, String password) {
		String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
		return send(HttpRequest.newBuilder(uri(WEBHOOK))
			.header("Authorization", "Basic " + credentials)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(text(body))));
	}

	/** Sends any request to the webhook, for the ways clients get it wrong. */
	public Response webhook(HttpRequest.Builder request) {
		return send(request.uri(uri(WEBHOOK)));
	}

	/** GET with the API token. */
	public Response get(String path) {
		return send(
				HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + IntegrationTest.API_TOKEN).GET());
	}

	/** GET without credentials. */
	public Response getAnonymously(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	/** POST a JSON body (or none) with the API token. */
	public Response post(String path, Object body) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
			.header("Content-Type", "application/json")
			.POST((body != null) ? HttpRequest.BodyPublishers.ofString(text(body))
					: HttpRequest.BodyPublishers.noBody()));
	}

	public Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Response(response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public URI uri(String path) {
		return URI.create(this.base + path);
	}

	private static String text(Object body) {
		return (body instanceof String string) ? string : json.writeValueAsString(body);
	}

	/** An HTTP response with its body parsed when it is JSON. */
	public record Response(HttpResponse<String> raw) {

		public int status() {
			return this.raw.statusCode();
		}

		public String contentType() {
			return this.raw.headers().firstValue("Content-Type").orElse("");
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		public String body() {
			return this.raw.body();
		}

		public JsonNode json() {
			return json.readTree(this.raw.body());
		}

		@Override
		public String toString() {
			return status() + " " + body();
		}

	}

}
