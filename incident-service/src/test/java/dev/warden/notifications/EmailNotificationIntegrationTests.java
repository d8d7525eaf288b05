package dev.warden.notifications;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.GrafanaBodies;
import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.TestFork;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Email delivery to GreenMail, a real SMTP server: the opened and resolved emails with
 * HTML and text parts and threading headers, and an SMTP outage that ends in exactly one
 * delivered email once the server is back.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=email", "warden.notifications.initial-backoff=500ms",
		"warden.notifications.max-backoff=1s", "spring.mail.properties[mail.smtp.connectiontimeout]=1000",
		"spring.mail.properties[mail.smtp.timeout]=2000" })
class EmailNotificationIntegrationTests {

	private static final int SMTP_PORT = TestFork.freePort();

	private static GreenMail smtp = start();

	private static boolean running = true;

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	WardenClient warden;

	String title;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
		registry.add("warden.routing.file", () -> NotificationFiles.routing().toString());
		registry.add("warden.oncall.file", () -> NotificationFiles.onCall().toString());
	}

	@AfterAll
	static void stop() {
		smtp.stop();
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		this.title = "Email test " + UUID.randomUUID();
		if (!running) {
			smtp = start();
		}
	}

	@Test
	void openedAndResolvedEmailsHaveBothPartsAndAreThreaded() throws Exception {
		long incident = open();

		MimeMessage opened = awaitMessages(1).getFirst();
		assertThat(opened.getSubject()).contains(this.title).contains("WARNING").contains("#" + incident);
		assertThat(opened.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
			.containsExactly("oncall@example.com");
		String rootId = opened.getHeader("Message-ID")[0];
		assertThat(rootId).startsWith("<incident-" + incident + "@");
		List<String> parts = contentTypes(opened);
		assertThat(parts).anyMatch((type) -> type.startsWith("text/plain"))
			.anyMatch((type) -> type.startsWith("text/html"));
		assertThat(GreenMailUtil.getBody(opened)).contains(this.title);

		Response resolved = this.warden.post("/api/v1/incidents/" + incident + "/resolve", Map.of());
		assertThat(resolved.status()).isEqualTo(200);

		List<MimeMessage> messages = awaitMessages(2);
		MimeMessage ending = messages.get(1);
		assertThat(ending.getSubject()).startsWith("Resolved:").contains(this.title);
		assertThat(ending.getHeader("In-Reply-To")).containsExactly(rootId);
		assertThat(ending.getHeader("References")[0]).contains(rootId);
		assertThat(ending.getHeader("Message-ID")[0]).isNotEqualTo(rootId);
	}

	@Test
	void grafanaAlertsEmailShowsItsValuesAndLinks() throws Exception {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("firing.json", UUID.randomUUID().toString());
		((ObjectNode) body.get("commonAnnotations")).put("summary", this.title);
		((ObjectNode) body.get("alerts").get(0).get("annotations")).put("summary", this.title);
		((ObjectNode) body.get("alerts").get(0)).put("panelURL", "javascript:alert(1)");
		Response response = GrafanaBodies.post(this.warden, body);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);

		MimeMessage opened = awaitMessages(1).getFirst();

		assertThat(part(opened, "text/plain"))
			.contains("  Values: B=97.31250762939453, C=1\n",
					"  Grafana rule: http://grafana.example.internal:3000/alerting/grafana/be2kx9a1/view?orgId=1\n",
					"  Dashboard: http://grafana.example.internal:3000/d/gpu-overview?orgId=1\n", "  Silence: ")
			.doesNotContain("Panel:", "javascript:");
		assertThat(part(opened, "text/html"))
			.contains("<code>B=97.31250762939453, C=1</code>",
					"href=\"http://grafana.example.internal:3000/d/gpu-overview?orgId=1\"", ">Dashboard<")
			.doesNotContain("javascript:", ">Panel<");
	}

	@Test
	void smtpDownThenUpDeliversExactlyOnce() throws Exception {
		smtp.stop();
		running = false;
		long incident = open();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> notification(incident).get("attempts").asInt() >= 2
					&& notification(incident).get("status").asString().equals("pending"));
		assertThat(notification(incident).get("lastError").asString()).isNotBlank();

		smtp = start();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> notification(incident).get("status").asString().equals("sent"));
		Thread.sleep(3000);
		MimeMessage[] received = smtp.getReceivedMessages();
		assertThat(Arrays.stream(received).filter((message) -> subject(message).contains(this.title))).hasSize(1);
	}

	private List<MimeMessage> awaitMessages(int count) {
		await().atMost(Duration.ofSeconds(30)).until(() -> mine().size() >= count);
		return mine();
	}

	private List<MimeMessage> mine() {
		return Arrays.stream(smtp.getReceivedMessages())
			.filter((message) -> subject(message).contains(this.title))
			.toList();
	}

	private tools.jackson.databind.JsonNode notification(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident + "/notifications")
			.json()
			.valueStream()
			.filter((each) -> each.get("kind").asString().equals("email.opened"))
			.findFirst()
			.orElseThrow();
	}

	private long open() {
		return this.warden.open(Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30))
			.summary(this.title)
			.json());
	}

	private static List<String> contentTypes(MimeMessage message) throws Exception {
		MimeMultipart multipart = (MimeMultipart) message.getContent();
		List<String> types = new java.util.ArrayList<>();
		collect(multipart, types);
		return types;
	}

	/** The decoded content of the message's part of this type, with Java's line ends. */
	private static String part(MimeMessage message, String type) throws Exception {
		return part((MimeMultipart) message.getContent(), type);
	}

	private static String part(MimeMultipart multipart, String type) throws Exception {
		for (int i = 0; i < multipart.getCount(); i++) {
			BodyPart part = multipart.getBodyPart(i);
			if (part.getContent() instanceof MimeMultipart nested) {
				String found = part(nested, type);
				if (found != null) {
					return found;
				}
			}
			else if (part.getContentType().startsWith(type)) {
				return part.getContent().toString().replace("\r\n", "\n");
			}
		}
		return null;
	}

	private static void collect(MimeMultipart multipart, List<String> types) throws Exception {
		for (int i = 0; i < multipart.getCount(); i++) {
			BodyPart part = multipart.getBodyPart(i);
			if (part.getContent() instanceof MimeMultipart nested) {
				collect(nested, types);
			}
			else {
				types.add(part.getContentType());
			}
		}
	}

	private static String subject(MimeMessage message) {
		try {
			return String.valueOf(message.getSubject());
		}
		catch (Exception ex) {
			return "";
		}
	}

	private static GreenMail start() {
		GreenMail mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		mail.start();
		running = true;
		return mail;
	}

}
