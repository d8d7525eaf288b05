package dev.warden.runbooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * {@code http.check}: probes a URL until it answers the expected status, within a number
 * of attempts and the step's deadline. A read-only probe, so safe to repeat.
 */
@Component
class HttpCheckAction implements RunbookAction {

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@Override
	public String type() {
		return ActionSchemas.HTTP_CHECK;
	}

	@Override
	public boolean declarative() {
		return true;
	}

	@Override
	public StepResult run(StepContext context) {
		StepParameters parameters = ActionSchemas.parameters(type(), context.parameters());
		String url = parameters.string("url");
		int expected = parameters.integer("expect-status");
		int retries = parameters.integer("retries");
		Duration interval = parameters.duration("interval");
		Duration requestTimeout = parameters.duration("request-timeout");
		List<String> output = new ArrayList<>();
		for (int attempt = 1; attempt <= retries; attempt++) {
			String outcome;
			try {
				HttpResponse<Void> response = this.http.send(
						HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout).GET().build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == expected) {
					output.add("attempt %d: %s answered %d".formatted(attempt, url, response.statusCode()));
					return new StepResult.Done(output);
				}
				outcome = "answered " + response.statusCode();
			}
			catch (IOException ex) {
				outcome = "failed: " + ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new StepResult.Failed("interrupted", output);
			}
			output.add("attempt %d: %s %s, expected %d".formatted(attempt, url, outcome, expected));
			if (attempt < retries) {
				try {
					Thread.sleep(interval);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return new StepResult.Failed("interrupted", output);
				}
			}
		}
		return new StepResult.Failed("%s did not answer %d in %d attempt(s)".formatted(url, expected, retries), output);
	}

	@Override
	public List<String> plan(StepContext context) {
		StepParameters parameters = ActionSchemas.parameters(type(), context.parameters());
		return List.of("would GET %s expecting %d, up to %d attempt(s)".formatted(parameters.string("url"),
				parameters.integer("expect-status"), parameters.integer("retries")));
	}

}
