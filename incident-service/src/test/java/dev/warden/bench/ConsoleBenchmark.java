package dev.warden.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.SharedPostgres;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast the console's incident list and detail pages answer with 100,000 incidents and
 * 1,000,000 alerts in PostgreSQL. A benchmark to rerun, not a test: it asserts only that
 * pages answer correctly, and writes the timings to {@code target/benchmark/console.txt}.
 * Run it with
 * {@code ./mvnw -pl incident-service test -Dtest=ConsoleBenchmark -Dwarden.test.excluded-groups= -Dwarden.test.jvm-options=}.
 * Times are measured by the client on loopback: server time plus well under a
 * millisecond.
 */
@Tag("benchmark")
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=benchmark", SharedPostgres.OWN + "=true",
		"warden.console.admin.username=bench-admin", "warden.console.admin.password=bench-password-0123",
		"db-scheduler.enabled=false" })
class ConsoleBenchmark {

	private static final int WARM_UP = 30;

	private static final int RUNS = 100;

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.build();

	@Test
	void incidentListAndDetailWith100kIncidentsAnd1mAlerts() throws Exception {
		long seedStarted = System.nanoTime();
		seed();
		long seedMillis = (System.nanoTime() - seedStarted) / 1_000_000;
		assertThat(count("incident")).isGreaterThanOrEqualTo(100_000);
		assertThat(count("alert")).isGreaterThanOrEqualTo(1_000_000);
		signIn();
		long open = this.jdbc.sql("select max(id) from incident where status <> 'RESOLVED'").query(Long.class).single();
		long resolved = this.jdbc.sql("select min(id) + 50000 from incident").query(Long.class).single();

		Map<String, String> pages = new LinkedHashMap<>();
		pages.put("list, first page", "/incidents");
		pages.put("list, page 200", "/incidents?page=200");
		pages.put("list, filtered", "/incidents?status=resolved&severity=critical&service=svc-4");
		pages.put("list, searched", "/incidents?q=database+down");
		pages.put("list, refresh fragment", "/incidents/rows");
		pages.put("detail, open incident", "/incidents/" + open);
		pages.put("detail, resolved incident", "/incidents/" + resolved);

		StringBuilder report = new StringBuilder("Console pages with %,d incidents and %,d alerts (seeded in %,d ms)%n"
			.formatted(count("incident"), count("alert"), seedMillis));
		report.append("%-28s %8s %8s %8s %8s%n".formatted("page", "p50 ms", "p95 ms", "max ms", "runs"));
		for (var page : pages.entrySet()) {
			for (int i = 0; i < WARM_UP; i++) {
				get(page.getValue());
			}
			double[] millis = new double[RUNS];
			for (int i = 0; i < RUNS; i++) {
				long started = System.nanoTime();
				HttpResponse<String> response = get(page.getValue());
				millis[i] = (System.nanoTime() - started) / 1e6;
				assertThat(response.statusCode()).as(page.getValue()).isEqualTo(200);
			}
			Arrays.sort(millis);
			report.append("%-28s %8.1f %8.1f %8.1f %8d%n".formatted(page.getKey(), millis[RUNS / 2],
					millis[(int) Math.ceil(RUNS * 0.95) - 1], millis[RUNS - 1], RUNS));
		}
		Path out = Path.of("target", "benchmark", "console.txt");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report);
		System.out.println(report);
	}

	private void seed() throws IOException {
		if (count("incident") >= 100_000) {
			return;
		}
		String script = new ClassPathResource("bench/seed.sql").getContentAsString(StandardCharsets.UTF_8);
		List<String> statements = new ArrayList<>();
		for (String statement : script.replaceAll("(?m)^--.*$", "").split(";")) {
			if (!statement.isBlank()) {
				statements.add(statement);
			}
		}
		statements.forEach((statement) -> this.jdbc.sql(statement).update());
	}

	private long count(String table) {
		return this.jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

	private void signIn() throws Exception {
		HttpResponse<String> login = get("/login");
		Matcher csrf = CSRF.matcher(login.body());
		assertThat(csrf.find()).as("the sign-in form has a CSRF token").isTrue();
		String form = "username=bench-admin&password="
				+ URLEncoder.encode("bench-password-0123", StandardCharsets.UTF_8) + "&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		HttpResponse<String> answer = this.http.send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.headers().firstValue("Location").orElse("")).doesNotContain("error");
	}

	private HttpResponse<String> get(String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
