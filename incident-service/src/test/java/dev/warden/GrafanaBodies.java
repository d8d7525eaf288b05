package dev.warden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.WardenClient.Response;

/**
 * Bodies of Grafana's webhook contact point for tests, in the shape Grafana documents
 * (version "1": Alertmanager's fields plus orgId, title, state, message and, per alert,
 * values, valueString, silenceURL, dashboardURL, panelURL), from
 * {@code src/test/resources/grafana/}, and their way to Warden.
 */
public final class GrafanaBodies {

	public static final String PATH = "/api/v1/alerts/grafana";

	private static final JsonMapper json = JsonMapper.builder().build();

	private GrafanaBodies() {
	}

	/** A body from {@code src/test/resources/grafana/}. */
	public static ObjectNode sample(String name) {
		try (InputStream in = GrafanaBodies.class.getResourceAsStream("/grafana/" + name)) {
			return (ObjectNode) json.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A body moved to its own group, its fingerprints made unique with {@code suffix}.
	 */
	public static ObjectNode sampleInOwnGroup(String name, String suffix) {
		ObjectNode body = sample(name);
		body.put("groupKey", body.get("groupKey").asString() + "-" + suffix);
		body.get("alerts")
			.forEach((alert) -> ((ObjectNode) alert).put("fingerprint",
					alert.get("fingerprint").asString() + "-" + suffix));
		return body;
	}

	/** The group key Warden files the body's incident under. */
	public static String storedGroupKey(ObjectNode body) {
		String org = body.has("orgId") ? body.get("orgId").asString() + ":" : "";
		return "grafana:" + org + body.get("groupKey").asString();
	}

	/** Posts the body as Grafana's contact point does, with the test token. */
	public static Response post(WardenClient warden, Object body) {
		return post(warden, body.toString(), "Bearer " + IntegrationTest.GRAFANA_TOKEN);
	}

	/** Posts the body with this {@code Authorization} header (none when null). */
	public static Response post(WardenClient warden, String body, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(warden.uri(PATH))
			.header("Content-Type", "application/json")
			.header("User-Agent", "Grafana")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return warden.send(request);
	}

}
