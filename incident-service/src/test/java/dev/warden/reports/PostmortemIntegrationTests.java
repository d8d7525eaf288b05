package dev.warden.reports;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Postmortems of real incidents through the API: prefilled from the incident's data,
 * saved as revisions (a save from a stale revision is refused), exported as Markdown and
 * as a PDF that holds the title and the timeline.
 */
@IntegrationTest
class PostmortemIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	WardenClient warden;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void resolvedIncidentHasAPrefilledPostmortemWithMilestonesAndDurations() {
		Instant detected = this.clock.instant();
		long incident = open("Inference latency above 500 ms");
		this.clock.advance(Duration.ofSeconds(252));
		assertThat(post(incident, "acknowledge", null).status()).isEqualTo(200);
		assertThat(post(incident, "notes", Map.of("text", "Scaled the workers to 3")).status()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(post(incident, "resolve", null).status()).isEqualTo(200);

		JsonNode report = this.warden.get("/api/v1/incidents/" + incident + "/postmortem").json();

		assertThat(report.get("title").asString()).isEqualTo("Inference latency above 500 ms");
		assertThat(report.get("revision").asInt()).isZero();
		assertThat(report.get("summary").asString()).contains("acknowledged by bootstrap after 4 min 12 s");
		assertThat(durations(report)).containsEntry("Time to acknowledge", "PT4M12S")
			.containsEntry("Time to resolve", "PT14M12S");
		assertThat(report.get("milestones")
			.valueStream()
			.filter((point) -> point.get("name").asString().equals("Detected"))
			.findFirst()
			.orElseThrow()
			.get("at")
			.asString()).isEqualTo(detected.toString());
		assertThat(report.get("notes").valueStream().map((note) -> note.get("text").asString()))
			.containsExactly("Scaled the workers to 3");
		assertThat(report.get("alerts").valueStream().map((alert) -> alert.get("name").asString()))
			.containsExactly("InferenceLatencyHigh");
		assertThat(report.get("timeline").valueStream().map((line) -> line.get("type").asString()))
			.contains("incident.opened", "incident.acknowledged", "incident.note_added", "incident.resolved");
	}

	@Test
	void savesRevisionsAndRefusesASaveFromAStaleRevision() {
		long incident = openAndResolve("Database port down");
		String path = "/api/v1/incidents/" + incident + "/postmortem";

		Response first = put(path, sections(0, "Disk filled up", "Anna"));
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.json().get("revision").asInt()).isEqualTo(1);
		assertThat(first.json().get("savedBy").asString()).isEqualTo("bootstrap");
		Response second = put(path, sections(1, "Disk filled up with WAL", "Anna"));
		assertThat(second.json().get("revision").asInt()).isEqualTo(2);

		Response stale = put(path, sections(1, "Somebody else's edit", "Ben"));
		assertThat(stale.status()).isEqualTo(409);
		assertThat(stale.json().get("detail").asString()).contains("revision 2");

		JsonNode newest = this.warden.get(path).json();
		assertThat(newest.get("sections").get("rootCause").asString()).isEqualTo("Disk filled up with WAL");
		assertThat(this.warden.get(path + "?revision=1").json().get("sections").get("rootCause").asString())
			.isEqualTo("Disk filled up");
		assertThat(this.warden.get(path + "/revisions").json().valueStream().map((r) -> r.get("revision").asInt()))
			.containsExactly(2, 1);
	}

	@Test
	void invalidSectionsAreRefusedAndNothingIsSaved() {
		long incident = openAndResolve("Model accuracy low");
		String path = "/api/v1/incidents/" + incident + "/postmortem";

		Response invalid = put(path, sections(0, "Drift", " "));

		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.json().get("detail").asString()).contains("actionItems[0].owner");
		assertThat(this.warden.get(path).json().get("revision").asInt()).isZero();
	}

	@Test
	void openIncidentHasNoPostmortemYet() {
		long incident = open("Still burning");
		Response response = this.warden.get("/api/v1/incidents/" + incident + "/postmortem");
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.json().get("detail").asString()).contains("once it is resolved");
	}

	@Test
	void exportsMarkdownAndAPdfWithTheTitleAndTimeline() throws Exception {
		long incident = openAndResolve("GPU memory exhausted on worker 3");
		String path = "/api/v1/incidents/" + incident;
		assertThat(put(path + "/postmortem", sections(0, "Batch size too large for the model", "Chen")).status())
			.isEqualTo(200);

		Response markdown = this.warden.get(path + "/postmortem.md");
		assertThat(markdown.status()).isEqualTo(200);
		assertThat(markdown.contentType()).startsWith("text/markdown");
		assertThat(markdown.body()).contains("# Postmortem INC-" + incident + ": GPU memory exhausted on worker 3")
			.contains("## Root cause\n\nBatch size too large for the model")
			.contains("| no | Lower the batch size | Chen |")
			.contains("`incident.resolved`");

		HttpResponse<byte[]> pdf = java.net.http.HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(this.warden.uri(path + "/postmortem.pdf"))
				.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(pdf.statusCode()).isEqualTo(200);
		assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
		String text = pdfText(pdf.body());
		assertThat(text).contains("GPU memory exhausted on worker 3")
			.contains("Timeline")
			.contains("incident.opened")
			.contains("incident.resolved")
			.contains("Batch size too large for the model");
	}

	private static String pdfText(byte[] pdf) throws IOException {
		try (PDDocument document = Loader.loadPDF(pdf)) {
			// Lines wrap wherever the page ends them: compare words, not lines.
			return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
		}
	}

	private static Map<String, Object> sections(int base, String rootCause, String owner) {
		return Map.of("baseRevision", base, "rootCause", rootCause, "contributingFactors", "No alert on disk usage",
				"wentWell", "The runbook restarted the database", "actionItems",
				List.of(Map.of("text", "Lower the batch size", "owner", owner, "done", false)));
	}

	private static Map<String, String> durations(JsonNode report) {
		Map<String, String> durations = new java.util.LinkedHashMap<>();
		report.get("durations")
			.forEach((span) -> durations.put(span.get("name").asString(),
					span.get("duration").isNull() ? null : span.get("duration").asString()));
		return durations;
	}

	private Response put(String path, Object body) {
		return this.warden.send(HttpRequest.newBuilder(this.warden.uri(path))
			.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers
				.ofString(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(body))));
	}

	private Response post(long incident, String action, Object body) {
		return this.warden.post("/api/v1/incidents/" + incident + "/" + action, (body != null) ? body : Map.of());
	}

	private long openAndResolve(String title) {
		long incident = open(title);
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(post(incident, "resolve", null).status()).isEqualTo(200);
		return incident;
	}

	private long open(String title) {
		return this.warden.open(Payloads.firing(title, this.clock.instant().minusSeconds(60)));
	}

}
