package dev.warden.notifications.email;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ITemplateResolver;
import org.thymeleaf.templateresolver.AbstractConfigurableTemplateResolver;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The composer as Warden runs it: Spring Boot's Thymeleaf auto-configuration supplies the
 * HTML engine, the composer its own TEXT engine.
 */
class EmailComposerTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private static final Instant DETECTED = Instant.parse("2026-06-10T12:00:00Z");

	private static final List<String> TO = List.of("oncall@example.com");

	private static final String GRAFANA = "http://grafana.example.internal:3000";

	private static final String PROMETHEUS = "http://prometheus:9090/graph?g0.expr=gpu_memory_used%20%3E%200.95&g0.tab=1";

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ThymeleafAutoConfiguration.class))
		.withUserConfiguration(EmailConfiguration.class);

	@Test
	void openedSubjectNamesSeverityServiceTitleAndNumber() {
		assertThat(compose(EmailKind.OPENED, opened()).subject())
			.isEqualTo("[CRITICAL] ai-inference-api: GPU memory exhausted (#42)");
	}

	@Test
	void escalatedAndResolvedSubjectsSayWhatHappened() {
		assertThat(compose(EmailKind.ESCALATED, opened()).subject())
			.isEqualTo("Escalated: [CRITICAL] ai-inference-api: GPU memory exhausted (#42)");
		assertThat(compose(EmailKind.RESOLVED, resolved()).subject())
			.isEqualTo("Resolved: [CRITICAL] ai-inference-api: GPU memory exhausted (#42)");
	}

	@Test
	void subjectWithoutServiceLeavesItOut() {
		IncidentMail noService = new IncidentMail(7, "Disk filling up", "warning", null, null, "TRIGGERED", null,
				List.of(), List.of(), DETECTED, null, null, null, null, null);

		assertThat(compose(EmailKind.OPENED, noService).subject()).isEqualTo("[WARNING] Disk filling up (#7)");
	}

	@Test
	void subjectStaysOneLineWhateverTheTitle() {
		IncidentMail injected = new IncidentMail(42, "Disk full\r\nBcc: everyone@example.com\n", "critical\n", "db",
				null, "TRIGGERED", null, List.of(), List.of(), DETECTED, null, null, null, null, null);

		assertThat(compose(EmailKind.OPENED, injected).subject())
			.isEqualTo("[CRITICAL] db: Disk full Bcc: everyone@example.com (#42)");
	}

	@Test
	void openedEmailStartsTheThread() {
		Email opened = compose(EmailKind.OPENED, opened());

		assertThat(opened.messageId()).isEqualTo("<incident-42@warden.local>");
		assertThat(opened.inReplyTo()).isNull();
		assertThat(opened.references()).isEmpty();
		assertThat(opened.to()).isEqualTo(TO);
	}

	@Test
	void laterEmailsAnswerTheThreadsFirst() {
		Email escalated = compose(EmailKind.ESCALATED, opened(), 1234, null);
		Email resolved = compose(EmailKind.RESOLVED, resolved(), 1300, null);

		assertThat(escalated.messageId()).isEqualTo("<incident-42.1234@warden.local>");
		assertThat(escalated.inReplyTo()).isEqualTo("<incident-42@warden.local>");
		assertThat(escalated.references()).containsExactly("<incident-42@warden.local>");
		assertThat(resolved.messageId()).isEqualTo("<incident-42.1300@warden.local>");
		assertThat(resolved.inReplyTo()).isEqualTo("<incident-42@warden.local>");
		assertThat(resolved.references()).containsExactly("<incident-42@warden.local>");
	}

	@Test
	void messageIdsUseTheConfiguredDomain() {
		AtomicReference<Email> email = new AtomicReference<>();
		this.contexts.withPropertyValues("warden.email.message-id-domain=warden.example.com")
			.run((context) -> email
				.set(context.getBean(EmailComposer.class).compose(EmailKind.ESCALATED, opened(), TO, 9, null)));

		assertThat(email.get().messageId()).isEqualTo("<incident-42.9@warden.example.com>");
		assertThat(email.get().inReplyTo()).isEqualTo("<incident-42@warden.example.com>");
	}

	@Test
	void htmlBodyEscapesWhatAlertsAndPeopleWrote() {
		IncidentMail hostile = new IncidentMail(42, "<script>alert('title')</script>", "critical", "<b>svc</b>", "a&b",
				"TRIGGERED", null,
				List.of(new MailAlert("<img src=x onerror=alert(1)>", "firing", "<i>summary</i>", null)), List.of(),
				DETECTED, null, null, null, null, null);

		String html = compose(EmailKind.ESCALATED, hostile, 1, "<a href=\"https://evil.example\">click</a>").html();

		assertThat(html).contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;", "&lt;b&gt;svc&lt;/b&gt;",
				"a&amp;b", "&lt;img src=x onerror=alert(1)&gt;", "&lt;i&gt;summary&lt;/i&gt;",
				"&lt;a href=&quot;https://evil.example&quot;&gt;click&lt;/a&gt;");
		assertThat(html).doesNotContain("<script>", "<b>svc", "<img", "<i>summary", "https://evil.example\"");
	}

	@Test
	void declaredIncidentSaysWhoDeclaredItAndCarriesItsDescriptionEscaped() {
		IncidentMail declared = new IncidentMail(42, "Chat cites the wrong documents", "high", null, null, "TRIGGERED",
				null, List.of(), List.of(), DETECTED, null, null, null, null, BERLIN, "ada",
				"Three users reported it <b>since 09:40</b>\nall on model v42");

		Email email = compose(EmailKind.OPENED, declared);

		assertThat(email.html())
			.contains(">Declared by<", ">ada<", ">Description<",
					"Three users reported it &lt;b&gt;since 09:40&lt;/b&gt;")
			.doesNotContain("<b>since");
		assertThat(email.text()).contains("Declared by:   ada",
				"Description:\nThree users reported it <b>since 09:40</b>\nall on model v42");
		assertThat(compose(EmailKind.OPENED, opened()).html()).doesNotContain("Declared by", ">Description<");
	}

	@Test
	void htmlBodyShowsSeverityAsAWordWithTheFactsAndLinks() {
		String html = compose(EmailKind.OPENED, opened()).html();

		assertThat(html).contains(">CRITICAL<", ">TRIGGERED<", ">ai-inference-api<", ">ai-platform<",
				">GPU memory exhausted<", "GPU 0 memory above 95% for 5 minutes", "p99 latency above 2 s",
				"href=\"https://warden.example.com/incidents/42\"", "href=\"" + PROMETHEUS.replace("&", "&amp;") + "\"",
				"2026-06-10 14:00:00 (Europe/Berlin)");
		assertThat(html).as("no external resources").doesNotContain("src=", "<link", "@import", "url(");
	}

	@Test
	void textBodyListsAlertsWithSummariesAndLinks() {
		String text = compose(EmailKind.OPENED, opened()).text();

		assertThat(text).contains("Incident #42 opened: GPU memory exhausted\n", "Severity:      CRITICAL\n",
				"Status:        TRIGGERED\n", "Service:       ai-inference-api\n", "Team:          ai-platform\n",
				"Detected:      2026-06-10 14:00:00\n",
				"- GpuMemoryHigh (firing): GPU 0 memory above 95% for 5 minutes\n  Prometheus: " + PROMETHEUS + "\n",
				"- InferenceLatencyHigh (resolved): p99 latency above 2 s\n",
				"Incident #42 in Warden: https://warden.example.com/incidents/42\n", "Times are in Europe/Berlin.");
		assertThat(text).doesNotContain("<", "\n\n\n").endsWith(".\n");
	}

	@Test
	void linksOnlyToWebAddresses() {
		IncidentMail scripted = new IncidentMail(42, "GPU memory exhausted", "critical", null, null, "TRIGGERED",
				"javascript:alert(1)", List.of(new MailAlert("GpuMemoryHigh", "firing", null, "file:///etc/passwd")),
				List.of(), DETECTED, null, null, null, null, null);

		Email email = compose(EmailKind.OPENED, scripted);

		assertThat(email.html()).doesNotContain("javascript:", "file:", "href=");
		assertThat(email.text()).doesNotContain("javascript:", "file:", "Prometheus:", "in Warden:");
	}

	@Test
	void alertFromGrafanaShowsItsValuesAndLinks() {
		IncidentMail incident = new IncidentMail(42, "GPU memory exhausted", "critical", null, null, "TRIGGERED", null,
				List.of(new MailAlert("GpuMemoryHigh", "firing", "GPU 0 memory above 95%",
						GRAFANA + "/alerting/r1/view",
						new MailAlert.Grafana("B=97.3, C=1", GRAFANA + "/d/gpu?orgId=1",
								GRAFANA + "/d/gpu?orgId=1&viewPanel=4",
								GRAFANA + "/alerting/silence/new?matcher=gpu%3D0", null))),
				List.of(), DETECTED, null, null, null, null, BERLIN);

		Email email = compose(EmailKind.OPENED, incident);

		assertThat(email.text()).contains("- GpuMemoryHigh (firing): GPU 0 memory above 95%\n"
				+ "  Values: B=97.3, C=1\n" + "  Grafana rule: " + GRAFANA + "/alerting/r1/view\n" + "  Dashboard: "
				+ GRAFANA + "/d/gpu?orgId=1\n" + "  Panel: " + GRAFANA + "/d/gpu?orgId=1&viewPanel=4\n" + "  Silence: "
				+ GRAFANA + "/alerting/silence/new?matcher=gpu%3D0\n");
		assertThat(email.text()).doesNotContain("Image:", "Prometheus:");
		assertThat(email.html())
			.contains("Values: <code>B=97.3, C=1</code>", "href=\"" + GRAFANA + "/alerting/r1/view\"",
					">Open the rule in Grafana<", "href=\"" + GRAFANA + "/d/gpu?orgId=1\"", ">Dashboard<",
					"href=\"" + GRAFANA + "/d/gpu?orgId=1&amp;viewPanel=4\"", ">Panel<", ">Silence<")
			.doesNotContain(">Image<", "Open in Prometheus");
	}

	@Test
	void grafanaLinksThatAreNoWebAddressesAreLeftOutAndItsValuesEscaped() {
		IncidentMail incident = new IncidentMail(42, "GPU memory exhausted", "critical", null, null, "TRIGGERED", null,
				List.of(new MailAlert("GpuMemoryHigh", "firing", null, null,
						new MailAlert.Grafana("<script>B</script>=1", "javascript:alert(1)", "data:text/html,x",
								"file:///etc/passwd", "vbscript:x"))),
				List.of(), DETECTED, null, null, null, null, BERLIN);

		Email email = compose(EmailKind.OPENED, incident);

		assertThat(email.html()).contains("&lt;script&gt;B&lt;/script&gt;=1")
			.doesNotContain("<script>", "javascript:", "data:", "file:", "vbscript:", "href=");
		assertThat(email.text()).doesNotContain("javascript:", "data:", "file:", "vbscript:", "Dashboard:", "Panel:");
	}

	@Test
	void escalatedEmailSaysWhyAndWhoIsNotifiedNow() {
		Email escalated = compose(EmailKind.ESCALATED, opened(), 7,
				"Level 2 of policy default: nobody acknowledged within 15 min; notifying carol, #ai-leads");

		assertThat(escalated.text()).contains("Incident #42 escalated: GPU memory exhausted\n",
				"Escalated: Level 2 of policy default: nobody acknowledged within 15 min; notifying carol, #ai-leads\n",
				"- GpuMemoryHigh (firing)");
		assertThat(escalated.html()).contains(
				"Level 2 of policy default: nobody acknowledged within 15 min; notifying carol, #ai-leads",
				">CRITICAL<");
	}

	@Test
	void resolvedEmailListsTheTimelineInTheIncidentsZone() {
		Email resolved = compose(EmailKind.RESOLVED, resolved());

		assertThat(resolved.text()).contains("Timeline:\n",
				"  2026-06-10 14:00:00  incident.opened  warden: Opened from 1 alert\n",
				"  2026-06-10 14:04:12  incident.acknowledged  alice\n",
				"  2026-06-10 15:03:00  incident.resolved  bob: Rolled back the model server\n",
				"Acknowledged:  2026-06-10 14:04:12 by alice\n", "Resolved:      2026-06-10 15:03:00 by bob\n",
				"Times are in Europe/Berlin.");
		assertThat(resolved.html()).contains(">2026-06-10 14:00:00<", ">incident.opened<", ">Opened from 1 alert<",
				">2026-06-10 14:04:12<", ">alice<", ">2026-06-10 15:03:00<", ">Rolled back the model server<",
				"2026-06-10 15:03:00 by bob");
		assertThat(resolved.text() + resolved.html()).doesNotContain("12:00:00", "13:03:00");
	}

	@Test
	void resolvedEmailGivesTimeToAcknowledgeAndToResolve() {
		Email resolved = compose(EmailKind.RESOLVED, resolved());

		assertThat(resolved.text()).contains("Time to acknowledge:  4 min 12 s\n", "Time to resolve:      1 h 3 min\n");
		assertThat(resolved.html()).contains(">4 min 12 s<", ">1 h 3 min<");
	}

	@Test
	void incidentResolvedWithoutAcknowledgementSaysSo() {
		IncidentMail autoResolved = new IncidentMail(42, "GPU memory exhausted", "high", null, null, "RESOLVED", null,
				List.of(), List.of(), DETECTED, null, DETECTED.plusSeconds(42), null, null, null);

		Email resolved = compose(EmailKind.RESOLVED, autoResolved);

		assertThat(resolved.text()).contains("Time to acknowledge:  not acknowledged\n", "Time to resolve:      42 s\n",
				"Resolved:      2026-06-10 12:00:42\n", "Timeline:\n  none\n", "Alerts (0):\n  none\n");
		assertThat(resolved.html()).contains(">not acknowledged<", ">42 s<");
	}

	@Test
	void timesAreInUtcWithoutAZone() {
		Email opened = compose(EmailKind.OPENED, new IncidentMail(42, "GPU memory exhausted", "critical", null, null,
				"TRIGGERED", null, List.of(), List.of(), DETECTED, null, null, null, null, null));

		assertThat(opened.text()).contains("Detected:      2026-06-10 12:00:00\n", "Times are in UTC.");
		assertThat(opened.html()).contains("2026-06-10 12:00:00 (UTC)");
	}

	@Test
	void durationsUseTheirTwoLargestUnits() {
		assertThat(EmailComposer.duration(Duration.ZERO)).isEqualTo("0 s");
		assertThat(EmailComposer.duration(Duration.ofSeconds(42))).isEqualTo("42 s");
		assertThat(EmailComposer.duration(Duration.ofSeconds(252))).isEqualTo("4 min 12 s");
		assertThat(EmailComposer.duration(Duration.ofMinutes(15))).isEqualTo("15 min");
		assertThat(EmailComposer.duration(Duration.ofMinutes(63).plusSeconds(59))).isEqualTo("1 h 3 min");
		assertThat(EmailComposer.duration(Duration.ofHours(2))).isEqualTo("2 h");
		assertThat(EmailComposer.duration(Duration.ofHours(26).plusMinutes(5))).isEqualTo("1 d 2 h");
		assertThat(EmailComposer.duration(Duration.ofSeconds(-5))).as("clock skew").isEqualTo("0 s");
	}

	@Test
	void leavesTheApplicationsTemplateEngineToHtml() {
		this.contexts.run((context) -> {
			SpringTemplateEngine engine = context.getBean(SpringTemplateEngine.class);
			assertThat(engine.getTemplateResolvers()).singleElement()
				.isInstanceOfSatisfying(AbstractConfigurableTemplateResolver.class, (resolver) -> {
					assertThat(resolver.getTemplateMode()).isEqualTo(TemplateMode.HTML);
					assertThat(resolver.getSuffix()).isEqualTo(".html");
				});
			assertThat(context.getBeansOfType(ITemplateResolver.class)).hasSize(1);
		});
	}

	private Email compose(EmailKind kind, IncidentMail incident) {
		return compose(kind, incident, 7, null);
	}

	private Email compose(EmailKind kind, IncidentMail incident, long eventId, String detail) {
		AtomicReference<Email> email = new AtomicReference<>();
		this.contexts.run((context) -> email
			.set(context.getBean(EmailComposer.class).compose(kind, incident, TO, eventId, detail)));
		return email.get();
	}

	private static IncidentMail opened() {
		return new IncidentMail(42, "GPU memory exhausted", "critical", "ai-inference-api", "ai-platform", "TRIGGERED",
				"https://warden.example.com/incidents/42",
				List.of(new MailAlert("GpuMemoryHigh", "firing", "GPU 0 memory above 95% for 5 minutes", PROMETHEUS),
						new MailAlert("InferenceLatencyHigh", "resolved", "p99 latency above 2 s", null)),
				List.of(), DETECTED, null, null, null, null, BERLIN);
	}

	private static IncidentMail resolved() {
		Instant acknowledged = DETECTED.plus(Duration.ofMinutes(4).plusSeconds(12));
		Instant resolved = DETECTED.plus(Duration.ofHours(1).plusMinutes(3));
		return new IncidentMail(42, "GPU memory exhausted", "critical", "ai-inference-api", "ai-platform", "RESOLVED",
				"https://warden.example.com/incidents/42",
				List.of(new MailAlert("GpuMemoryHigh", "resolved", "GPU 0 memory above 95% for 5 minutes", PROMETHEUS)),
				List.of(new MailEvent(DETECTED, "incident.opened", "warden", "Opened from 1 alert"),
						new MailEvent(acknowledged, "incident.acknowledged", "alice", null),
						new MailEvent(resolved, "incident.resolved", "bob", "Rolled back the model server")),
				DETECTED, acknowledged, resolved, "alice", "bob", BERLIN);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EmailSettings.class)
	@Import(EmailComposer.class)
	static class EmailConfiguration {

	}

}
