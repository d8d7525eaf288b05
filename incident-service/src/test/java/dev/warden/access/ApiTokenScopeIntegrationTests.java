package dev.warden.access;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.warden.GrafanaBodies;
import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each API token may do exactly what its scopes allow: every handler under
 * {@code /api/v1} declares its scope, tokens without it get 403, expired and revoked
 * tokens 401; admin tokens manage tokens through the API.
 */
@IntegrationTest
class ApiTokenScopeIntegrationTests {

	/** Path variables filled with values of the right shape that name nothing. */
	private static final Map<String, String> VARIABLES = Map.of("id", "987654", "schedule", "no-such-schedule", "table",
			"response-times", "name", "no-such-heartbeat");

	private static final Pattern VARIABLE = Pattern.compile("\\{(\\w+)}");

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping handlerMapping;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	WardenClient warden;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void everyApiEndpointDeclaresItsScopeAndTokensGetExactlyTheirScopes() {
		Map<Scope, String> tokens = new LinkedHashMap<>();
		for (Scope scope : Scope.values()) {
			tokens.put(scope, issue("exactly-" + scope.value(), List.of(scope.value()), null).get("token").asString());
		}
		List<Endpoint> endpoints = apiEndpoints();

		assertThat(endpoints).hasSizeGreaterThanOrEqualTo(46)
			.extracting(Endpoint::toString)
			.contains("GET /api/v1/incidents", "POST /api/v1/incidents/{id}/acknowledge", "POST /api/v1/silences",
					"DELETE /api/v1/silences/{id}", "POST /api/v1/runbooks/automatic/pause",
					"POST /api/v1/runbooks/{id}/run", "POST /api/v1/runbooks/reload", "POST /api/v1/tokens",
					"GET /api/v1/tokens", "DELETE /api/v1/tokens/{id}", "GET /api/v1/analytics/{table}.csv",
					"PUT /api/v1/incidents/{id}/postmortem", "POST /api/v1/heartbeats/{name}", "GET /api/v1/heartbeats",
					"POST /api/v1/heartbeats/reload", "POST /api/v1/webhooks", "GET /api/v1/webhooks",
					"DELETE /api/v1/webhooks/{name}", "GET /api/v1/incidents/{id}/webhooks", "POST /api/v1/incidents",
					"POST /api/v1/incidents/{id}/merge", "POST /api/v1/incidents/{id}/unmerge",
					"POST /api/v1/incidents/{id}/split", "POST /api/v1/incidents/{id}/alert-group")
			.doesNotContain("POST " + WardenClient.WEBHOOK, "POST " + GrafanaBodies.PATH);
		assertThat(endpoints).allSatisfy((endpoint) -> assertThat(endpoint.scope())
			.as("%s (%s) declares its scope with @RequiresScope", endpoint, endpoint.handler())
			.isNotNull());
		try {
			for (Endpoint endpoint : endpoints) {
				for (Scope held : Scope.values()) {
					Response response = call(endpoint, tokens.get(held));
					if (held.includes(endpoint.scope())) {
						assertThat(response.status())
							.as("%s with a token holding %s: %s", endpoint, held.value(), response)
							.isNotIn(401, 403)
							.isLessThan(500);
					}
					else {
						assertThat(response.status())
							.as("%s with a token holding %s: %s", endpoint, held.value(), response)
							.isEqualTo(403);
						assertThat(response.contentType()).startsWith("application/problem+json");
						assertThat(response.json().get("requiredScope").asString()).isEqualTo(endpoint.scope().value());
						assertThat(response.json().get("detail").asString())
							.contains("'" + endpoint.scope().value() + "' scope");
					}
				}
			}
		}
		finally {
			this.warden.post("/api/v1/runbooks/automatic/resume", null);
		}
		assertThat(endpoints.stream().map(Endpoint::scope).distinct()).containsExactlyInAnyOrder(Scope.values());
	}

	@Test
	void apiDocumentNamesEachOperationsScope() {
		JsonNode paths = this.warden.getAnonymously("/v3/api-docs").json().get("paths");
		List<String> operations = new ArrayList<>();
		for (Map.Entry<String, JsonNode> path : paths.properties()) {
			if (!path.getKey().startsWith("/api/v1/") || path.getKey().startsWith("/api/v1/alerts/")) {
				continue;
			}
			for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
				operations.add(operation.getKey() + " " + path.getKey());
				assertThat(operation.getValue().path("x-required-scope").asString(""))
					.as("%s %s", operation.getKey(), path.getKey())
					.isIn("read", "respond", "automate", "admin", "heartbeat");
			}
		}

		assertThat(operations).hasSizeGreaterThanOrEqualTo(46);
		assertThat(paths.get("/api/v1/incidents/{id}/acknowledge").get("post").get("x-required-scope").asString())
			.isEqualTo("respond");
		assertThat(paths.get("/api/v1/tokens").get("get").get("description").asString()).contains("`admin` scope");
		assertThat(paths.get("/api/v1/heartbeats/{name}").get("post").get("x-required-scope").asString())
			.isEqualTo("heartbeat");
	}

	@Test
	void handlerWithoutADeclaredScopeIsClosedToEveryToken() throws Exception {
		String path = "/api/v1/test-only-" + UUID.randomUUID();
		RequestMappingInfo undeclared = RequestMappingInfo.paths(path)
			.methods(RequestMethod.GET)
			.options(this.handlerMapping.getBuilderConfiguration())
			.build();
		RequestMappingInfo declared = RequestMappingInfo.paths(path + "/declared")
			.methods(RequestMethod.GET)
			.options(this.handlerMapping.getBuilderConfiguration())
			.build();
		this.handlerMapping.registerMapping(undeclared, new Undeclared(), Undeclared.class.getMethod("hello"));
		this.handlerMapping.registerMapping(declared, new Declared(), Declared.class.getMethod("hello"));
		try {
			Response refused = this.warden.get(path);
			Response answered = this.warden.get(path + "/declared");

			assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
			assertThat(refused.contentType()).startsWith("application/problem+json");
			assertThat(refused.json().get("detail").asString()).contains("declares no scope");
			assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
			assertThat(answered.body()).isEqualTo("hello");
		}
		finally {
			this.handlerMapping.unregisterMapping(undeclared);
			this.handlerMapping.unregisterMapping(declared);
		}
	}

	@Test
	void unknownApiPathsAnswer404ToAnyToken() {
		String reader = issue("lost", List.of("read"), null).get("token").asString();

		Response unknown = send(HttpMethod.GET, "/api/v1/no-such-thing", reader, null);
		Response wrongMethod = send(HttpMethod.PATCH, "/api/v1/incidents", reader, "{}");
		Response anonymous = this.warden.getAnonymously("/api/v1/no-such-thing");

		assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
		assertThat(unknown.contentType()).startsWith("application/problem+json");
		assertThat(wrongMethod.status()).as(wrongMethod.toString()).isEqualTo(405);
		assertThat(anonymous.status()).isEqualTo(401);
	}

	@Test
	void readTokenListsIncidentsButCannotAcknowledgeSilenceOrPauseAutomation() {
		long incident = this.warden.open(Payloads.group().firing("fp-reader", this.clock.instant()).json());
		Response created = post("/api/v1/tokens", IntegrationTest.API_TOKEN, """
				{"name":"reader-%s","scopes":["read"]}""".formatted(shortId()));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String reader = created.json().get("token").asString();
		long silences = count("silence");

		Response list = send(HttpMethod.GET, "/api/v1/incidents", reader, null);
		Response acknowledge = post("/api/v1/incidents/" + incident + "/acknowledge", reader, null);
		Response silence = post("/api/v1/silences", reader, """
				{"matchers":["alertname=~\\".+\\""],"startsAt":"%s","endsAt":"%s","comment":"quiet"}"""
			.formatted(this.clock.instant(), this.clock.instant().plus(Duration.ofHours(1))));
		Response pause = post("/api/v1/runbooks/automatic/pause", reader, "{\"reason\":\"deploy\"}");

		assertThat(list.status()).as(list.toString()).isEqualTo(200);
		assertThat(list.json().get("items").size()).isGreaterThanOrEqualTo(1);
		assertThat(List.of(acknowledge, silence, pause)).allSatisfy((refused) -> {
			assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
			assertThat(refused.contentType()).startsWith("application/problem+json");
		});
		assertThat(acknowledge.json().get("requiredScope").asString()).isEqualTo("respond");
		assertThat(silence.json().get("requiredScope").asString()).isEqualTo("respond");
		assertThat(pause.json().get("requiredScope").asString()).isEqualTo("automate");
		assertThat(this.warden.get("/api/v1/incidents/" + incident).json().get("status").asString())
			.isEqualTo("triggered");
		assertThat(count("silence")).isEqualTo(silences);
		assertThat(this.jdbc.sql("select paused from runbook_switch").query(Boolean.class).single()).isFalse();
	}

	@Test
	void issuedTokenIsAnsweredOnceAndListedWithoutItsValue() {
		String name = "grafana-" + shortId();
		Instant expiry = this.clock.instant().plus(Duration.ofDays(30));

		Response created = post("/api/v1/tokens", IntegrationTest.API_TOKEN, """
				{"name":" %s ","scopes":["read","RESPOND","read"],"expiresAt":"%s"}""".formatted(name, expiry));

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode issued = created.json();
		String value = issued.get("token").asString();
		assertThat(value).startsWith("warden_").hasSizeGreaterThan(40);
		assertThat(issued.get("name").asString()).isEqualTo(name);
		assertThat(issued.get("scopes").toString()).isEqualTo("[\"read\",\"respond\"]");
		assertThat(issued.get("expiresAt").asString()).isEqualTo(expiry.toString());
		assertThat(issued.get("createdBy").asString()).isEqualTo("bootstrap");
		assertThat(issued.get("createdAt").asString()).isEqualTo(this.clock.instant().toString());
		long id = issued.get("id").asLong();
		// The new token acts under its own name.
		long incident = this.warden.open(Payloads.group().firing("fp-grafana", this.clock.instant()).json());
		Response ack = post("/api/v1/incidents/" + incident + "/acknowledge", value, null);
		assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
		assertThat(ack.json().get("milestones").get("acknowledgedBy").asString()).isEqualTo(name);

		Response list = this.warden.get("/api/v1/tokens");

		assertThat(list.status()).isEqualTo(200);
		assertThat(list.body()).doesNotContain(value).doesNotContain("\"token\"");
		JsonNode listed = find(list.json(), name);
		assertThat(listed.get("id").asLong()).isEqualTo(id);
		assertThat(listed.get("status").asString()).isEqualTo("active");
		assertThat(listed.get("lastUsedAt").asString()).isEqualTo(this.clock.instant().toString());
		assertThat(listed.get("revokedAt").isNull()).isTrue();
		assertThat(listed.get("bootstrap").asBoolean()).isFalse();
		JsonNode bootstrap = find(list.json(), "bootstrap");
		assertThat(bootstrap.get("bootstrap").asBoolean()).isTrue();
		assertThat(bootstrap.get("scopes").toString()).isEqualTo("[\"admin\"]");
		assertThat(bootstrap.get("expiresAt").isNull()).isTrue();
	}

	@Test
	void refusesBadTokenRequestsAndWritesNothing() {
		long before = count("api_token");
		String reader = issue("not-admin", List.of("read", "respond", "automate"), null).get("token").asString();
		before++;
		String past = this.clock.instant().minusSeconds(1).toString();

		Map<String, String> refused = new LinkedHashMap<>();
		refused.put("{\"name\":\"x-" + shortId() + "\",\"scopes\":[\"read\",\"superuser\"]}", "'superuser'");
		refused.put("{\"name\":\"x-" + shortId() + "\",\"scopes\":[]}", "at least one scope");
		refused.put("{\"name\":\"x-" + shortId() + "\"}", "at least one scope");
		refused.put("{\"name\":\"x-" + shortId() + "\",\"scopes\":[\"read\"],\"expiresAt\":\"" + past + "\"}",
				"not in the future");
		refused.put("{\"name\":\"x-" + shortId() + "\",\"scopes\":[\"read\"],\"expiresAt\":\"tomorrow\"}",
				"expiresAt: 'tomorrow'");
		refused.put("{\"name\":\"  \",\"scopes\":[\"read\"]}", "Give the token a name");
		refused.put("{\"name\":\"" + "x".repeat(65) + "\",\"scopes\":[\"read\"]}", "at most 64 characters");
		refused.put("{\"name\":\"bad\\u0007name\",\"scopes\":[\"read\"]}", "control characters");
		refused.put("{\"name\":\"bootstrap\",\"scopes\":[\"read\"]}", "exists already");
		refused.put("{\"name\":\"x\",\"scopes\":\"read\"}", "scopes");
		refused.put("{not json", "Malformed JSON");
		refused.put(
				"{\"name\":\"x-" + shortId() + "\",\"scopes\":[\"read\"],\"expiresAt\":\"+300000-01-01T00:00:00Z\"}",
				"too far away");

		refused.forEach((body, reason) -> {
			Response response = post("/api/v1/tokens", IntegrationTest.API_TOKEN, body);
			assertThat(response.status()).as(body + " -> " + response).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("detail").asString()).as(body).contains(reason);
		});
		Response notAdmin = post("/api/v1/tokens", reader, "{\"name\":\"escalated\",\"scopes\":[\"admin\"]}");
		assertThat(notAdmin.status()).isEqualTo(403);
		assertThat(notAdmin.json().get("requiredScope").asString()).isEqualTo("admin");
		assertThat(send(HttpMethod.GET, "/api/v1/tokens", reader, null).status()).isEqualTo(403);
		assertThat(count("api_token")).isEqualTo(before);
	}

	@Test
	void expiredTokenGets401() {
		JsonNode issued = issue("short-lived", List.of("read"), this.clock.instant().plus(Duration.ofHours(1)));
		String value = issued.get("token").asString();
		assertThat(send(HttpMethod.GET, "/api/v1/incidents", value, null).status()).isEqualTo(200);

		this.clock.advance(Duration.ofHours(1));
		Response expired = send(HttpMethod.GET, "/api/v1/incidents", value, null);

		assertThat(expired.status()).isEqualTo(401);
		assertThat(expired.contentType()).startsWith("application/problem+json");
		assertThat(expired.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(expired.json().get("detail").asString()).contains("expired");
		assertThat(
				find(this.warden.get("/api/v1/tokens").json(), issued.get("name").asString()).get("status").asString())
			.isEqualTo("expired");
	}

	@Test
	void revokedTokenGets401AndRevokingTwiceOrUnknownTokensChangesNothing() {
		JsonNode issued = issue("revoked", List.of("admin"), null);
		String value = issued.get("token").asString();
		long id = issued.get("id").asLong();
		assertThat(send(HttpMethod.GET, "/api/v1/tokens", value, null).status()).isEqualTo(200);

		Response revoked = send(HttpMethod.DELETE, "/api/v1/tokens/" + id, IntegrationTest.API_TOKEN, null);
		Instant revokedAt = this.clock.instant();
		this.clock.advance(Duration.ofMinutes(5));
		Response again = send(HttpMethod.DELETE, "/api/v1/tokens/" + id, IntegrationTest.API_TOKEN, null);
		Response unknown = send(HttpMethod.DELETE, "/api/v1/tokens/987654321", IntegrationTest.API_TOKEN, null);

		assertThat(revoked.status()).isEqualTo(204);
		assertThat(again.status()).isEqualTo(204);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.contentType()).startsWith("application/problem+json");
		assertThat(send(HttpMethod.GET, "/api/v1/incidents", value, null).status()).isEqualTo(401);
		JsonNode listed = find(this.warden.get("/api/v1/tokens").json(), issued.get("name").asString());
		assertThat(listed.get("status").asString()).isEqualTo("revoked");
		assertThat(listed.get("revokedAt").asString()).isEqualTo(revokedAt.toString());
	}

	@Test
	void lastUseIsWrittenAtMostOnceAMinute() {
		JsonNode issued = issue("polled", List.of("read"), null);
		String value = issued.get("token").asString();
		Instant first = this.clock.instant();

		send(HttpMethod.GET, "/api/v1/incidents", value, null);
		this.clock.advance(Duration.ofSeconds(59));
		send(HttpMethod.GET, "/api/v1/incidents", value, null);
		Instant unchanged = lastUsed(issued);
		this.clock.advance(Duration.ofSeconds(2));
		send(HttpMethod.GET, "/api/v1/incidents", value, null);

		assertThat(unchanged).isEqualTo(first);
		assertThat(lastUsed(issued)).isEqualTo(first.plusSeconds(61));
	}

	private Instant lastUsed(JsonNode issued) {
		return this.jdbc.sql("select last_used_at from api_token where id = ?")
			.param(issued.get("id").asLong())
			.query(Instant.class)
			.single();
	}

	/**
	 * Every handler under /api/v1 but the webhooks (Alertmanager's, Grafana's), which
	 * have chains of their own.
	 */
	private List<Endpoint> apiEndpoints() {
		List<Endpoint> endpoints = new ArrayList<>();
		this.handlerMapping.getHandlerMethods().forEach((info, handler) -> {
			Set<String> patterns = info.getPatternValues();
			for (String pattern : patterns) {
				if (!pattern.startsWith("/api/v1/") || pattern.startsWith("/api/v1/alerts/")) {
					continue;
				}
				Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
				assertThat(methods).as("%s names its HTTP method", pattern).isNotEmpty();
				for (RequestMethod method : methods) {
					RequiresScope scope = ScopeAuthorization.required(handler);
					endpoints.add(new Endpoint(method.asHttpMethod(), pattern, (scope != null) ? scope.value() : null,
							handler));
				}
			}
		});
		return endpoints;
	}

	private Response call(Endpoint endpoint, String token) {
		Matcher variables = VARIABLE.matcher(endpoint.pattern());
		StringBuilder path = new StringBuilder();
		while (variables.find()) {
			String name = variables.group(1);
			String value = (endpoint.pattern().startsWith("/api/v1/silences/") && name.equals("id"))
					? UUID.randomUUID().toString() : VARIABLES.get(name);
			assertThat(value).as("a value for {%s} of %s", name, endpoint).isNotNull();
			variables.appendReplacement(path, value);
		}
		variables.appendTail(path);
		String body = (endpoint.method() == HttpMethod.POST || endpoint.method() == HttpMethod.PUT) ? "{}" : null;
		return send(endpoint.method(), path.toString(), token, body);
	}

	private JsonNode issue(String prefix, List<String> scopes, Instant expiresAt) {
		StringBuilder body = new StringBuilder("{\"name\":\"" + prefix + "-" + shortId() + "\",\"scopes\":[");
		body.append(String.join(",", scopes.stream().map((scope) -> "\"" + scope + "\"").toList())).append(']');
		if (expiresAt != null) {
			body.append(",\"expiresAt\":\"").append(expiresAt).append('"');
		}
		Response created = post("/api/v1/tokens", IntegrationTest.API_TOKEN, body.append('}').toString());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json();
	}

	private Response post(String path, String token, String body) {
		return send(HttpMethod.POST, path, token, body);
	}

	private Response send(HttpMethod method, String path, String token, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.warden.uri(path))
			.header("Authorization", "Bearer " + token)
			.method(method.name(),
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return this.warden.send(request);
	}

	private static JsonNode find(JsonNode tokens, String name) {
		for (JsonNode token : tokens) {
			if (token.get("name").asString().equals(name)) {
				return token;
			}
		}
		throw new AssertionError("No token named " + name + " in " + tokens);
	}

	private long count(String table) {
		return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

	static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	record Endpoint(HttpMethod method, String pattern, Scope scope, HandlerMethod handler) {

		@Override
		public String toString() {
			return this.method + " " + this.pattern;
		}

	}

	/** A handler as a forgetful developer would add it. */
	@ResponseBody
	public static class Undeclared {

		public String hello() {
			return "hello";
		}

	}

	@ResponseBody
	public static class Declared {

		@RequiresScope(Scope.READ)
		public String hello() {
			return "hello";
		}

	}

}
