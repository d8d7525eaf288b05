package dev.warden.webhooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook file: subscriptions with their secrets from the environment, and every
 * problem with its line, after which none of the file's subscriptions is used and no
 * secret is ever in a problem.
 */
class WebhookFileTests {

	private static final String SECRET = "rollback-secret-0123456789";

	@TempDir
	Path directory;

	private final MockEnvironment environment = new MockEnvironment()
		.withProperty("WARDEN_WEBHOOK_ROLLBACK_SECRET", SECRET)
		.withProperty("WARDEN_WEBHOOK_SHORT", "short")
		.withProperty("SPRING_DATASOURCE_PASSWORD", "database-password-0123456789");

	@Test
	void readsSubscriptionsWithTheirSecretsFromTheEnvironment() throws IOException {
		SubscriptionFile file = load("""
				webhooks:
				  - name: model-rollback
				    url: https://ci.example.com/hooks/rollback?token=abc
				    events: [opened, reopened, runbook_finished]
				    match: ['service="ai-inference-api"', 'severity=~"critical|high"']
				    secret-env: WARDEN_WEBHOOK_ROLLBACK_SECRET
				    timeout: 5s
				""");

		assertThat(file.problems()).isEmpty();
		Subscription subscription = file.find("model-rollback").orElseThrow();
		assertThat(subscription.secret()).isEqualTo(SECRET);
		assertThat(subscription.events()).containsExactlyInAnyOrder(WebhookEvent.OPENED, WebhookEvent.REOPENED,
				WebhookEvent.RUNBOOK_FINISHED);
		assertThat(subscription.timeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(subscription.source()).isEqualTo("file");
		assertThat(subscription.shownUrl()).isEqualTo("https://ci.example.com/hooks/rollback?…");
		assertThat(subscription.toString()).doesNotContain(SECRET).doesNotContain("token=abc");
		assertThat(subscription.wants(WebhookEvent.OPENED,
				java.util.Map.of("service", "ai-inference-api", "severity", "high")))
			.isTrue();
		assertThat(subscription.wants(WebhookEvent.OPENED,
				java.util.Map.of("service", "ai-inference-api", "severity", "warning")))
			.isFalse();
		assertThat(subscription.wants(WebhookEvent.RESOLVED,
				java.util.Map.of("service", "ai-inference-api", "severity", "high")))
			.isFalse();
	}

	@Test
	void fileWithProblemsIsNotUsedAndEachProblemHasItsLine() throws IOException {
		SubscriptionFile file = load("""
				webhooks:
				  - name: good
				    url: https://ci.example.com/hooks/good
				    events: [opened]
				    secret-env: WARDEN_WEBHOOK_ROLLBACK_SECRET
				  - name: ftp
				    url: ftp://files.example.com/drop
				    events: [opened]
				    secret-env: WARDEN_WEBHOOK_ROLLBACK_SECRET
				  - name: unknown-event
				    url: https://ci.example.com/x
				    events: [exploded]
				    secret-env: WARDEN_WEBHOOK_ROLLBACK_SECRET
				  - name: bad-matcher
				    url: https://ci.example.com/x
				    events: [opened]
				    match: ['service=~"("']
				    secret-env: WARDEN_WEBHOOK_ROLLBACK_SECRET
				  - name: unset-secret
				    url: https://ci.example.com/x
				    events: [opened]
				    secret-env: WARDEN_WEBHOOK_NOT_SET
				  - name: foreign-secret
				    url: https://ci.example.com/x
				    events: [opened]
				    secret-env: SPRING_DATASOURCE_PASSWORD
				  - name: short-secret
				    url: https://ci.example.com/x
				    events: [opened]
				    secret-env: WARDEN_WEBHOOK_SHORT
				  - name: no-secret
				    url: https://ci.example.com/x
				    events: [opened]
				    secert: oops
				  - name: good
				    url: https://ci.example.com/hooks/again
				    events: [resolved]
				    secret-env: WARDEN_WEBHOOK_ROLLBACK_SECRET
				""");

		assertThat(file.all()).isEmpty();
		assertThat(file.problems())
			.anySatisfy((problem) -> assertThat(problem).contains(":6:", "must be http or https"))
			.anySatisfy((problem) -> assertThat(problem).contains(":10:", "'exploded' is not an event"))
			.anySatisfy((problem) -> assertThat(problem).contains(":14:", "not a valid regular expression"))
			.anySatisfy((problem) -> assertThat(problem).contains(":19:", "WARDEN_WEBHOOK_NOT_SET is not set"))
			.anySatisfy((problem) -> assertThat(problem).contains(":23:", "must name an environment variable"))
			.anySatisfy((problem) -> assertThat(problem).contains(":27:", "16 to 512 characters"))
			.anySatisfy((problem) -> assertThat(problem).contains("unknown key 'secert'"))
			.anySatisfy((problem) -> assertThat(problem).contains(":35:", "'good' is declared twice"));
		assertThat(String.join("\n", file.problems())).doesNotContain(SECRET)
			.doesNotContain("database-password")
			.doesNotContain("short\n");
	}

	@Test
	void withoutAFileThereAreNoFileSubscriptions() {
		SubscriptionFile file = new SubscriptionFile(settings(null), this.environment);

		assertThat(file.all()).isEmpty();
		assertThat(file.problems()).isEmpty();
		assertThat(file.source()).isNull();
	}

	@Test
	void missingFileIsAProblem() {
		SubscriptionFile file = new SubscriptionFile(settings(this.directory.resolve("absent.yaml")), this.environment);

		assertThat(file.all()).isEmpty();
		assertThat(file.problems()).singleElement().asString().contains("does not exist");
	}

	private SubscriptionFile load(String content) throws IOException {
		Path path = this.directory.resolve("webhooks.yaml");
		Files.writeString(path, content);
		return new SubscriptionFile(settings(path), this.environment);
	}

	private static WebhookSettings settings(Path file) {
		return new WebhookSettings(file, Duration.ofHours(24), Duration.ofSeconds(2), Duration.ofMinutes(5),
				Duration.ofSeconds(10));
	}

}
