package dev.warden.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser as far as the console's security is concerned: keeps cookies, never follows
 * redirects on its own (tests look at them), and posts forms with the CSRF token the page
 * rendered, as a browser submitting the form would. Public for the sign-in tests of
 * {@code access}, which own the form's post.
 */
public final class ConsoleBrowser {

	private static final Pattern CSRF = Pattern
		.compile("<input[^>]*name=\"_csrf\"[^>]*value=\"([^\"]+)\"|<input[^>]*value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient http;

	private final String base;

	public ConsoleBrowser(int port) {
		this(port, null);
	}

	/**
	 * A browser on another machine as far as Warden can tell: its connections come from
	 * this loopback address (any of 127.0.0.0/8), which Warden sees as the client's
	 * address.
	 */
	public ConsoleBrowser(int port, InetAddress from) {
		HttpClient.Builder http = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5));
		if (from != null) {
			http.localAddress(from);
		}
		this.http = http.build();
		this.base = "http://127.0.0.1:" + port;
	}

	public Page get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	/** GET with extra headers, such as {@code Authorization}. */
	public Page get(String path, String... headers) {
		return send(HttpRequest.newBuilder(uri(path)).headers(headers).GET());
	}

	/** Follows a redirect the way a browser would: GET its location. */
	public Page follow(Page redirect) {
		return get(URI.create(redirect.location()).getRawPath() + query(redirect.location()));
	}

	/**
	 * Opens the page at {@code pagePath} and submits the form posting to {@code action}
	 * with these fields and the page's CSRF token.
	 */
	public Page submit(String pagePath, String action, Map<String, String> fields) {
		Page page = get(pagePath);
		if (page.status() != 200) {
			throw new AssertionError("Cannot open " + pagePath + ": " + page);
		}
		Map<String, String> withToken = new LinkedHashMap<>(fields);
		withToken.put("_csrf", page.csrfToken());
		return post(action, withToken);
	}

	/**
	 * Like {@link #submit(String, String, Map)}, for forms that send a field more than
	 * once, such as checkboxes.
	 */
	public Page submit(String pagePath, String action, List<Map.Entry<String, String>> fields) {
		Page page = get(pagePath);
		if (page.status() != 200) {
			throw new AssertionError("Cannot open " + pagePath + ": " + page);
		}
		List<Map.Entry<String, String>> withToken = new ArrayList<>(fields);
		withToken.add(Map.entry("_csrf", page.csrfToken()));
		return post(action, withToken);
	}

	/** Posts a form as it is: no CSRF token unless the fields have one. */
	public Page post(String path, Map<String, String> fields) {
		return post(path, List.copyOf(fields.entrySet()));
	}

	private Page post(String path, List<Map.Entry<String, String>> fields) {
		String body = fields.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/** Signs in with the sign-in form; answers the form's redirect. */
	public Page signIn(String username, String password) {
		return submit("/login", "/login", Map.of("username", username, "password", password));
	}

	/** Signs in and fails the test unless it worked. */
	public ConsoleBrowser signedIn(String username, String password) {
		Page answer = signIn(username, password);
		if (answer.status() != 302 || answer.location().contains("/login")) {
			throw new AssertionError("Sign-in of " + username + " failed: " + answer);
		}
		return this;
	}

	/** The session cookie's value, or null. */
	public String sessionId() {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("JSESSIONID"))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	/**
	 * Takes this session cookie value, as someone who copied another browser's cookie
	 * would.
	 */
	public ConsoleBrowser useSession(String sessionId) {
		HttpCookie cookie = new HttpCookie("JSESSIONID", sessionId);
		cookie.setPath("/");
		cookie.setVersion(0);
		this.cookies.getCookieStore().add(URI.create(this.base), cookie);
		return this;
	}

	public URI uri(String path) {
		return URI.create(this.base + path);
	}

	private Page send(HttpRequest.Builder request) {
		try {
			return new Page(this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String query(String location) {
		String query = URI.create(location).getRawQuery();
		return (query != null) ? "?" + query : "";
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** A response as a browser sees it. */
	public record Page(HttpResponse<String> raw) {

		public int status() {
			return this.raw.statusCode();
		}

		public String body() {
			return this.raw.body();
		}

		public String location() {
			return this.raw.headers().firstValue("Location").orElse("");
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse("");
		}

		public List<String> headers(String name) {
			return this.raw.headers().allValues(name);
		}

		/** Whether this is a redirect to the sign-in form. */
		public boolean redirectsToSignIn() {
			return status() == 302 && URI.create(location()).getPath().equals("/login");
		}

		/** The CSRF token of the page's first form. */
		public String csrfToken() {
			Matcher matcher = CSRF.matcher(body());
			if (!matcher.find()) {
				throw new AssertionError("No CSRF token on the page: " + body());
			}
			return (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
		}

		@Override
		public String toString() {
			return status() + " " + location() + " " + body();
		}

	}

}
