package dev.warden.notifications.email;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What Warden's email looks like to the recipient. The SMTP server itself is Spring
 * Boot's {@code spring.mail.*}; without {@code spring.mail.host} Warden sends no email.
 *
 * @param from the sender, an address with an optional name such as
 * {@code Warden <warden@example.com>}
 * @param messageIdDomain the right-hand side of the Message-IDs Warden makes, such as
 * {@code <incident-42@warden.example.com>}; a domain Warden's operators own keeps them
 * unique
 */
@ConfigurationProperties("warden.email")
@Validated
public record EmailSettings(@NotBlank @DefaultValue("Warden <warden@localhost>") String from, @NotBlank @Pattern(
		regexp = "[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?",
		message = "must be a domain name such as warden.example.com") @DefaultValue("warden.local") String messageIdDomain) {

	public EmailSettings {
		if (from != null && !from.isBlank()) {
			try {
				new InternetAddress(from, true).validate();
			}
			catch (AddressException ex) {
				throw new IllegalArgumentException("warden.email.from is not an email address: " + from, ex);
			}
		}
	}

}
