package dev.warden.notifications.email;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.internet.AddressException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;

/**
 * Tells a failure to send apart into worth retrying and not, from what Spring's mail
 * sender and Jakarta Mail report: the credentials refused or a 5xx reply is permanent; no
 * connection, a timeout or a 4xx reply is transient.
 */
final class SmtpFailures {

	/** Enough for any real chain; guards against chains that loop. */
	private static final int MAX_CAUSES = 64;

	private SmtpFailures() {
	}

	static EmailFailure classify(Exception failure) {
		List<Throwable> causes = causes(failure);
		for (Throwable cause : causes) {
			if (cause instanceof AuthenticationFailedException || cause instanceof MailAuthenticationException) {
				return new EmailFailure(EmailFailure.Kind.PERMANENT,
						"the SMTP server refused the credentials (" + message(cause) + ")", failure);
			}
		}
		EmailFailure replied = byReplyCode(failure, causes);
		if (replied != null) {
			return replied;
		}
		for (Throwable cause : causes) {
			if (cause instanceof AddressException || cause instanceof MailParseException
					|| cause instanceof MailPreparationException) {
				return new EmailFailure(EmailFailure.Kind.PERMANENT, "the message is invalid (" + message(cause) + ")",
						failure);
			}
		}
		for (Throwable cause : causes) {
			if (cause instanceof MailConnectException connect) {
				return new EmailFailure(EmailFailure.Kind.TRANSIENT, "cannot connect to the SMTP server "
						+ connect.getHost() + ":" + connect.getPort() + " (" + message(rootCause(connect)) + ")",
						failure);
			}
		}
		for (Throwable cause : causes) {
			if (cause instanceof IOException) {
				return new EmailFailure(EmailFailure.Kind.TRANSIENT,
						"talking to the SMTP server failed (" + message(cause) + ")", failure);
			}
		}
		// Anything else went wrong talking to the server, where trying again is cheap.
		EmailFailure.Kind kind = (failure instanceof MailException) ? EmailFailure.Kind.TRANSIENT
				: EmailFailure.Kind.PERMANENT;
		return new EmailFailure(kind, message(rootCause(failure)), failure);
	}

	/**
	 * Classifies by the SMTP reply codes in the chain: any 5xx makes the failure
	 * permanent (a rejected recipient stays rejected), else any 4xx transient.
	 */
	private static EmailFailure byReplyCode(Exception failure, List<Throwable> causes) {
		EmailFailure transientReply = null;
		for (Throwable cause : causes) {
			int code = replyCode(cause);
			String reason = "the SMTP server answered " + message(cause).strip();
			if (cause instanceof SMTPAddressFailedException address) {
				reason = "the SMTP server refused " + address.getAddress() + ": " + message(cause).strip();
			}
			if (code >= 500 && code < 600) {
				return new EmailFailure(EmailFailure.Kind.PERMANENT, reason, failure);
			}
			if (code >= 400 && code < 500 && transientReply == null) {
				transientReply = new EmailFailure(EmailFailure.Kind.TRANSIENT, reason, failure);
			}
		}
		return transientReply;
	}

	private static int replyCode(Throwable cause) {
		return switch (cause) {
			case SMTPAddressFailedException address -> address.getReturnCode();
			case SMTPSenderFailedException sender -> sender.getReturnCode();
			case SMTPSendFailedException send -> send.getReturnCode();
			default -> 0;
		};
	}

	/**
	 * The failure and everything behind it: causes, Jakarta Mail's next exceptions (its
	 * {@code getCause()}) and the per-message failures of a {@link MailSendException}.
	 */
	private static List<Throwable> causes(Throwable failure) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		List<Throwable> causes = new ArrayList<>();
		Deque<Throwable> pending = new ArrayDeque<>();
		pending.add(failure);
		while (!pending.isEmpty() && causes.size() < MAX_CAUSES) {
			Throwable next = pending.poll();
			if (!seen.add(next)) {
				continue;
			}
			causes.add(next);
			if (next instanceof MailSendException send) {
				pending.addAll(send.getFailedMessages().values());
				pending.addAll(List.of(send.getMessageExceptions()));
			}
			if (next.getCause() != null) {
				pending.add(next.getCause());
			}
			pending.addAll(List.of(next.getSuppressed()));
		}
		return causes;
	}

	private static Throwable rootCause(Throwable failure) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Throwable root = failure;
		while (root.getCause() != null && seen.add(root)) {
			root = root.getCause();
		}
		return root;
	}

	private static String message(Throwable failure) {
		String message = failure.getMessage();
		return (message != null && !message.isBlank()) ? message.strip() : failure.getClass().getSimpleName();
	}

}
