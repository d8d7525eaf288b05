package dev.warden.notifications.email;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

class EmailSettingsTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(SettingsConfiguration.class);

	@Test
	void defaultsNeedNoConfiguration() {
		this.contexts.run((context) -> assertThat(context.getBean(EmailSettings.class))
			.isEqualTo(new EmailSettings("Warden <warden@localhost>", "warden.local")));
	}

	@Test
	void rejectsASenderThatIsNoAddress() {
		this.contexts.withPropertyValues("warden.email.from=Warden")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("warden.email.from is not an email address"));
	}

	@Test
	void rejectsAMessageIdDomainThatIsNoDomain() {
		this.contexts.withPropertyValues("warden.email.message-id-domain=warden.local> <x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("must be a domain name"));
	}

	@Test
	void shippedConfigurationBoundsEverySmtpWait() {
		new ApplicationContextRunner().withInitializer(new ConfigDataApplicationContextInitializer())
			.withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class))
			.withPropertyValues("spring.mail.host=smtp.example.com")
			.run((context) -> assertThat(context.getBean(JavaMailSenderImpl.class).getJavaMailProperties())
				.containsEntry("mail.smtp.connectiontimeout", "5000")
				.containsEntry("mail.smtp.timeout", "10000")
				.containsEntry("mail.smtp.writetimeout", "10000"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EmailSettings.class)
	static class SettingsConfiguration {

	}

}
