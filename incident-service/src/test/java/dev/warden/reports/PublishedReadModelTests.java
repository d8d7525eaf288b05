package dev.warden.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports reads what incidents and runbooks publish for it (the {@code report_*} views of
 * migration V30), never their tables: a statement in reports' code that names one of
 * their tables fails the build, so a change of those tables breaks only their owners'
 * views, which the migrations keep.
 */
class PublishedReadModelTests {

	/** The tables of incidents and runbooks (see their migrations). */
	private static final Pattern OTHERS_TABLES = Pattern.compile(
			"\\b(?:from|join)\\s+(incident|alert|timeline_event|incident_follower|runbook_execution|runbook_step|runbook_target|runbook_switch|runbook_audit|container_image_history)\\b",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\n]*", Pattern.DOTALL);

	@Test
	void reportsNamesNoTableOfAnotherModule() throws IOException {
		List<String> found = new ArrayList<>();
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java/dev/warden/reports"))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				Matcher matcher = OTHERS_TABLES.matcher(withoutComments(Files.readString(source)));
				while (matcher.find()) {
					found.add(source.getFileName() + ": " + matcher.group());
				}
			}
		}
		assertThat(found).as("statements in reports that read another module's tables").isEmpty();
	}

	/**
	 * The code without its comments, whose prose ("names come from alert labels") is no
	 * SQL.
	 */
	private static String withoutComments(String source) {
		return COMMENTS.matcher(source).replaceAll(" ");
	}

	@Test
	void theCheckFindsATableNamedInAStatement() {
		assertThat(OTHERS_TABLES.matcher("select count(*)\n    from incident i where").find()).isTrue();
		assertThat(OTHERS_TABLES.matcher("join runbook_execution r on").find()).isTrue();
		assertThat(OTHERS_TABLES.matcher("from report_incident i").find()).isFalse();
		assertThat(OTHERS_TABLES.matcher(withoutComments("/** names come from alert labels */ x")).find()).isFalse();
	}

}
