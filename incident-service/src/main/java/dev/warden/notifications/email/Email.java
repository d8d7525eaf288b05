package dev.warden.notifications.email;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An email ready to send.
 *
 * @param to the recipients' addresses; at least one
 * @param subject the subject, one line
 * @param text the plain-text body
 * @param html the HTML body
 * @param messageId the Message-ID with angle brackets, such as
 * {@code <incident-42@warden.local>}; sent exactly as given
 * @param inReplyTo the Message-ID this email answers, or null
 * @param references the Message-IDs of the thread, oldest first; empty for a thread's
 * first email
 */
public record Email(List<String> to, String subject, String text, String html, String messageId, String inReplyTo,
		List<String> references) {

	private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>@\\s]+@[^<>@\\s]+>");

	public Email {
		to = List.copyOf(to);
		if (to.isEmpty()) {
			throw new IllegalArgumentException("An email needs at least one recipient");
		}
		Objects.requireNonNull(subject, "subject");
		if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
			throw new IllegalArgumentException("A subject is one line");
		}
		Objects.requireNonNull(text, "text");
		Objects.requireNonNull(html, "html");
		requireMessageId(messageId);
		if (inReplyTo != null) {
			requireMessageId(inReplyTo);
		}
		references = (references != null) ? List.copyOf(references) : List.of();
		references.forEach(Email::requireMessageId);
	}

	private static void requireMessageId(String id) {
		if (id == null || !MESSAGE_ID.matcher(id).matches()) {
			throw new IllegalArgumentException("Not a Message-ID in angle brackets: " + id);
		}
	}

}
