package dev.warden.notifications;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * WireMock standing in for Slack's Web API: answers like Slack, with faults on demand,
 * and tells what Warden sent. Requests are form-encoded as slack-api-client sends them.
 */
public final class SlackApi implements AutoCloseable {

	final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	public SlackApi() {
		this.server.start();
		reset();
	}

	/** The methods URL to give Warden. */
	public String url() {
		return "http://localhost:" + this.server.port() + "/api/";
	}

	/** Every method answers like Slack: posts get a fresh ts in the channel's id. */
	public void reset() {
		this.server.resetAll();
		this.server.stubFor(method("chat.postMessage").willReturn(okJson("""
				{"ok": true, "channel": "C0CHANNEL", "ts": "1763845200.{{randomValue length=6 type='NUMERIC'}}",
				 "message": {"type": "message", "text": "posted"}}""").withTransformers("response-template")));
		this.server.stubFor(method("chat.update").willReturn(okJson("""
				{"ok": true, "channel": "C0CHANNEL", "ts": "1763845200.000001", "text": "updated"}""")));
		this.server.stubFor(method("conversations.history").willReturn(okJson("""
				{"ok": true, "messages": [], "has_more": false}""")));
		this.server.stubFor(method("conversations.replies").willReturn(okJson("""
				{"ok": true, "messages": [], "has_more": false}""")));
		this.server.stubFor(method("conversations.list").willReturn(okJson("""
				{"ok": true, "channels": [
				  {"id": "C0CHANNEL", "name": "it-oncall"},
				  {"id": "C0LEADS", "name": "it-leads"}
				 ], "response_metadata": {"next_cursor": ""}}""")));
	}

	/** Answers conversations.list with these channels (ids made from their names). */
	public SlackApi channels(String... names) {
		String channels = java.util.Arrays.stream(names)
			.map((name) -> "{\"id\": \"C0%s\", \"name\": \"%s\"}"
				.formatted(name.replace("-", "").toUpperCase(java.util.Locale.ROOT), name))
			.collect(java.util.stream.Collectors.joining(", "));
		this.server.stubFor(method("conversations.list").willReturn(okJson("""
				{"ok": true, "channels": [%s], "response_metadata": {"next_cursor": ""}}""".formatted(channels))));
		return this;
	}

	static MappingBuilder method(String name) {
		return post(urlPathEqualTo("/api/" + name));
	}

	/**
	 * The requests matching the pattern as WireMock logged them, with when each arrived.
	 */
	public List<LoggedRequest> journal(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
		return this.server.findAll(pattern);
	}

	/** The form fields of every call of a method, in order. */
	public List<Map<String, String>> calls(String method) {
		return this.server.findAll(postRequestedFor(urlPathEqualTo("/api/" + method)))
			.stream()
			.map(SlackApi::form)
			.toList();
	}

	/** Posts (chat.postMessage) whose form fields contain this text. */
	public List<Map<String, String>> posts(String containing) {
		return this.server
			.findAll(postRequestedFor(urlPathEqualTo("/api/chat.postMessage")).withRequestBody(containing(containing)))
			.stream()
			.map(SlackApi::form)
			.toList();
	}

	/**
	 * Adds a stub of the test's own, such as an outage or a fault at a higher priority
	 * than the answers of {@link #reset()}.
	 */
	public com.github.tomakehurst.wiremock.stubbing.StubMapping stub(MappingBuilder mapping) {
		return this.server.stubFor(mapping);
	}

	/** Takes a stub of {@link #stub(MappingBuilder)} away again. */
	public void remove(com.github.tomakehurst.wiremock.stubbing.StubMapping stub) {
		this.server.removeStub(stub);
	}

	/**
	 * The form fields of the calls of a method that Slack carried out (answered
	 * {@code "ok": true}, no fault), in the order they arrived.
	 */
	public List<Map<String, String>> carriedOut(String method) {
		List<com.github.tomakehurst.wiremock.stubbing.ServeEvent> events = new java.util.ArrayList<>(
				this.server.getAllServeEvents());
		// The journal lists the newest first.
		java.util.Collections.reverse(events);
		return events.stream()
			.filter((event) -> event.getRequest().getUrl().startsWith("/api/" + method))
			.filter((event) -> event.getResponseDefinition().getFault() == null && event.getResponse() != null
					&& event.getResponse().getStatus() == 200
					&& event.getResponse().getBodyAsString().replace(" ", "").contains("\"ok\":true"))
			.map((event) -> form(event.getRequest()))
			.toList();
	}

	int requestCount() {
		return this.server.findAll(anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())).size();
	}

	static Map<String, String> form(LoggedRequest request) {
		Map<String, String> fields = new LinkedHashMap<>();
		String body = request.getBodyAsString();
		for (String pair : body.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
		}
		fields.put("_loggedAt", String.valueOf(request.getLoggedDate().getTime()));
		return fields;
	}

	static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder slackError(String error) {
		return okJson("{\"ok\": false, \"error\": \"" + error + "\"}");
	}

	static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(int status) {
		return aResponse().withStatus(status);
	}

	@Override
	public void close() {
		this.server.stop();
	}

}
