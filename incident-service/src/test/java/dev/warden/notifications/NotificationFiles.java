package dev.warden.notifications;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The routing and on-call files of the notification tests: every incident goes to
 * {@code #it-oncall} and {@code oncall@example.com}; alerts labelled
 * {@code escalate="yes"} also run the policy {@code it-policy} (alice at once, then
 * whoever is on call for {@code it-primary} and {@code #it-leads} 10 minutes later, the
 * whole policy twice, and their incidents belong to {@code it-team}); alerts labelled
 * {@code quiet="yes"} fall in an always-on mute window.
 */
final class NotificationFiles {

	static final String ROUTING = """
			route:
			  name: root
			  notify:
			    slack: ["#it-oncall"]
			    email: [oncall@example.com]
			  routes:
			    - name: escalating
			      match: ['escalate="yes"']
			      team: it-team
			      escalation-policy: it-policy
			    - name: quiet
			      match: ['quiet="yes"']
			      mute:
			        - timezone: UTC
			""";

	static final String ONCALL = """
			users:
			  - {name: alice, full-name: Alice Archer, email: alice@example.com, slack-user-id: U0ALICE,
			     time-zone: Europe/Berlin}
			  - {name: bob, full-name: Bob Baker, email: bob@example.com, slack-user-id: U0BOB, time-zone: UTC}
			schedules:
			  - name: it-primary
			    time-zone: UTC
			    rotations:
			      - {users: [bob, alice], shift: 1w, handoff: 2026-11-16T09:00}
			escalation-policies:
			  - name: it-policy
			    repeat: 1
			    levels:
			      - delay: 0m
			        notify:
			          users: [alice]
			      - delay: 10m
			        notify:
			          schedules: [it-primary]
			          slack: ["#it-leads"]
			""";

	private NotificationFiles() {
	}

	/**
	 * Points a booted Warden at these files and at the Slack stand-in, as every
	 * notification test's {@code @DynamicPropertySource} does.
	 */
	static void register(DynamicPropertyRegistry registry, SlackApi slack) {
		registry.add("warden.slack.methods-url", slack::url);
		registry.add("warden.routing.file", () -> routing().toString());
		registry.add("warden.oncall.file", () -> onCall().toString());
	}

	static Path routing() {
		return write("routing-", ROUTING);
	}

	static Path onCall() {
		return write("oncall-", ONCALL);
	}

	/** A temporary file with this content, deleted when the JVM exits. */
	static Path write(String prefix, String content) {
		try {
			Path file = Files.createTempFile(prefix, ".yaml");
			Files.writeString(file, content);
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
