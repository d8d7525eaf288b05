package dev.warden.alerting;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.GrafanaBodies;
import dev.warden.IntegrationTest;
import dev.warden.Payloads;

/**
 * Generates webhook requests by mutating Alertmanager's real captured payloads: dropped
 * and retyped fields, huge and odd strings (NUL, lone surrogates as JSON escapes and as
 * raw invalid UTF-8), deep nesting, repeated alerts and fingerprints, extreme timestamps,
 * broken bytes, wrong content types, oversized bodies and missing credentials. The same
 * seed yields the same requests, so a failure replays.
 */
final class MutatedWebhooks {

	/**
	 * Who sends the webhook: the bodies to mutate and the credentials to send them with.
	 */
	record Source(String name, List<String> samples, java.util.function.BiFunction<String, String, ObjectNode> sample,
			String token, String basicAuth, List<String> wrongCredentials) {

		/**
		 * Alertmanager, with its real captures in
		 * {@code src/test/resources/alertmanager/}.
		 */
		static final Source ALERTMANAGER = new Source("Alertmanager",
				List.of("firing.json", "grouped-2-alerts.json", "resolved.json"), Payloads::sampleInOwnGroup,
				"Bearer " + IntegrationTest.WEBHOOK_TOKEN,
				"Basic " + base64("alertmanager:" + IntegrationTest.WEBHOOK_PASSWORD),
				java.util.Arrays.asList(null, "Bearer wrong", "Bearer ", "Basic " + base64("alertmanager:x"),
						"Basic %%%", IntegrationTest.WEBHOOK_TOKEN, "Bearer " + IntegrationTest.API_TOKEN,
						"Bearer " + IntegrationTest.GRAFANA_TOKEN));

		/**
		 * Grafana's webhook contact point, with bodies in the shape Grafana documents in
		 * {@code src/test/resources/grafana/}.
		 */
		static final Source GRAFANA = new Source("Grafana",
				List.of("firing.json", "two-alerts.json", "resolved.json", "minimal.json"),
				GrafanaBodies::sampleInOwnGroup, "Bearer " + IntegrationTest.GRAFANA_TOKEN,
				"Basic " + base64("grafana:" + IntegrationTest.GRAFANA_PASSWORD),
				java.util.Arrays.asList(null, "Bearer wrong", "Bearer ", "Basic " + base64("grafana:x"), "Basic %%%",
						IntegrationTest.GRAFANA_TOKEN, "Bearer " + IntegrationTest.API_TOKEN,
						"Bearer " + IntegrationTest.WEBHOOK_TOKEN,
						"Basic " + base64("alertmanager:" + IntegrationTest.WEBHOOK_PASSWORD)));

	}

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	/** Upper-case hex digits, for the JSON escapes of unpaired surrogates. */
	private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

	private static final List<String> ODD_STRINGS = List.of("", " ", "\t\n", "\u0000", "a\u0000b", "\uD800", "\uDC00",
			"x\uDBFF", "\uDC00\uD800", "\uD83D\uDE00", "\uFEFF", "\uFFFE", "\uFFFF", "\u202Eevil",
			"e\u0301\u0301\u0301", "\u0001\u001F\u007F", "'; drop table incident; --", "%s%n%x", "${jndi:ldap://x}",
			"<script>alert(1)</script>", "\\", "\"", "null", "0001-01-01T00:00:00Z", "{}:{}", "firing", "resolved", "4",
			"\u00e9\u4e2d\u0410", "\r\n\r\nHTTP/1.1 200 OK");

	private static final String[][] LOOKALIKES = { { "\uD800", "\uDC00" }, { "\uD800", "?" }, { "\uDBFF", "\uDFFF" },
			{ "\u00e9", "e\u0301" }, { "", " " }, { "a", "A" }, { "\uFFFD", "\uD800" }, { "\u0000", "" } };

	private static final List<String> TIMESTAMPS = List.of("0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
			"0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59.999999999Z",
			"9999-12-31T23:59:59-23:59", "9999-12-31T23:59:59+18:00", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
			"-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
			"1969-12-31T23:59:59.999999999Z", "2026-11-22T20:54:32.766", "2026-11-22 20:54:32Z", "2026-11-22t20:54:32z",
			"2026-11-22T20:54:32.766+25:00", "2026-11-22T20:54:32.766+99:99", "2026-02-30T00:00:00Z",
			"2026-11-22T24:00:00Z", "2026-11-22T23:59:60Z", "2026-11-22T20:54:32.1234567890123Z",
			"2026-11-22T20:54:32.000000001Z", "2026-11-22T20:54:32,5Z", "2026-W47-7T20:54:32Z", "2026-326T20:54:32Z",
			"1732300000", "", "now", "292278994-08-17T07:12:55.807Z", "2026-11-22T20:54:32.766Z\u0000", "\uD800");

	private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
			"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1",
			"application/json; charset=utf-16", "application/json; charset=bogus", "application/json;charset=\"utf-8\"",
			"APPLICATION/JSON", "application/*", "*/*", "application/problem+json", "application/vnd.api+json",
			"application/json-patch+json", "application/json, text/plain", "", "garbage", "application/",
			"application/json; charset=", "application/json; =", "application/json; charset=utf-8; charset=ascii");

	private static final List<String> WHOLE_BODIES = List.of("", " ", "null", "[]", "{}", "\"x\"", "42", "true", "[{}]",
			"{\"alerts\":null}", "{\"alerts\":[null]}", "{\"alerts\":[[]]}", "{\"alerts\":{}}",
			"{\"version\":4,\"alerts\":[]}", "\uFEFF{}", "{\"a\":1}{\"b\":2}", "{/*c*/}", "{'a':'b'}", "{\"a\":NaN}",
			"{\"a\":[1,]}", "{\"a\":01}", "{\"a\":1e99999}", "{\"a\":-}", "{\"\":\"\"}");

	private static final List<byte[]> INVALID_UTF8 = List.of(new byte[] { (byte) 0xC3, 0x28 },
			new byte[] { (byte) 0xFF }, new byte[] { (byte) 0xFE },
			new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, new byte[] { (byte) 0xED, (byte) 0xBF, (byte) 0xBF },
			new byte[] { (byte) 0xC0, (byte) 0xAF }, new byte[] { (byte) 0xE0, (byte) 0x80, (byte) 0xAF },
			new byte[] { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 },
			new byte[] { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }, new byte[] { (byte) 0x80 },
			new byte[] { 0x00 }, new byte[] { 0x1F });

	private static final String NESTING = "nested-here-";

	private final SplittableRandom random;

	/** Deep nesting of this request, by the string that stands for it in the tree. */
	private final Map<String, String> nesting = new LinkedHashMap<>();

	private final long limit;

	/** Bodies Warden took in, posted again mutated: attach, resolve and reopen paths. */
	private final List<ObjectNode> accepted = new ArrayList<>();

	/** Fingerprints seen, reused in other groups. */
	private final List<String> fingerprints = new ArrayList<>();

	private final Source source;

	MutatedWebhooks(long seed, long limit) {
		this(seed, limit, Source.ALERTMANAGER);
	}

	MutatedWebhooks(long seed, long limit, Source source) {
		this.random = new SplittableRandom(seed);
		this.limit = limit;
		this.source = source;
	}

	/** Remembers a body Warden answered 200 to, so later requests can build on it. */
	void accepted(Request request) {
		if (request.tree() != null && this.accepted.size() < 500) {
			this.accepted.add(request.tree());
		}
	}

	/** The next request. */
	Request next(int index) {
		List<String> mutations = new ArrayList<>();
		ObjectNode payload = base(index, mutations);
		int count = chance(0.08) ? 0 : 1 + this.random.nextInt(chance(0.2) ? 6 : 3);
		for (int i = 0; i < count; i++) {
			mutations.add(mutate(payload));
		}
		Encoding encoding = pick(Encoding.values());
		String text = json.writeValueAsString(payload);
		// Nesting deeper than Jackson writes goes in as text.
		for (Map.Entry<String, String> nested : this.nesting.entrySet()) {
			text = text.replace(nested.getKey(), nested.getValue());
		}
		boolean treeIntact = this.nesting.isEmpty();
		this.nesting.clear();
		byte[] body = encode(text, encoding);
		if (encoding != Encoding.UTF8) {
			mutations.add("unpaired surrogates as " + encoding);
		}
		if (chance(0.12)) {
			body = mutateBytes(body, mutations);
			treeIntact = false;
		}
		String contentType = "application/json";
		if (chance(0.07)) {
			contentType = pick(CONTENT_TYPES);
			mutations.add("Content-Type: " + contentType);
			if (contentType.endsWith("utf-16")) {
				body = new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
			}
		}
		else if (chance(0.01)) {
			contentType = null;
			mutations.add("no Content-Type");
		}
		String authorization = this.source.token();
		boolean authenticated = true;
		double auth = this.random.nextDouble();
		if (auth < 0.02) {
			authorization = this.source.basicAuth();
			mutations.add("basic auth");
		}
		else if (auth < 0.035) {
			authorization = pick(this.source.wrongCredentials().toArray(String[]::new));
			authenticated = false;
			mutations.add("credentials: " + authorization);
		}
		if (chance(0.02)) {
			body = oversized(body, mutations);
			treeIntact = false;
		}
		boolean chunked = chance(0.05);
		if (chunked) {
			mutations.add("chunked");
		}
		boolean plain = mutations.stream().allMatch((m) -> m.startsWith("base") || m.equals("basic auth"))
				&& body.length <= this.limit;
		return new Request(index, List.copyOf(mutations), contentType, authorization, authenticated, body, chunked,
				plain, treeIntact ? payload : null);
	}

	private ObjectNode base(int index, List<String> mutations) {
		if (!this.accepted.isEmpty() && chance(0.25)) {
			ObjectNode again = this.accepted.get(this.random.nextInt(this.accepted.size())).deepCopy();
			// The group's own suffix: what follows the key's last '-'. (A regular
			// expression
			// such as ".*-" took quadratic time on the long keys that mutations make:
			// minutes
			// for some seeds.)
			String groupKey = again.get("groupKey").asString();
			mutations.add("base: again " + groupKey.substring(groupKey.lastIndexOf('-') + 1));
			return again;
		}
		String sample = pick(this.source.samples().toArray(String[]::new));
		mutations.add("base: " + sample);
		ObjectNode payload = this.source.sample().apply(sample, "fz" + index);
		payload.get("alerts").forEach((alert) -> this.fingerprints.add(alert.get("fingerprint").asString()));
		return payload;
	}

	private String mutate(ObjectNode payload) {
		return switch (this.random.nextInt(16)) {
			case 0 -> dropField(payload);
			case 1, 2 -> retype(payload);
			case 3, 4 -> oddString(payload);
			case 5 -> oddKey(payload);
			case 6 -> deepNesting(payload);
			case 7 -> repeatAlert(payload);
			case 8, 9 -> repeatFingerprint(payload);
			case 10, 11 -> extremeTimestamp(payload);
			case 12 -> changeStatus(payload);
			case 13 -> hugeString(payload);
			case 14 -> manyAlerts(payload);
			default -> borrowFingerprint(payload);
		};
	}

	private String dropField(ObjectNode payload) {
		Place place = anyPlace(payload);
		place.object().remove(place.field());
		return "drop " + place;
	}

	private String retype(ObjectNode payload) {
		Place place = anyPlace(payload);
		JsonNode value = anyValue();
		place.object().set(place.field(), value);
		return "retype " + place + " to " + escape(value.toString());
	}

	private String oddString(ObjectNode payload) {
		Place place = anyStringPlace(payload);
		String odd = oddString();
		String current = place.object().path(place.field()).asString("");
		String value = switch (this.random.nextInt(3)) {
			case 0 -> odd;
			case 1 -> current + odd;
			default -> odd + current;
		};
		place.object().put(place.field(), value);
		return "odd string at " + place + ": " + escape(value);
	}

	private String oddKey(ObjectNode payload) {
		ObjectNode target = anyObject(payload);
		String key = chance(0.5) ? oddString() : pick(new String[] { "alerts", "status", "a.b", "a[0]", "[", "]", "<K>",
				"labels[x]", "__name__", "x".repeat(300), "fingerprint" });
		target.set(key, chance(0.7) ? nodes.stringNode(oddString()) : anyValue());
		return "odd key " + escape(key);
	}

	private String deepNesting(ObjectNode payload) {
		int depth = pick(new Integer[] { 10, 100, 500, 999, 1000, 1001, 2000, 5000 });
		boolean arrays = chance(0.5);
		String marker = NESTING + this.nesting.size();
		this.nesting.put('"' + marker + '"',
				(arrays ? "[" : "{\"d\":").repeat(depth) + "\"deep\"" + (arrays ? "]" : "}").repeat(depth));
		Place place = chance(0.5) ? new Place(payload, "unknownFutureField", "/unknownFutureField") : anyPlace(payload);
		place.object().put(place.field(), marker);
		return "nest " + depth + (arrays ? " arrays" : " objects") + " at " + place;
	}

	private String repeatAlert(ObjectNode payload) {
		ArrayNode alerts = alerts(payload);
		if (alerts == null || alerts.isEmpty()) {
			return retype(payload);
		}
		JsonNode alert = alerts.get(this.random.nextInt(alerts.size()));
		int copies = pick(new Integer[] { 1, 2, 5, 50 });
		for (int i = 0; i < copies; i++) {
			alerts.add(alert.deepCopy());
		}
		return "repeat an alert " + copies + " times";
	}

	private String repeatFingerprint(ObjectNode payload) {
		ArrayNode alerts = alerts(payload);
		if (alerts == null || alerts.isEmpty() || !alerts.get(0).isObject()) {
			return retype(payload);
		}
		ObjectNode copy = ((ObjectNode) alerts.get(0)).deepCopy();
		String change = switch (this.random.nextInt(6)) {
			case 5 -> {
				// Fingerprints that differ only in ways storage might not keep.
				String fingerprint = copy.path("fingerprint").asString("fp");
				String[] twins = pick(LOOKALIKES);
				((ObjectNode) alerts.get(0)).put("fingerprint", fingerprint + twins[0]);
				copy.put("fingerprint", fingerprint + twins[1]);
				yield "lookalike " + escape(twins[0]) + " and " + escape(twins[1]);
			}
			case 0 -> {
				copy.put("status", "firing".equals(copy.path("status").asString("")) ? "resolved" : "firing");
				copy.put("endsAt", "resolved".equals(copy.path("status").asString("")) ? Instant.now().toString()
						: "0001-01-01T00:00:00Z");
				yield "other status";
			}
			case 1 -> {
				copy.put("startsAt",
						Instant.parse("2026-11-22T20:00:00Z").plusSeconds(this.random.nextInt(-7200, 7200)).toString());
				yield "other startsAt";
			}
			case 2 -> {
				copy.putObject("labels").put("alertname", "Other").put("severity", "info");
				yield "other labels";
			}
			case 3 -> {
				copy.putObject("annotations").put("summary", "another summary");
				yield "other annotations";
			}
			default -> "identical";
		};
		alerts.insert(this.random.nextInt(alerts.size() + 1), copy);
		return "repeat fingerprint (" + change + ")";
	}

	private String extremeTimestamp(ObjectNode payload) {
		ArrayNode alerts = alerts(payload);
		if (alerts == null || alerts.isEmpty() || !alerts.get(0).isObject()) {
			return retype(payload);
		}
		ObjectNode alert = (ObjectNode) alerts.get(this.random.nextInt(alerts.size()));
		String field = chance(0.6) ? "startsAt" : "endsAt";
		String value = chance(0.7) ? pick(TIMESTAMPS.toArray(String[]::new)) : randomTimestamp();
		alert.put(field, value);
		return field + " " + escape(value);
	}

	private String randomTimestamp() {
		int year = this.random.nextInt(-20000, 20000);
		String offset = pick(
				new String[] { "Z", "+00:00", "-00:00", "+14:00", "-12:00", "+23:59", "-18:00", "+05:30" });
		return "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ"
			.formatted(year, this.random.nextInt(0, 14), this.random.nextInt(0, 33), this.random.nextInt(0, 26),
					this.random.nextInt(0, 61), this.random.nextInt(0, 62), this.random.nextInt(0, 1_000_000_000))
			.replace("Z", offset);
	}

	private String changeStatus(ObjectNode payload) {
		ArrayNode alerts = alerts(payload);
		if (alerts == null || alerts.isEmpty() || !alerts.get(0).isObject()) {
			return retype(payload);
		}
		for (JsonNode alert : alerts) {
			if (alert instanceof ObjectNode object) {
				object.put("status", "resolved");
				object.put("endsAt", "2026-11-22T21:00:00Z");
			}
		}
		payload.put("status", "resolved");
		return "resolve all";
	}

	private String hugeString(ObjectNode payload) {
		Place place = anyStringPlace(payload);
		int length = pick(new Integer[] { 1_000, 10_000, 30_000, 60_000, 70_000 });
		String unit = pick(new String[] { "x", "\u00e9", "\uD83D\uDE00", "\u0000", "\uD800", " " });
		place.object().put(place.field(), unit.repeat(length / unit.length()));
		return "huge string (" + length + " of " + escape(unit) + ") at " + place;
	}

	private String manyAlerts(ObjectNode payload) {
		ArrayNode alerts = alerts(payload);
		if (alerts == null || alerts.isEmpty() || !alerts.get(0).isObject()) {
			return retype(payload);
		}
		int count = pick(new Integer[] { 20, 60, 150 });
		JsonNode template = alerts.get(0);
		for (int i = 0; i < count; i++) {
			ObjectNode copy = ((ObjectNode) template).deepCopy();
			copy.put("fingerprint", copy.path("fingerprint").asString("fp") + "-" + i);
			if (copy.get("labels") instanceof ObjectNode labels) {
				labels.put("instance", "i-" + i);
			}
			alerts.add(copy);
		}
		return count + " more alerts";
	}

	private String borrowFingerprint(ObjectNode payload) {
		ArrayNode alerts = alerts(payload);
		if (alerts == null || alerts.isEmpty() || !alerts.get(0).isObject() || this.fingerprints.isEmpty()) {
			return retype(payload);
		}
		String fingerprint = this.fingerprints.get(this.random.nextInt(this.fingerprints.size()));
		((ObjectNode) alerts.get(this.random.nextInt(alerts.size()))).put("fingerprint", fingerprint);
		return "fingerprint of another group " + fingerprint;
	}

	private byte[] mutateBytes(byte[] body, List<String> mutations) {
		switch (this.random.nextInt(9)) {
			case 0 -> {
				int at = this.random.nextInt(body.length + 1);
				mutations.add("truncate at " + at);
				return Arrays.copyOf(body, at);
			}
			case 1, 2 -> {
				byte[] bad = INVALID_UTF8.get(this.random.nextInt(INVALID_UTF8.size()));
				int at = insideString(body);
				mutations.add("bytes " + HexFormat.of().formatHex(bad) + " at " + at);
				return splice(body, at, 0, bad);
			}
			case 3 -> {
				int at = this.random.nextInt(body.length);
				byte[] copy = body.clone();
				copy[at] = (byte) this.random.nextInt(256);
				mutations.add("byte " + at + " to " + (copy[at] & 0xff));
				return copy;
			}
			case 4 -> {
				mutations.add("UTF-8 byte order mark");
				return splice(body, 0, 0, new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
			}
			case 5 -> {
				String tail = pick(new String[] { "}", "{}", " garbage", "\u0000", ",", "]" });
				mutations.add("trailing " + escape(tail));
				return splice(body, body.length, 0, tail.getBytes(StandardCharsets.UTF_8));
			}
			case 6 -> {
				String duplicate = pick(new String[] { "\"status\":\"resolved\",", "\"alerts\":[],",
						"\"version\":\"3\",", "\"groupKey\":null," });
				mutations.add("duplicate key " + duplicate);
				return splice(body, 1, 0, duplicate.getBytes(StandardCharsets.UTF_8));
			}
			case 7 -> {
				String whole = pick(WHOLE_BODIES.toArray(String[]::new));
				mutations.add("whole body " + escape(whole));
				return whole.getBytes(StandardCharsets.UTF_8);
			}
			default -> {
				int depth = pick(new Integer[] { 1_000, 20_000 });
				String open = chance(0.5) ? "[" : "{\"a\":";
				mutations.add("whole body " + depth + " times " + open);
				return open.repeat(depth).getBytes(StandardCharsets.UTF_8);
			}
		}
	}

	private byte[] oversized(byte[] body, List<String> mutations) {
		long size = Math.max(body.length, this.limit) + pick(new Long[] { 1L, 1_000L, this.limit });
		mutations.add("oversized to " + size + " bytes");
		byte[] padded = Arrays.copyOf(body, (int) size);
		Arrays.fill(padded, body.length, padded.length, (byte) ' ');
		return padded;
	}

	/** Where a string value starts, or anywhere when there is none. */
	private int insideString(byte[] body) {
		List<Integer> quotes = new ArrayList<>();
		for (int i = 0; i < body.length; i++) {
			if (body[i] == '"') {
				quotes.add(i + 1);
			}
		}
		return quotes.isEmpty() ? this.random.nextInt(body.length + 1) : quotes.get(this.random.nextInt(quotes.size()));
	}

	private JsonNode anyValue() {
		return switch (this.random.nextInt(14)) {
			case 0 -> nodes.nullNode();
			case 1 -> nodes.numberNode(this.random.nextInt());
			case 2 -> nodes.numberNode(-1);
			case 3 -> nodes.numberNode(new BigInteger("123456789012345678901234567890"));
			case 4 -> nodes.numberNode(1.5e300);
			case 5 -> nodes.booleanNode(chance(0.5));
			case 6 -> nodes.arrayNode();
			case 7 -> nodes.arrayNode().add("a").add(1);
			case 8 -> nodes.objectNode();
			case 9 -> nodes.objectNode().put("k", "v");
			case 10 -> nodes.stringNode("");
			case 11 -> nodes.numberNode(Long.MAX_VALUE);
			case 12 -> nodes.numberNode(new BigDecimal("1e400"));
			default -> nodes.stringNode(oddString());
		};
	}

	private String oddString() {
		return ODD_STRINGS.get(this.random.nextInt(ODD_STRINGS.size()));
	}

	/** Any field of any object in the payload. */
	private Place anyPlace(ObjectNode payload) {
		List<Place> places = new ArrayList<>();
		collect(payload, "", places, (node) -> true);
		return places.isEmpty() ? new Place(payload, "version", "/version")
				: places.get(this.random.nextInt(places.size()));
	}

	/** Any field holding a string, or any field at all when there is none. */
	private Place anyStringPlace(ObjectNode payload) {
		List<Place> places = new ArrayList<>();
		collect(payload, "", places, JsonNode::isString);
		return places.isEmpty() ? anyPlace(payload) : places.get(this.random.nextInt(places.size()));
	}

	private ObjectNode anyObject(ObjectNode payload) {
		List<Place> places = new ArrayList<>();
		collect(payload, "", places, JsonNode::isObject);
		return places.isEmpty() || chance(0.1) ? payload
				: (ObjectNode) places.get(this.random.nextInt(places.size())).value();
	}

	private static void collect(JsonNode node, String path, List<Place> places, Function<JsonNode, Boolean> wanted) {
		if (node instanceof ObjectNode object) {
			for (String name : List.copyOf(object.propertyNames())) {
				JsonNode value = object.get(name);
				String at = path + "/" + name;
				if (wanted.apply(value)) {
					places.add(new Place(object, name, at));
				}
				collect(value, at, places, wanted);
			}
		}
		else if (node instanceof ArrayNode array && path.split("/").length < 6) {
			for (int i = 0; i < array.size(); i++) {
				collect(array.get(i), path + "/" + i, places, wanted);
			}
		}
	}

	private static ArrayNode alerts(ObjectNode payload) {
		return (payload.get("alerts") instanceof ArrayNode alerts) ? alerts : null;
	}

	/**
	 * Encodes the JSON text: valid UTF-8, except that unpaired surrogates (which UTF-8
	 * cannot carry) become JSON escapes or the raw (invalid) three-byte sequences.
	 */
	private static byte[] encode(String text, Encoding encoding) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
		// Runs of text without an unpaired surrogate are UTF-8 as they are, in one go: a
		// body of megabytes encoded one character at a time took most of this test's
		// own CPU.
		int run = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				out.writeBytes(text.substring(run, i).getBytes(StandardCharsets.UTF_8));
				if (encoding == Encoding.RAW_BYTES) {
					out.write(0xE0 | (c >> 12));
					out.write(0x80 | ((c >> 6) & 0x3F));
					out.write(0x80 | (c & 0x3F));
				}
				else {
					out.writeBytes(("\\u" + UPPER_HEX.toHexDigits(c)).getBytes(StandardCharsets.US_ASCII));
				}
				run = i + 1;
			}
		}
		out.writeBytes(text.substring(run).getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	private static byte[] splice(byte[] body, int at, int remove, byte[] insert) {
		byte[] result = new byte[body.length - remove + insert.length];
		System.arraycopy(body, 0, result, 0, at);
		System.arraycopy(insert, 0, result, at, insert.length);
		System.arraycopy(body, at + remove, result, at + insert.length, body.length - at - remove);
		return result;
	}

	private boolean chance(double probability) {
		return this.random.nextDouble() < probability;
	}

	private <T> T pick(T[] values) {
		return values[this.random.nextInt(values.length)];
	}

	private String pick(List<String> values) {
		return values.get(this.random.nextInt(values.size()));
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	static String escape(String text) {
		return escape(text, 60);
	}

	/** The text in printable ASCII, cut after {@code max} characters. */
	static String escape(String text, int max) {
		String cut = (text.length() > max) ? text.substring(0, max) + "...(" + text.length() + " chars)" : text;
		StringBuilder escaped = new StringBuilder();
		for (char c : cut.toCharArray()) {
			escaped.append((c < 0x20 || c > 0x7e) ? "\\u%04x".formatted((int) c) : String.valueOf(c));
		}
		return escaped.toString();
	}

	/** How unpaired surrogates travel. */
	enum Encoding {

		UTF8, ESCAPED, RAW_BYTES

	}

	/** A field of an object in the payload, with its JSON pointer. */
	private record Place(ObjectNode object, String field, String pointer) {

		JsonNode value() {
			return this.object.get(this.field);
		}

		@Override
		public String toString() {
			return this.pointer;
		}

	}

	/**
	 * One webhook request.
	 *
	 * @param index its place in the run
	 * @param mutations what was done to the captured payload
	 * @param contentType the Content-Type header, or null for none
	 * @param authorization the Authorization header, or null for none
	 * @param authenticated whether that header carries valid credentials
	 * @param body the bytes sent
	 * @param chunked whether the body is sent without a Content-Length
	 * @param plain whether this is a real capture only moved to its own group, which
	 * Warden must take in
	 * @param tree the payload, when the body is exactly its JSON
	 */
	record Request(int index, List<String> mutations, String contentType, String authorization, boolean authenticated,
			byte[] body, boolean chunked, boolean plain, ObjectNode tree) {

		@Override
		public String toString() {
			return "#%d %s, %d bytes: %s".formatted(this.index, this.mutations, this.body.length,
					escape(new String(this.body, StandardCharsets.UTF_8), 400));
		}

	}

}
