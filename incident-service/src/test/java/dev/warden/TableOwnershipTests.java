package dev.warden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every table belongs to one module, and only that module's statements name it; another
 * module reads what the owner publishes (its API, or a view such as {@code report_*},
 * {@code incident_news} or {@code job_schedule}), so an owner may change its tables as
 * long as its views keep their columns and meaning. A new table must be given an owner
 * here, and a new view a publisher, or this fails.
 */
class TableOwnershipTests {

	/** Each table Warden's migrations create, by the module that owns it. */
	static final Map<String, String> TABLES = Map.ofEntries(Map.entry("incident", "incidents"),
			Map.entry("alert", "incidents"), Map.entry("timeline_event", "incidents"),
			Map.entry("incident_follower", "incidents"), Map.entry("api_token", "access"),
			Map.entry("audit_event", "access"), Map.entry("console_user", "access"),
			Map.entry("console_login_bucket", "access"), Map.entry("console_login_throttle", "access"),
			Map.entry("spring_session", "access"), Map.entry("spring_session_attributes", "access"),
			Map.entry("config_version", "cluster"), Map.entry("warden_instance", "cluster"),
			Map.entry("container_image_history", "runbooks"), Map.entry("runbook_audit", "runbooks"),
			Map.entry("runbook_execution", "runbooks"), Map.entry("runbook_step", "runbooks"),
			Map.entry("runbook_switch", "runbooks"), Map.entry("runbook_target", "runbooks"),
			Map.entry("escalation_state", "escalation"), Map.entry("notification", "notifications"),
			Map.entry("notification_plan", "notifications"), Map.entry("slack_interaction", "notifications"),
			Map.entry("slack_pace_bucket", "notifications"), Map.entry("slack_reply_hold", "notifications"),
			Map.entry("slack_thread", "notifications"), Map.entry("oncall_override", "escalation"),
			Map.entry("heartbeat", "heartbeats"), Map.entry("postmortem_revision", "reports"),
			Map.entry("silence", "routing"), Map.entry("scheduled_tasks", "jobs"),
			Map.entry("webhook_subscription", "webhooks"), Map.entry("webhook_delivery", "webhooks"),
			Map.entry("webhook_attempt", "webhooks"));

	/** Each view the migrations create, by the module that publishes it for others. */
	static final Map<String, String> VIEWS = Map.of("report_incident", "incidents", "report_alert", "incidents",
			"incident_news", "incidents", "report_runbook_run", "runbooks", "job_schedule", "jobs");

	private static final Path MIGRATIONS = Path.of("..", "db", "migration");

	private static final Path SOURCES = Path.of("src", "main", "java", "dev", "warden");

	private static final Pattern CREATED = Pattern.compile(
			"\\bcreate\\s+(?:unlogged\\s+)?(table|view)\\s+(?:if\\s+not\\s+exists\\s+)?(\\w+)",
			Pattern.CASE_INSENSITIVE);

	/**
	 * Java's text blocks, string literals, character literals and comments, read in one
	 * pass from left to right: a comment opener inside a string (a path pattern such as
	 * {@code "/api/**"}, a URL) is no comment, and a quote inside a comment no string.
	 * Groups 1 and 2 hold a text block's and a string's content.
	 */
	private static final Pattern TOKENS = Pattern.compile(
			"\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"|'(?:[^'\\\\\\n]|\\\\.)*'|/\\*.*?\\*/|//[^\\n]*",
			Pattern.DOTALL);

	/** A literal that is (part of) a statement, not prose such as a log message. */
	private static final Pattern STATEMENT = Pattern.compile("\\b(?:select|insert|update|delete)\\b",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern NAMED = Pattern.compile("\\b(?:from|join|into|update)\\s+(\\w+)",
			Pattern.CASE_INSENSITIVE);

	@Test
	void everyTableHasAnOwnerAndEveryViewAPublisher() throws IOException {
		Set<String> tables = new TreeSet<>();
		Set<String> views = new TreeSet<>();
		try (Stream<Path> migrations = Files.list(MIGRATIONS)) {
			for (Path migration : migrations.filter((path) -> path.toString().endsWith(".sql")).toList()) {
				Matcher matcher = CREATED.matcher(Files.readString(migration));
				while (matcher.find()) {
					(matcher.group(1).equalsIgnoreCase("table") ? tables : views)
						.add(matcher.group(2).toLowerCase(java.util.Locale.ROOT));
				}
			}
		}
		assertThat(tables).as("tables the migrations create").isEqualTo(new TreeSet<>(TABLES.keySet()));
		assertThat(views).as("views the migrations create").isEqualTo(new TreeSet<>(VIEWS.keySet()));
	}

	@Test
	void noModuleNamesATableOfAnother() throws IOException {
		List<String> found = new ArrayList<>();
		try (Stream<Path> sources = Files.walk(SOURCES)) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				Path relative = SOURCES.relativize(source);
				String module = (relative.getNameCount() > 1) ? relative.getName(0).toString() : "";
				foreignTables(module, Files.readString(source))
					.forEach((table) -> found.add(relative + " names " + table + ", owned by " + TABLES.get(table)));
			}
		}
		assertThat(found).as("statements that name another module's table").isEmpty();
	}

	@Test
	void theCheckFindsAnotherModulesTableNamedInAStatement() {
		assertThat(foreignTables("notifications", """
				long latest = jdbc.sql(\"""
						select coalesce(max(id), 0) from timeline_event
						where incident_id = ? and news\""").query(Long.class).single();"""))
			.containsExactly("timeline_event");
		assertThat(foreignTables("runbooks", "jdbc.sql(\"select version from scheduled_tasks where picked\")"))
			.containsExactly("scheduled_tasks");
		assertThat(foreignTables("notifications", "jdbc.sql(\"update slack_thread set ts = ? from incident_news e\")"))
			.as("its own table and a published view")
			.isEmpty();
		assertThat(foreignTables("runbooks", "throw new IllegalStateException(\" takes from alert labels only\");"))
			.as("prose, not a statement")
			.isEmpty();
		assertThat(foreignTables("reports", "// select * from incident\n/* join alert a */ int x = 1;")).as("comments")
			.isEmpty();
		assertThat(foreignTables("notifications",
				"http.securityMatcher(\"/api/**\", \"http://x\"); jdbc.sql(\"select * from alert\"); /* \" */"))
			.as("a statement after strings that look like comments")
			.containsExactly("alert");
	}

	/** The tables of other modules that the module's statements in this source name. */
	static Set<String> foreignTables(String module, String source) {
		Set<String> foreign = new TreeSet<>();
		Matcher tokens = TOKENS.matcher(source);
		while (tokens.find()) {
			String literal = (tokens.group(1) != null) ? tokens.group(1) : tokens.group(2);
			if (literal == null || !STATEMENT.matcher(literal).find()) {
				continue;
			}
			Matcher named = NAMED.matcher(literal);
			while (named.find()) {
				String name = named.group(1).toLowerCase(java.util.Locale.ROOT);
				String owner = TABLES.get(name);
				if (owner != null && !owner.equals(module)) {
					foreign.add(name);
				}
			}
		}
		return foreign;
	}

	@Test
	void everyOwnerIsAModule() throws IOException {
		try (Stream<Path> packages = Files.list(SOURCES)) {
			Set<String> modules = packages.filter(Files::isDirectory)
				.map((path) -> path.getFileName().toString())
				.collect(Collectors.toSet());
			assertThat(modules).containsAll(TABLES.values()).containsAll(VIEWS.values());
		}
	}

}
