package dev.warden.webhooks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.warden.yaml.ConfigText;
import dev.warden.yaml.Suggestions;
import dev.warden.yaml.YamlReader;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import static dev.warden.yaml.YamlReader.isNull;
import static dev.warden.yaml.YamlReader.line;
import static dev.warden.yaml.YamlReader.text;

/**
 * The subscriptions of the webhook file ({@code warden.webhooks.file}), read at start.
 * Each names the environment variable that holds its secret ({@code secret-env}), so the
 * secret stays out of the file, the database and the API. The file is all or nothing:
 * with any problem (reported with file, line and reason, in the log and the API's
 * listing) no file subscription is used, and Warden still starts.
 */
@Component
class SubscriptionFile {

	private static final Logger log = LoggerFactory.getLogger(SubscriptionFile.class);

	private static final List<String> FILE_KEYS = List.of("webhooks");

	private static final List<String> KEYS = List.of("name", "url", "events", "match", "secret-env", "timeout");

	static final int MAX_SUBSCRIPTIONS = 200;

	private final Path file;

	private final Environment environment;

	private final AtomicReference<Loaded> loaded = new AtomicReference<>(new Loaded(Map.of(), List.of()));

	SubscriptionFile(WebhookSettings settings, Environment environment) {
		this.file = settings.file();
		this.environment = environment;
		reload();
	}

	/** The file's subscriptions in file order; empty without a file or with problems. */
	List<Subscription> all() {
		return List.copyOf(this.loaded.get().subscriptions().values());
	}

	Optional<Subscription> find(String name) {
		return Optional.ofNullable(this.loaded.get().subscriptions().get(name));
	}

	/** The problems of the last load, like {@code webhooks.yaml:4: url ...}. */
	List<String> problems() {
		return this.loaded.get().problems();
	}

	/** Where file subscriptions come from, or null without a file. */
	String source() {
		return (this.file != null) ? this.file.toString() : null;
	}

	/** Reads the file again; with problems, no file subscription is in use. */
	void reload() {
		if (this.file == null) {
			this.loaded.set(new Loaded(Map.of(), List.of()));
			return;
		}
		Parser parser = new Parser(this.file.toString(), this.environment);
		ConfigText.Read read = ConfigText.file(this.file, "webhook file");
		Map<String, Subscription> subscriptions = read.ok() ? parser.parse(read.text()) : Map.of();
		if (!read.ok()) {
			parser.problem(0, read.problem());
		}
		if (parser.problems.isEmpty()) {
			this.loaded.set(new Loaded(subscriptions, List.of()));
			log.info("Loaded {} webhook subscription(s) from {}", subscriptions.size(), this.file);
		}
		else {
			this.loaded.set(new Loaded(Map.of(), parser.problems));
			parser.problems.forEach((problem) -> log.warn("Webhook file problem: {}", problem));
			log.warn("The webhook file {} has {} problem(s); none of its subscriptions is used until it is fixed",
					this.file, parser.problems.size());
		}
	}

	private record Loaded(Map<String, Subscription> subscriptions, List<String> problems) {

		Loaded {
			subscriptions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(subscriptions));
			problems = List.copyOf(problems);
		}

	}

	/**
	 * Reads the file's node tree, collecting every problem with its line, as the other
	 * configuration files' parsers do.
	 */
	private static final class Parser {

		private final String file;

		private final Environment environment;

		private final List<String> problems = new ArrayList<>();

		private final YamlReader yaml;

		Parser(String file, Environment environment) {
			this.file = file;
			this.environment = environment;
			this.yaml = new YamlReader(this::problem, Suggestions.FIRST_NEAR).namingTheMappingOfRepeatedKeys();
		}

		Map<String, Subscription> parse(String text) {
			Map<String, Subscription> subscriptions = new LinkedHashMap<>();
			Node root = this.yaml.compose(text, "the file is empty; it needs a list under 'webhooks:'");
			if (root == null) {
				return subscriptions;
			}
			Map<String, NodeTuple> fields = this.yaml.mapping(root, "the webhook file", FILE_KEYS, "");
			if (fields == null) {
				return subscriptions;
			}
			NodeTuple list = fields.get("webhooks");
			if (list == null || !(list.getValueNode() instanceof SequenceNode sequence)) {
				problem(line(root), "webhooks must be a list of subscriptions, each with a name (it may be [])");
				return subscriptions;
			}
			if (sequence.getValue().size() > MAX_SUBSCRIPTIONS) {
				problem(line(sequence), "the file declares " + sequence.getValue().size() + " subscriptions; at most "
						+ MAX_SUBSCRIPTIONS + " are allowed");
				return subscriptions;
			}
			int number = 0;
			for (Node node : sequence.getValue()) {
				number++;
				Subscription subscription = subscription(node, number);
				if (subscription != null && subscriptions.putIfAbsent(subscription.name(), subscription) != null) {
					problem(line(node),
							"webhook '" + subscription.name() + "' is declared twice; names must be unique");
				}
			}
			return subscriptions;
		}

		private Subscription subscription(Node node, int number) {
			String prefix = "webhook " + number + ": ";
			Map<String, NodeTuple> fields = this.yaml.mapping(node, "webhook " + number, KEYS, prefix);
			if (fields == null) {
				return null;
			}
			int line = line(node);
			int before = this.problems.size();
			String name = this.yaml.requiredText(fields, "name", line, prefix);
			String url = this.yaml.requiredText(fields, "url", line, prefix);
			String secretEnv = this.yaml.requiredText(fields, "secret-env", line, prefix);
			if (this.problems.size() > before) {
				return null;
			}
			try {
				name = SubscriptionRules.name(name);
				prefix = "webhook " + name + ": ";
				var events = SubscriptionRules.events(list(fields, "events", prefix));
				var matchers = SubscriptionRules
					.matchers(fields.containsKey("match") ? list(fields, "match", prefix) : null);
				var timeout = SubscriptionRules
					.timeout(fields.containsKey("timeout") ? text(fields.get("timeout").getValueNode()) : null);
				return new Subscription(name, SubscriptionRules.url(url), events, matchers, secret(secretEnv), timeout,
						Subscription.FILE);
			}
			catch (InvalidSubscription ex) {
				problem(line, prefix + ex.getMessage());
				return null;
			}
		}

		private List<String> list(Map<String, NodeTuple> fields, String key, String prefix) {
			NodeTuple tuple = fields.get(key);
			if (tuple == null || isNull(tuple.getValueNode())) {
				return null;
			}
			if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
				throw new InvalidSubscription(key + " must be a list");
			}
			List<String> texts = new ArrayList<>();
			for (Node item : sequence.getValue()) {
				String text = text(item);
				if (text == null) {
					throw new InvalidSubscription(key + " entries must be text");
				}
				texts.add(text);
			}
			return texts;
		}

		/**
		 * The secret from the named environment variable; never the value in a problem.
		 */
		private String secret(String variable) {
			if (!SubscriptionRules.SECRET_ENV.matcher(variable).matches()) {
				throw new InvalidSubscription("secret-env '" + variable
						+ "' must name an environment variable starting WARDEN_WEBHOOK_, like WARDEN_WEBHOOK_ROLLBACK_SECRET");
			}
			String secret = this.environment.getProperty(variable);
			if (secret == null || secret.isEmpty()) {
				throw new InvalidSubscription("secret-env: the environment variable " + variable + " is not set");
			}
			return SubscriptionRules.secret(secret, "the secret in " + variable);
		}

		void problem(int line, String reason) {
			this.problems.add(this.file + ((line > 0) ? ":" + line : "") + ": " + reason);
		}

	}

}
