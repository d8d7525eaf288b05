package dev.warden.notifications.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.util.json.GsonFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an incident looks in Slack: its text, its card and the buttons it offers.
 */
class SlackMessagesTests {

	private static final String CONSOLE = "https://warden.example.com/incidents/42";

	@Test
	void fallbackTextNamesSeverityServiceTitleNumberAndStatus() {
		assertThat(SlackMessages.text(card("triggered")))
			.isEqualTo("[CRITICAL] ai-inference-api: Database port down (#42, triggered)");
	}

	@Test
	void fallbackTextWithoutServiceLeavesItOut() {
		IncidentCard card = new IncidentCard(42, "Database port down", "acknowledged", "warning", null, null, null,
				List.of(), List.of(), List.of(), null, null, false, null, null);

		assertThat(SlackMessages.text(card)).isEqualTo("[WARNING] Database port down (#42, acknowledged)");
	}

	@Test
	void triggeredIncidentOffersAcknowledgeMitigatedResolveAndTheConsole() {
		List<ButtonElement> buttons = buttons(SlackMessages.blocks(card("triggered")));

		assertThat(buttons).extracting(ButtonElement::getActionId)
			.containsExactly("warden_acknowledge", "warden_mitigate", "warden_resolve", "warden_open");
		assertThat(buttons.get(0).getValue()).isEqualTo("42");
		assertThat(buttons.get(0).getText().getText()).isEqualTo("Acknowledge");
		assertThat(buttons.get(1).getValue()).isEqualTo("42");
		assertThat(buttons.get(1).getText().getText()).isEqualTo("Mitigated");
		assertThat(buttons.get(1).getConfirm().getText().getText()).contains("#42", "mitigated");
		assertThat(buttons.get(2).getValue()).isEqualTo("42");
		assertThat(buttons.get(2).getText().getText()).isEqualTo("Resolve");
		assertThat(buttons.get(2).getStyle()).isIn("danger", "primary");
		assertThat(buttons.get(3).getText().getText()).isEqualTo("Open in Warden");
		assertThat(buttons.get(3).getUrl()).isEqualTo(CONSOLE);
	}

	@Test
	void acknowledgedIncidentCanBeMitigatedOrResolved() {
		assertThat(buttons(SlackMessages.blocks(card("acknowledged")))).extracting(ButtonElement::getActionId)
			.containsExactly("warden_mitigate", "warden_resolve", "warden_open");
	}

	@Test
	void declaredIncidentShowsWhoDeclaredItAndTheDescriptionEscaped() {
		IncidentCard card = new IncidentCard(42, "Wrong answers", "triggered", "high", null, null, CONSOLE, List.of(),
				List.of(), List.of(), null, null, false, "ada",
				"Users report <!channel> & wrong citations\nsince 09:40");

		List<LayoutBlock> blocks = SlackMessages.blocks(card);

		assertThat(fields(blocks)).contains("*Declared by*\nada");
		assertThat(blocks).filteredOn(SectionBlock.class::isInstance)
			.map((block) -> ((SectionBlock) block).getText())
			.filteredOn((text) -> text != null)
			.map(SlackMessagesTests::text)
			.containsExactly("*Description*\nUsers report &lt;!channel&gt; &amp; wrong citations\nsince 09:40");
	}

	@Test
	void longDescriptionIsCutWithinSlacksSectionLimit() {
		IncidentCard card = new IncidentCard(42, "Wrong answers", "triggered", "high", null, null, CONSOLE, List.of(),
				List.of(), List.of(), null, null, false, "ada", "<".repeat(5000));

		String description = SlackMessages.blocks(card)
			.stream()
			.filter(SectionBlock.class::isInstance)
			.map((block) -> ((SectionBlock) block).getText())
			.filter((text) -> text != null)
			.map(SlackMessagesTests::text)
			.findFirst()
			.orElseThrow();
		assertThat(description).startsWith("*Description*\n&lt;").endsWith("…").doesNotContain("<");
		assertThat(description.length()).isLessThanOrEqualTo(3000);
	}

	@Test
	void mitigatedIncidentSaysSoAndNoLongerOffersMitigated() {
		IncidentCard card = new IncidentCard(42, "Database port down", "acknowledged", "critical", null, null, CONSOLE,
				List.of(), List.of(), List.of(), "Ada", null, true, null, null);

		List<LayoutBlock> blocks = SlackMessages.blocks(card);

		assertThat(buttons(blocks)).extracting(ButtonElement::getActionId)
			.containsExactly("warden_resolve", "warden_open");
		assertThat(fields(blocks)).contains("*Status*\nAcknowledged, mitigated");
	}

	@Test
	void incidentWithAlertsOffersSilence2hUntilItIsResolved() {
		IncidentCard card = withAlerts(new CardAlert("PostgresDown", "firing", "Port 5432 refuses connections", null));

		List<ButtonElement> buttons = buttons(SlackMessages.blocks(card));

		assertThat(buttons).extracting(ButtonElement::getActionId)
			.containsExactly("warden_acknowledge", "warden_mitigate", "warden_resolve", "warden_silence_2h",
					"warden_open");
		ButtonElement silence = buttons.get(3);
		assertThat(silence.getValue()).isEqualTo("42");
		assertThat(silence.getText().getText()).isEqualTo("Silence 2h");
		assertThat(silence.getConfirm().getText().getText()).contains("#42", "2 hours");
		IncidentCard resolved = new IncidentCard(42, "Database port down", "resolved", "critical", null, null, CONSOLE,
				card.alerts(), List.of(), List.of(), null, null, false, null, null);
		assertThat(buttons(SlackMessages.blocks(resolved))).extracting(ButtonElement::getActionId)
			.containsExactly("warden_open");
	}

	@Test
	void resolvedIncidentOffersOnlyTheConsole() {
		IncidentCard card = withRunbooks("resolved", new CardRunbook(7, "restart-db", "pending", true));

		assertThat(buttons(SlackMessages.blocks(card))).extracting(ButtonElement::getActionId)
			.containsExactly("warden_open");
	}

	@Test
	void withoutConsoleUrlThereIsNoLink() {
		IncidentCard card = new IncidentCard(42, "Database port down", "resolved", "critical", null, null, null,
				List.of(), List.of(), List.of(), null, null, false, null, null);

		assertThat(SlackMessages.blocks(card)).noneMatch(ActionsBlock.class::isInstance);
	}

	@Test
	void consoleUrlThatIsNoWebAddressIsNotLinked() {
		IncidentCard card = new IncidentCard(42, "Database port down", "triggered", "critical", null, null,
				"javascript:alert(1)", List.of(), List.of(), List.of(), null, null, false, null, null);

		assertThat(buttons(SlackMessages.blocks(card))).extracting(ButtonElement::getActionId)
			.containsExactly("warden_acknowledge", "warden_mitigate", "warden_resolve");
	}

	@Test
	void eachRunbookAwaitingApprovalGetsItsApproveButton() {
		IncidentCard card = withRunbooks("acknowledged", new CardRunbook(7, "restart-db", "awaiting approval", true),
				new CardRunbook(8, "collect-logs", "running", false),
				new CardRunbook(9, "flush-cache", "awaiting approval", true));

		List<LayoutBlock> blocks = SlackMessages.blocks(card);

		List<ButtonElement> approvals = buttons(blocks).stream()
			.filter((button) -> button.getActionId().equals("warden_approve"))
			.toList();
		assertThat(approvals).extracting(ButtonElement::getValue).containsExactly("7", "9");
		assertThat(approvals).extracting((button) -> button.getText().getText())
			.containsExactly("Approve restart-db", "Approve flush-cache");
		assertThat(approvals).allSatisfy((button) -> assertThat(button.getConfirm()).isNotNull());
		// Slack rejects a block whose elements share an action ID.
		assertThat(blocks).filteredOn(ActionsBlock.class::isInstance)
			.map(ActionsBlock.class::cast)
			.allSatisfy((block) -> assertThat(actionIds(block)).doesNotHaveDuplicates());
		assertThat(sectionTexts(blocks)).anySatisfy((text) -> assertThat(text).contains("*Runbooks*",
				"restart-db — awaiting approval (*awaiting approval*)", "collect-logs — running"));
	}

	@Test
	void fieldsSaySeverityAndStatusInWords() {
		IncidentCard card = new IncidentCard(42, "Database port down", "resolved", "critical", "ai-inference-api",
				"ai-platform", CONSOLE, List.of(), List.of(), List.of(), "Ada", "Grace", false, null, null);

		List<String> fields = fields(SlackMessages.blocks(card));

		assertThat(fields).containsExactly("*Severity*\nCRITICAL", "*Status*\nResolved", "*Service*\nai-inference-api",
				"*Team*\nai-platform", "*Acknowledged by*\nAda", "*Resolved by*\nGrace");
	}

	@Test
	void headerIsTheTitle() {
		assertThat(SlackMessages.blocks(card("triggered")).getFirst()).isInstanceOfSatisfying(HeaderBlock.class,
				(header) -> assertThat(header.getText().getText()).isEqualTo("Database port down"));
	}

	@Test
	void alertsShowStatusNameSummaryAndLinkToPrometheus() {
		IncidentCard card = withAlerts(
				new CardAlert("PostgresDown", "firing", "Port 5432 refuses connections",
						"http://prometheus:9090/graph?g0.expr=up%3D%3D0&g0.tab=1"),
				new CardAlert("HighLatency", "resolved", null, null));

		String alerts = alertsSection(SlackMessages.blocks(card));

		assertThat(alerts).isEqualTo("*Alerts*\n"
				+ "*FIRING* PostgresDown — Port 5432 refuses connections <http://prometheus:9090/graph?g0.expr=up%3D%3D0&amp;g0.tab=1|Prometheus>\n"
				+ "*RESOLVED* HighLatency");
	}

	@Test
	void showsTenAlertsAndCountsTheRest() {
		CardAlert[] alerts = IntStream.rangeClosed(1, 13)
			.mapToObj((n) -> new CardAlert("Alert" + n, "firing", null, null))
			.toArray(CardAlert[]::new);

		String section = alertsSection(SlackMessages.blocks(withAlerts(alerts)));

		assertThat(section).contains("Alert1\n", "Alert10\n", "… and 3 more").doesNotContain("Alert11");
	}

	@Test
	void alertLinkThatIsNoWebAddressIsLeftOut() {
		String section = alertsSection(
				SlackMessages.blocks(withAlerts(new CardAlert("Up", "firing", "down", "javascript:alert(1)"))));

		assertThat(section).isEqualTo("*Alerts*\n*FIRING* Up — down");
	}

	@Test
	void alertFromGrafanaShowsItsValuesAndLinksToItsRuleDashboardPanelSilenceAndImage() {
		IncidentCard card = withAlerts(new CardAlert("GpuMemoryHigh", "firing", "GPU 0 memory above 95%",
				"http://grafana:3000/alerting/grafana/be2kx9a1/view",
				new CardAlert.Grafana("B=97.3, C=1", "http://grafana:3000/d/gpu?orgId=1",
						"http://grafana:3000/d/gpu?orgId=1&viewPanel=4",
						"http://grafana:3000/alerting/silence/new?matcher=gpu%3D0", "https://images.example/p.png")));

		String alerts = alertsSection(SlackMessages.blocks(card));

		assertThat(alerts).isEqualTo("*Alerts*\n" + "*FIRING* GpuMemoryHigh — GPU 0 memory above 95% (B=97.3, C=1)"
				+ " <http://grafana:3000/alerting/grafana/be2kx9a1/view|Grafana rule>"
				+ " <http://grafana:3000/d/gpu?orgId=1|Dashboard>"
				+ " <http://grafana:3000/d/gpu?orgId=1&amp;viewPanel=4|Panel>"
				+ " <http://grafana:3000/alerting/silence/new?matcher=gpu%3D0|Silence>"
				+ " <https://images.example/p.png|Image>");
	}

	@Test
	void grafanaLinksThatAreNoWebAddressesAreLeftOutAndItsValuesEscaped() {
		IncidentCard card = withAlerts(new CardAlert("Up", "firing", null, "",
				new CardAlert.Grafana("<!channel> B=1 & <https://evil.example|x>", "javascript:alert(1)",
						"data:text/html,<b>x</b>", "file:///etc/passwd", null)));

		String alerts = alertsSection(SlackMessages.blocks(card));

		assertThat(alerts)
			.isEqualTo("*Alerts*\n*FIRING* Up (&lt;!channel&gt; B=1 &amp; &lt;https://evil.example|x&gt;)");
	}

	@Test
	void grafanaLinksThatWouldTakeTheLineOverASectionAreLeftOut() {
		String longUrl = "https://grafana.example/d/" + "x".repeat(975);
		IncidentCard card = withAlerts(new CardAlert("Up", "firing", "s".repeat(600), longUrl,
				new CardAlert.Grafana("v".repeat(1000), longUrl + "1", longUrl + "2", longUrl + "3", longUrl + "4")));

		List<String> sections = sectionTexts(SlackMessages.blocks(card));

		assertThat(sections).allSatisfy((text) -> assertThat(text).hasSizeLessThanOrEqualTo(3000));
		assertThat(alertsSection(SlackMessages.blocks(card))).contains("|Grafana rule>", "|Dashboard>")
			.doesNotContain("|Panel>", "|Silence>", "|Image>")
			.contains("v".repeat(299) + "…");
	}

	@Test
	void escapesTextFromIncidentsAndAlerts() {
		IncidentCard card = new IncidentCard(42, "<!channel> Tom & Jerry", "triggered", "critical", "a<b>", null,
				CONSOLE, List.of(new CardAlert("Up", "firing", "<@U0EVIL> said <https://evil.example|click>", null)),
				List.of(), List.of(), "<!here>", null, false, null, null);

		List<LayoutBlock> blocks = SlackMessages.blocks(card);
		String json = GsonFactory.createSnakeCase().toJson(blocks);

		assertThat(SlackMessages.text(card))
			.isEqualTo("[CRITICAL] a&lt;b&gt;: &lt;!channel&gt; Tom &amp; Jerry (#42, triggered)");
		assertThat(((HeaderBlock) blocks.getFirst()).getText().getText()).isEqualTo("&lt;!channel&gt; Tom &amp; Jerry");
		assertThat(alertsSection(blocks)).contains("&lt;@U0EVIL&gt; said &lt;https://evil.example|click&gt;");
		assertThat(fields(blocks)).contains("*Acknowledged by*\n&lt;!here&gt;");
		assertThat(json).doesNotContain("<!channel>", "<!here>", "<@U0EVIL>", "<https://evil");
	}

	@Test
	void cutsLongTitlesToTheHeaderLimitWithoutBreakingAnEscape() {
		String title = "&".repeat(200);
		IncidentCard card = new IncidentCard(42, title, "triggered", "critical", null, null, null, List.of(), List.of(),
				List.of(), null, null, false, null, null);

		String header = ((HeaderBlock) SlackMessages.blocks(card).getFirst()).getText().getText();

		assertThat(header).hasSizeLessThanOrEqualTo(150).endsWith("&amp;…");
		assertThat(header.replace("&amp;", "")).isEqualTo("…");
	}

	@Test
	void mentionsThePeopleToNotify() {
		IncidentCard card = new IncidentCard(42, "Database port down", "triggered", "critical", null, null, null,
				List.of(), List.of(), List.of("U012ABCDEF", "W0ENTERPRISE", "<!channel>", "U012ABCDEF"), null, null,
				false, null, null);

		List<LayoutBlock> blocks = SlackMessages.blocks(card);

		assertThat(blocks).filteredOn(ContextBlock.class::isInstance)
			.singleElement()
			.satisfies((block) -> assertThat(
					((MarkdownTextObject) ((ContextBlock) block).getElements().getFirst()).getText())
				.isEqualTo("Notifying <@U012ABCDEF> <@W0ENTERPRISE>"));
	}

	@Test
	void noMentionsNoContext() {
		assertThat(SlackMessages.blocks(card("triggered"))).noneMatch(ContextBlock.class::isInstance);
	}

	@Test
	void replyIsTheSummaryThenTheMentions() {
		assertThat(SlackMessages.reply("Acknowledged by Ada & Grace", List.of("U012ABCDEF", "U0SECOND")))
			.isEqualTo("Acknowledged by Ada &amp; Grace <@U012ABCDEF> <@U0SECOND>");
		assertThat(SlackMessages.reply("Resolved <automatically>", List.of()))
			.isEqualTo("Resolved &lt;automatically&gt;");
	}

	private static IncidentCard card(String status) {
		return new IncidentCard(42, "Database port down", status, "critical", "ai-inference-api", "ai-platform",
				CONSOLE, List.of(), List.of(), List.of(), null, null, false, null, null);
	}

	private static IncidentCard withRunbooks(String status, CardRunbook... runbooks) {
		return new IncidentCard(42, "Database port down", status, "critical", "ai-inference-api", "ai-platform",
				CONSOLE, List.of(), List.of(runbooks), List.of(), null, null, false, null, null);
	}

	private static IncidentCard withAlerts(CardAlert... alerts) {
		return new IncidentCard(42, "Database port down", "triggered", "critical", "ai-inference-api", "ai-platform",
				CONSOLE, List.of(alerts), List.of(), List.of(), null, null, false, null, null);
	}

	private static List<ButtonElement> buttons(List<LayoutBlock> blocks) {
		return blocks.stream()
			.filter(ActionsBlock.class::isInstance)
			.flatMap((block) -> ((ActionsBlock) block).getElements().stream())
			.map(ButtonElement.class::cast)
			.toList();
	}

	private static List<String> actionIds(ActionsBlock block) {
		return block.getElements().stream().map((element) -> ((ButtonElement) element).getActionId()).toList();
	}

	private static List<String> fields(List<LayoutBlock> blocks) {
		return blocks.stream()
			.filter(SectionBlock.class::isInstance)
			.map(SectionBlock.class::cast)
			.filter((section) -> section.getFields() != null)
			.flatMap((section) -> section.getFields().stream())
			.map(SlackMessagesTests::text)
			.toList();
	}

	private static List<String> sectionTexts(List<LayoutBlock> blocks) {
		List<String> texts = new ArrayList<>();
		for (LayoutBlock block : blocks) {
			if (block instanceof SectionBlock section && section.getText() != null) {
				texts.add(text(section.getText()));
			}
		}
		return texts;
	}

	private static String alertsSection(List<LayoutBlock> blocks) {
		return sectionTexts(blocks).stream().filter((text) -> text.startsWith("*Alerts*")).findFirst().orElseThrow();
	}

	private static String text(TextObject text) {
		return ((MarkdownTextObject) text).getText();
	}

}
