package dev.warden.notifications.email;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The gateway as Warden runs it: Spring Boot's mail auto-configuration makes the sender
 * from {@code spring.mail.*}, GreenMail receives.
 */
class EmailGatewayTests {

	@RegisterExtension
	static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
		.withConfiguration(GreenMailConfiguration.aConfig().withUser("warden", "s3cret"));

	private static final Email RESOLVED = new Email(List.of("oncall@example.com", "Carol Chen <carol@example.com>"),
			"Resolved: [CRITICAL] Überlast im Rechenzentrum – GPU ✓ (#42)",
			"Resolved.\nZeit bis zur Lösung: 1 h 3 min\n", "<p>Resolved. <b>Überlast</b> ✓</p>",
			"<incident-42.7@warden.local>", "<incident-42@warden.local>", List.of("<incident-42@warden.local>"));

	private static final Email OPENED = new Email(List.of("oncall@example.com"),
			"[CRITICAL] GPU memory exhausted (#42)", "Opened.\n", "<p>Opened.</p>", "<incident-42@warden.local>", null,
			List.of());

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class))
		.withUserConfiguration(GatewayConfiguration.class)
		.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.username=warden", "spring.mail.password=s3cret",
				"spring.mail.properties[mail.smtp.auth]=true",
				"spring.mail.properties[mail.smtp.connectiontimeout]=2000",
				"spring.mail.properties[mail.smtp.timeout]=2000", "spring.mail.properties[mail.smtp.writetimeout]=2000",
				"warden.email.from=Wärden <warden@example.com>");

	@Test
	void sendsTextAndHtmlAsAlternatives() throws Exception {
		withGateway(greenMail.getSmtp().getPort(), (gateway) -> gateway.send(RESOLVED));

		MimeMessage received = oneCopyPerRecipient(greenMail.getReceivedMessages(), 2);
		assertThat(received.isMimeType("multipart/alternative")).as(received.getContentType()).isTrue();
		MimeMultipart parts = (MimeMultipart) received.getContent();
		assertThat(parts.getCount()).isEqualTo(2);
		assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
		assertThat(parts.getBodyPart(0).getContentType()).containsIgnoringCase("charset=UTF-8");
		// SMTP carries lines ending in CRLF.
		assertThat(parts.getBodyPart(0).getContent()).asString()
			.isEqualToNormalizingNewlines("Resolved.\nZeit bis zur Lösung: 1 h 3 min\n");
		assertThat(parts.getBodyPart(1).isMimeType("text/html")).isTrue();
		assertThat(parts.getBodyPart(1).getContentType()).containsIgnoringCase("charset=UTF-8");
		assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<p>Resolved. <b>Überlast</b> ✓</p>");
	}

	@Test
	void sendsTheHeadersThatThreadTheIncident() throws Exception {
		withGateway(greenMail.getSmtp().getPort(), (gateway) -> gateway.send(RESOLVED));

		MimeMessage received = oneCopyPerRecipient(greenMail.getReceivedMessages(), 2);
		assertThat(received.getMessageID()).isEqualTo("<incident-42.7@warden.local>");
		assertThat(received.getHeader("In-Reply-To")).containsExactly("<incident-42@warden.local>");
		assertThat(received.getHeader("References")).containsExactly("<incident-42@warden.local>");
		assertThat(received.getSubject()).isEqualTo("Resolved: [CRITICAL] Überlast im Rechenzentrum – GPU ✓ (#42)");
		InternetAddress from = (InternetAddress) received.getFrom()[0];
		assertThat(from.getAddress()).isEqualTo("warden@example.com");
		assertThat(from.getPersonal()).isEqualTo("Wärden");
		assertThat(received.getRecipients(RecipientType.TO)).extracting((address) -> (InternetAddress) address)
			.extracting(InternetAddress::getAddress)
			.containsExactly("oncall@example.com", "carol@example.com");
		assertThat(received.getSentDate()).isNotNull();
		assertThat(received.getHeader("Auto-Submitted")).containsExactly("auto-generated");
	}

	@Test
	void theThreadsFirstEmailAnswersNothing() throws Exception {
		withGateway(greenMail.getSmtp().getPort(), (gateway) -> gateway.send(OPENED));

		MimeMessage received = oneCopyPerRecipient(greenMail.getReceivedMessages(), 1);
		assertThat(received.getMessageID()).isEqualTo("<incident-42@warden.local>");
		assertThat(received.getHeader("In-Reply-To")).isNull();
		assertThat(received.getHeader("References")).isNull();
	}

	@Test
	void serverDownIsTransientAndTheRetryDeliversOnce() throws Exception {
		int port = unusedPort();
		GreenMail later = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
			.withConfiguration(GreenMailConfiguration.aConfig().withUser("warden", "s3cret"));
		try {
			withGateway(port, (gateway) -> {
				assertThatExceptionOfType(EmailFailure.class).isThrownBy(() -> gateway.send(OPENED))
					.satisfies((failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.TRANSIENT))
					.satisfies((failure) -> assertThat(failure.reason()).contains(String.valueOf(port)));

				later.start();
				gateway.send(OPENED);
			});
			assertThat(later.waitForIncomingEmail(5000, 1)).isTrue();
			assertThat(later.getReceivedMessages()).hasSize(1);
		}
		finally {
			later.stop();
		}
	}

	@Test
	void serverThatNeverAnswersIsTransient() throws Exception {
		// The connection is accepted by the operating system; nobody ever reads or
		// writes.
		try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
			withGateway(silent.getLocalPort(),
					(gateway) -> assertThatExceptionOfType(EmailFailure.class).isThrownBy(() -> gateway.send(OPENED))
						.satisfies((failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.TRANSIENT)));
		}
	}

	@Test
	void refusedCredentialsArePermanent() {
		this.contexts
			.withPropertyValues("spring.mail.port=" + greenMail.getSmtp().getPort(), "spring.mail.password=wrong")
			.run((context) -> assertThatExceptionOfType(EmailFailure.class)
				.isThrownBy(() -> context.getBean(EmailGateway.class).send(OPENED))
				.satisfies((failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.PERMANENT))
				.satisfies((failure) -> assertThat(failure.reason()).contains("credentials")));
		assertThat(greenMail.getReceivedMessages()).isEmpty();
	}

	@Test
	void refusedRecipientIsPermanent() throws Exception {
		try (ScriptedSmtpServer server = new ScriptedSmtpServer(
				Map.of("RCPT", "550 5.1.1 <oncall@example.com>: Recipient address rejected: User unknown"))) {
			assertThat(failureAgainst(server)).satisfies(
					(failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.PERMANENT),
					(failure) -> assertThat(failure.reason()).contains("oncall@example.com", "550"));
		}
	}

	@Test
	void recipientRefusedForNowIsTransient() throws Exception {
		try (ScriptedSmtpServer server = new ScriptedSmtpServer(
				Map.of("RCPT", "451 4.7.1 <oncall@example.com>: Greylisted, try again in 5 minutes"))) {
			assertThat(failureAgainst(server)).satisfies(
					(failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.TRANSIENT),
					(failure) -> assertThat(failure.reason()).contains("451"));
		}
	}

	@Test
	void messageRefusedForNowIsTransient() throws Exception {
		try (ScriptedSmtpServer server = new ScriptedSmtpServer(
				Map.of("MESSAGE", "452 4.3.1 Insufficient system storage"))) {
			assertThat(failureAgainst(server)).satisfies(
					(failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.TRANSIENT),
					(failure) -> assertThat(failure.reason()).contains("452"));
		}
	}

	@Test
	void serverClosingForNowIsTransient() throws Exception {
		try (ScriptedSmtpServer server = new ScriptedSmtpServer(
				Map.of("MAIL", "421 4.3.2 Service shutting down, try again later"))) {
			assertThat(failureAgainst(server)).satisfies(
					(failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.TRANSIENT),
					(failure) -> assertThat(failure.reason()).contains("421"));
		}
	}

	@Test
	void messageRefusedForGoodIsPermanent() throws Exception {
		try (ScriptedSmtpServer server = new ScriptedSmtpServer(
				Map.of("MESSAGE", "554 5.7.1 Message rejected as spam"))) {
			assertThat(failureAgainst(server)).satisfies(
					(failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.PERMANENT),
					(failure) -> assertThat(failure.reason()).contains("554"));
		}
	}

	@Test
	void invalidRecipientAddressIsPermanentAndSendsNothing() throws Exception {
		Email misaddressed = new Email(List.of("oncall@example.com", "not an address"), OPENED.subject(), OPENED.text(),
				OPENED.html(), OPENED.messageId(), null, List.of());

		withGateway(greenMail.getSmtp().getPort(),
				(gateway) -> assertThatExceptionOfType(EmailFailure.class).isThrownBy(() -> gateway.send(misaddressed))
					.satisfies((failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.PERMANENT))
					.satisfies((failure) -> assertThat(failure.reason()).contains("not an address")));
		assertThat(greenMail.getReceivedMessages()).isEmpty();
	}

	@Test
	void withoutAnSmtpHostEmailIsOff() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class))
			.withUserConfiguration(GatewayConfiguration.class)
			.run((context) -> {
				EmailGateway gateway = context.getBean(EmailGateway.class);
				assertThat(gateway.enabled()).isFalse();
				assertThatExceptionOfType(EmailFailure.class).isThrownBy(() -> gateway.send(OPENED))
					.satisfies((failure) -> assertThat(failure.kind()).isEqualTo(EmailFailure.Kind.PERMANENT));
			});
	}

	@Test
	void withAnSmtpHostEmailIsOn() {
		withGateway(greenMail.getSmtp().getPort(), (gateway) -> assertThat(gateway.enabled()).isTrue());
	}

	private void withGateway(int port, Consumer<EmailGateway> use) {
		this.contexts.withPropertyValues("spring.mail.port=" + port)
			.run((context) -> use.accept(context.getBean(EmailGateway.class)));
	}

	private EmailFailure failureAgainst(ScriptedSmtpServer server) {
		EmailFailure[] failure = new EmailFailure[1];
		// The scripted server offers no AUTH.
		this.contexts
			.withPropertyValues("spring.mail.port=" + server.port(), "spring.mail.username=",
					"spring.mail.properties[mail.smtp.auth]=false")
			.run((context) -> {
				EmailGateway gateway = context.getBean(EmailGateway.class);
				failure[0] = catchThrowableOfType(EmailFailure.class, () -> gateway.send(OPENED));
			});
		assertThat(failure[0]).as("sending fails").isNotNull();
		return failure[0];
	}

	/** GreenMail delivers a copy to each recipient's mailbox; the copies are alike. */
	private static MimeMessage oneCopyPerRecipient(MimeMessage[] received, int recipients) {
		assertThat(received).hasSize(recipients);
		return received[0];
	}

	private static int unusedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EmailSettings.class)
	@Import(EmailGateway.class)
	static class GatewayConfiguration {

	}

}
