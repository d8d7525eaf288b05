package dev.warden.notifications.email;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * Sends emails over SMTP with Spring Boot's {@link JavaMailSender}, configured by
 * {@code spring.mail.*}. Without {@code spring.mail.host} there is no sender and email is
 * off.
 * <p>
 * Each email goes out as {@code multipart/alternative} (plain text, then HTML, both
 * UTF-8) with exactly the Message-ID, In-Reply-To and References it carries, so the
 * emails of an incident thread in mail clients.
 */
@Component
public class EmailGateway {

	private static final String UTF_8 = StandardCharsets.UTF_8.name();

	private final ObjectProvider<JavaMailSender> senders;

	private final EmailSettings settings;

	public EmailGateway(ObjectProvider<JavaMailSender> senders, EmailSettings settings) {
		this.senders = senders;
		this.settings = settings;
	}

	/** True when an SMTP server is configured ({@code spring.mail.host}). */
	public boolean enabled() {
		return this.senders.getIfAvailable() != null;
	}

	/**
	 * Sends the email, once.
	 * @throws EmailFailure when it was not sent; its kind tells whether trying again
	 * later may work
	 */
	public void send(Email email) {
		JavaMailSender sender = this.senders.getIfAvailable();
		if (sender == null) {
			throw new EmailFailure(EmailFailure.Kind.PERMANENT, "email is off: spring.mail.host is not set");
		}
		MimeMessage message;
		try {
			message = message(sender, email);
		}
		catch (AddressException ex) {
			throw new EmailFailure(EmailFailure.Kind.PERMANENT,
					"not an email address: " + ex.getRef() + " (" + ex.getMessage() + ")", ex);
		}
		catch (MessagingException | UnsupportedEncodingException ex) {
			throw new EmailFailure(EmailFailure.Kind.PERMANENT, "cannot build the message: " + ex.getMessage(), ex);
		}
		try {
			sender.send(message);
		}
		catch (MailException ex) {
			throw SmtpFailures.classify(ex);
		}
	}

	private MimeMessage message(JavaMailSender sender, Email email)
			throws MessagingException, UnsupportedEncodingException {
		MimeMessage message = new ThreadedMessage(session(sender), email.messageId());
		message.setFrom(from());
		message.setRecipients(MimeMessage.RecipientType.TO, recipients(email.to()));
		message.setSubject(email.subject(), UTF_8);
		message.setSentDate(new Date());
		if (email.inReplyTo() != null) {
			message.setHeader("In-Reply-To", email.inReplyTo());
		}
		if (!email.references().isEmpty()) {
			message.setHeader("References", String.join(" ", email.references()));
		}
		// RFC 3834: tells auto-responders (out of office) not to answer.
		message.setHeader("Auto-Submitted", "auto-generated");
		MimeBodyPart text = new MimeBodyPart();
		text.setText(email.text(), UTF_8, "plain");
		MimeBodyPart html = new MimeBodyPart();
		html.setText(email.html(), UTF_8, "html");
		// Clients show the last alternative they can: HTML, falling back to text.
		message.setContent(new MimeMultipart("alternative", text, html));
		message.saveChanges();
		return message;
	}

	private InternetAddress from() throws MessagingException, UnsupportedEncodingException {
		InternetAddress from = new InternetAddress(this.settings.from(), true);
		if (from.getPersonal() != null) {
			// Encodes a name with non-ASCII letters for the header.
			from.setPersonal(from.getPersonal(), UTF_8);
		}
		return from;
	}

	private static InternetAddress[] recipients(List<String> to) throws MessagingException {
		List<InternetAddress> recipients = new ArrayList<>();
		for (String address : to) {
			InternetAddress recipient = new InternetAddress(address.strip(), true);
			recipient.validate();
			recipients.add(recipient);
		}
		return recipients.toArray(InternetAddress[]::new);
	}

	/** The sender's session, for its {@code mail.*} properties such as the charset. */
	private static Session session(JavaMailSender sender) {
		return (sender instanceof JavaMailSenderImpl impl) ? impl.getSession() : Session.getInstance(new Properties());
	}

	/**
	 * A message that keeps its Message-ID: Jakarta Mail replaces it with a generated one
	 * whenever the message is saved.
	 */
	private static final class ThreadedMessage extends MimeMessage {

		private final String messageId;

		ThreadedMessage(Session session, String messageId) {
			super(session);
			this.messageId = messageId;
		}

		@Override
		protected void updateMessageID() throws MessagingException {
			setHeader("Message-ID", this.messageId);
		}

	}

}
