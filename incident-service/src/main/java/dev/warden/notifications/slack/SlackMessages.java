package dev.warden.notifications.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;

/**
 * Renders incidents as Slack messages: a fallback text for notifications and a Block Kit
 * card with the incident's state, alerts, runbooks and buttons.
 * <p>
 * All text from incidents and alerts is escaped, so that it can neither mention anyone
 * nor form links, and cut to Slack's limits, so that Slack never rejects a card. Buttons
 * carry the incident's ID ({@value #ACKNOWLEDGE}, {@value #MITIGATE}, {@value #RESOLVE},
 * {@value #SILENCE}) or the runbook execution's ID ({@value #APPROVE}) as their value.
 * Each Approve button sits in an actions block of its own, because action IDs must be
 * unique within a block.
 */
public final class SlackMessages {

	/** Action ID of the Acknowledge button; its value is the incident's ID. */
	public static final String ACKNOWLEDGE = "warden_acknowledge";

	/**
	 * Action ID of the Mitigated button, for a person who stopped the impact by hand; its
	 * value is the incident's ID.
	 */
	public static final String MITIGATE = "warden_mitigate";

	/** Action ID of the Resolve button; its value is the incident's ID. */
	public static final String RESOLVE = "warden_resolve";

	/**
	 * Action ID of the Silence 2h button, on an unresolved incident with alerts: silences
	 * the incident's alert group for two hours (in Warden, and in Alertmanager when one
	 * is configured); its value is the incident's ID.
	 */
	public static final String SILENCE = "warden_silence_2h";

	/** Action ID of an Approve button; its value is the runbook execution's ID. */
	public static final String APPROVE = "warden_approve";

	/** Action ID of the link button to the console; needs no handling. */
	public static final String OPEN = "warden_open";

	static final int MAX_ALERTS = 10;

	static final int MAX_RUNBOOKS = 10;

	// Slack's limits, in characters.
	private static final int HEADER_LIMIT = 150;

	private static final int SECTION_LIMIT = 3000;

	private static final int FIELD_LIMIT = 2000;

	private static final int BUTTON_TEXT_LIMIT = 75;

	private static final int BUTTON_URL_LIMIT = 3000;

	private static final int CONFIRM_TITLE_LIMIT = 100;

	private static final int CONFIRM_TEXT_LIMIT = 300;

	private static final int NAME_LIMIT = 200;

	private static final int SUMMARY_LIMIT = 500;

	/** Within a section's 3,000 characters, with room for its heading. */
	private static final int DESCRIPTION_LIMIT = 2500;

	private static final int LINK_LIMIT = 1500;

	private static final int VALUES_LIMIT = 300;

	private static final int REPLY_LIMIT = 3000;

	private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");

	private static final Pattern WEB_URL = Pattern.compile("https?://\\S+", Pattern.CASE_INSENSITIVE);

	private SlackMessages() {
	}

	/**
	 * The message's text, shown in notifications and where blocks cannot be, such as
	 * {@code [CRITICAL] ai-inference-api: Database port down (#42, triggered)}.
	 */
	public static String text(IncidentCard card) {
		String service = (card.service() != null && !card.service().isBlank()) ? card.service() + ": " : "";
		return escape("[" + severity(card) + "] " + service + oneLine(card.title()), SECTION_LIMIT) + " (#" + card.id()
				+ ", " + card.status() + ")";
	}

	/**
	 * The incident's card: its title, severity, status, service, team and who
	 * acknowledged or resolved it; up to {@value #MAX_ALERTS} alerts (an alert from
	 * Grafana with its values and its rule, dashboard, panel, silence and image links)
	 * and {@value #MAX_RUNBOOKS} runbooks; the people mentioned; and buttons to
	 * acknowledge, mark mitigated, resolve, approve waiting runbooks and open the
	 * incident in Warden.
	 */
	public static List<LayoutBlock> blocks(IncidentCard card) {
		List<LayoutBlock> blocks = new ArrayList<>();
		blocks.add(HeaderBlock.builder().text(plainText(oneLine(card.title()), HEADER_LIMIT)).build());
		blocks.add(SectionBlock.builder().fields(fields(card)).build());
		if (present(card.description())) {
			blocks.add(section("*Description*\n" + escape(card.description().strip(), DESCRIPTION_LIMIT)));
		}
		if (!card.alerts().isEmpty()) {
			blocks.addAll(sections("*Alerts*", alertLines(card.alerts())));
		}
		if (!card.runbooks().isEmpty()) {
			blocks.addAll(sections("*Runbooks*", runbookLines(card.runbooks())));
		}
		String mentions = mentions(card.mentionSlackUserIds());
		if (!mentions.isEmpty()) {
			blocks.add(ContextBlock.builder()
				.elements(List.of(MarkdownTextObject.builder().text("Notifying " + mentions).build()))
				.build());
		}
		List<BlockElement> buttons = buttons(card);
		if (!buttons.isEmpty()) {
			blocks.add(ActionsBlock.builder().elements(buttons).build());
		}
		if (!resolved(card)) {
			card.runbooks()
				.stream()
				.limit(MAX_RUNBOOKS)
				.filter(CardRunbook::awaitingApproval)
				.map((runbook) -> ActionsBlock.builder().elements(List.of(approveButton(card, runbook))).build())
				.forEach(blocks::add);
		}
		return blocks;
	}

	/**
	 * The text of a reply in the incident's thread: the summary, then the mentions.
	 * @param summary what happened, such as {@code Acknowledged by Ada}
	 * @param mentionSlackUserIds Slack user IDs to mention; others are left out
	 */
	public static String reply(String summary, List<String> mentionSlackUserIds) {
		String text = (summary != null) ? escape(summary, REPLY_LIMIT) : "";
		String mentions = mentions((mentionSlackUserIds != null) ? mentionSlackUserIds : List.of());
		if (mentions.isEmpty()) {
			return text;
		}
		return text.isEmpty() ? mentions : text + " " + mentions;
	}

	private static List<TextObject> fields(IncidentCard card) {
		List<TextObject> fields = new ArrayList<>();
		fields.add(field("Severity", severity(card)));
		fields.add(field("Status", capitalized(card.status()) + (card.mitigated() ? ", mitigated" : "")));
		if (present(card.service())) {
			fields.add(field("Service", card.service()));
		}
		if (present(card.team())) {
			fields.add(field("Team", card.team()));
		}
		if (present(card.declaredBy())) {
			fields.add(field("Declared by", card.declaredBy()));
		}
		if (present(card.acknowledgedBy())) {
			fields.add(field("Acknowledged by", card.acknowledgedBy()));
		}
		if (present(card.resolvedBy())) {
			fields.add(field("Resolved by", card.resolvedBy()));
		}
		return fields;
	}

	private static TextObject field(String label, String value) {
		return MarkdownTextObject.builder()
			.text("*" + label + "*\n" + escape(oneLine(value), FIELD_LIMIT - label.length() - 3))
			.build();
	}

	private static List<String> alertLines(List<CardAlert> alerts) {
		List<String> lines = new ArrayList<>();
		for (CardAlert alert : alerts.subList(0, Math.min(alerts.size(), MAX_ALERTS))) {
			StringBuilder line = new StringBuilder();
			line.append("*").append(escape(oneLine(alert.status()).toUpperCase(Locale.ROOT), 20)).append("* ");
			line.append(escape(oneLine(alert.name()), NAME_LIMIT));
			if (present(alert.summary())) {
				line.append(" — ").append(escape(oneLine(alert.summary()), SUMMARY_LIMIT));
			}
			CardAlert.Grafana grafana = alert.grafana();
			if (grafana != null && present(grafana.values())) {
				line.append(" (").append(escape(oneLine(grafana.values()), VALUES_LIMIT)).append(")");
			}
			link(line, alert.generatorUrl(), (grafana != null) ? "Grafana rule" : "Prometheus");
			if (grafana != null) {
				link(line, grafana.dashboardUrl(), "Dashboard");
				link(line, grafana.panelUrl(), "Panel");
				link(line, grafana.silenceUrl(), "Silence");
				link(line, grafana.imageUrl(), "Image");
			}
			lines.add(line.toString());
		}
		if (alerts.size() > MAX_ALERTS) {
			lines.add("… and " + (alerts.size() - MAX_ALERTS) + " more");
		}
		return lines;
	}

	/**
	 * Appends a link to the alert's line when the URL is safe to link and the line stays
	 * within one section (Slack refuses longer ones).
	 */
	private static void link(StringBuilder line, String url, String label) {
		String target = linkTarget(url);
		if (target != null && line.length() + target.length() + label.length() + 4 <= SECTION_LIMIT) {
			line.append(" <").append(target).append('|').append(label).append('>');
		}
	}

	private static List<String> runbookLines(List<CardRunbook> runbooks) {
		List<String> lines = new ArrayList<>();
		for (CardRunbook runbook : runbooks.subList(0, Math.min(runbooks.size(), MAX_RUNBOOKS))) {
			String line = escape(oneLine(runbook.runbook()), NAME_LIMIT) + " — "
					+ escape(oneLine(runbook.state()), NAME_LIMIT);
			lines.add(runbook.awaitingApproval() ? line + " (*awaiting approval*)" : line);
		}
		if (runbooks.size() > MAX_RUNBOOKS) {
			lines.add("… and " + (runbooks.size() - MAX_RUNBOOKS) + " more");
		}
		return lines;
	}

	/** Sections with the title and the lines, as few as Slack's section limit allows. */
	private static List<LayoutBlock> sections(String title, List<String> lines) {
		List<LayoutBlock> sections = new ArrayList<>();
		StringBuilder text = new StringBuilder(title);
		for (String line : lines) {
			if (text.length() + 1 + line.length() > SECTION_LIMIT) {
				sections.add(section(text.toString()));
				text.setLength(0);
			}
			else {
				text.append('\n');
			}
			text.append(line);
		}
		sections.add(section(text.toString()));
		return sections;
	}

	private static SectionBlock section(String markdown) {
		return SectionBlock.builder().text(MarkdownTextObject.builder().text(markdown).build()).build();
	}

	private static List<BlockElement> buttons(IncidentCard card) {
		List<BlockElement> buttons = new ArrayList<>();
		String id = Long.toString(card.id());
		if (IncidentCard.TRIGGERED.equals(card.status())) {
			buttons.add(ButtonElement.builder()
				.actionId(ACKNOWLEDGE)
				.text(plainText("Acknowledge", BUTTON_TEXT_LIMIT))
				.value(id)
				.style("primary")
				.build());
		}
		if (!resolved(card) && !card.mitigated()) {
			buttons.add(ButtonElement.builder()
				.actionId(MITIGATE)
				.text(plainText("Mitigated", BUTTON_TEXT_LIMIT))
				.value(id)
				.confirm(confirmation("Mark mitigated?",
						"Mark #" + id + " " + card.title() + " as mitigated now (the impact has stopped)?",
						"Mitigated"))
				.build());
		}
		if (!resolved(card)) {
			buttons.add(ButtonElement.builder()
				.actionId(RESOLVE)
				.text(plainText("Resolve", BUTTON_TEXT_LIMIT))
				.value(id)
				.style("danger")
				.confirm(confirmation("Resolve incident?", "Resolve #" + id + " " + card.title() + "?", "Resolve"))
				.build());
		}
		if (!resolved(card) && !card.alerts().isEmpty()) {
			buttons.add(ButtonElement.builder()
				.actionId(SILENCE)
				.text(plainText("Silence 2h", BUTTON_TEXT_LIMIT))
				.value(id)
				.confirm(confirmation("Silence for 2 hours?",
						"Silence the alerts of #" + id + " " + card.title()
								+ " for 2 hours? Matching alerts notify no one meanwhile.",
						"Silence 2h"))
				.build());
		}
		if (card.consoleUrl() != null && WEB_URL.matcher(card.consoleUrl()).matches()
				&& card.consoleUrl().length() <= BUTTON_URL_LIMIT) {
			buttons.add(ButtonElement.builder()
				.actionId(OPEN)
				.text(plainText("Open in Warden", BUTTON_TEXT_LIMIT))
				.url(card.consoleUrl())
				.build());
		}
		return buttons;
	}

	private static ButtonElement approveButton(IncidentCard card, CardRunbook runbook) {
		return ButtonElement.builder()
			.actionId(APPROVE)
			.text(plainText("Approve " + oneLine(runbook.runbook()), BUTTON_TEXT_LIMIT))
			.value(Long.toString(runbook.executionId()))
			.style("primary")
			.confirm(confirmation("Approve runbook?",
					"Run " + runbook.runbook() + " for incident #" + card.id() + " " + card.title() + "?", "Approve"))
			.build();
	}

	private static ConfirmationDialogObject confirmation(String title, String text, String confirm) {
		return ConfirmationDialogObject.builder()
			.title(plainText(title, CONFIRM_TITLE_LIMIT))
			.text(plainText(oneLine(text), CONFIRM_TEXT_LIMIT))
			.confirm(plainText(confirm, BUTTON_TEXT_LIMIT))
			.deny(plainText("Cancel", BUTTON_TEXT_LIMIT))
			.build();
	}

	private static PlainTextObject plainText(String text, int limit) {
		return PlainTextObject.builder().text(escape(text, limit)).emoji(false).build();
	}

	private static String mentions(List<String> userIds) {
		return String.join(" ",
				userIds.stream()
					.filter((id) -> id != null && USER_ID.matcher(id).matches())
					.distinct()
					.map((id) -> "<@" + id + ">")
					.toList());
	}

	/**
	 * The URL, ready to put between {@code <} and {@code |}; null when unsafe to link.
	 */
	private static String linkTarget(String url) {
		if (url == null || !WEB_URL.matcher(url).matches()) {
			return null;
		}
		String escaped = escape(url).replace("|", "%7C");
		return (escaped.length() <= LINK_LIMIT) ? escaped : null;
	}

	private static boolean resolved(IncidentCard card) {
		return IncidentCard.RESOLVED.equals(card.status());
	}

	private static String severity(IncidentCard card) {
		return oneLine(card.severity()).toUpperCase(Locale.ROOT);
	}

	private static String capitalized(String word) {
		return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
	}

	private static boolean present(String text) {
		return text != null && !text.isBlank();
	}

	private static String oneLine(String text) {
		return text.strip().replaceAll("\\s+", " ");
	}

	/**
	 * Escapes the characters Slack treats as markup: {@code &}, {@code <} and {@code >}.
	 */
	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	/**
	 * Escapes the text and cuts it to at most {@code limit} characters, ending with an
	 * ellipsis when cut; never inside an escape or a character.
	 */
	static String escape(String text, int limit) {
		String escaped = escape(text);
		if (escaped.length() <= limit) {
			return escaped;
		}
		StringBuilder cut = new StringBuilder();
		int[] codePoints = text.codePoints().toArray();
		for (int codePoint : codePoints) {
			String piece = escape(Character.toString(codePoint));
			if (cut.length() + piece.length() > limit - 1) {
				break;
			}
			cut.append(piece);
		}
		return cut.append('…').toString();
	}

}
