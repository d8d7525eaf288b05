package dev.warden.notifications;

import dev.warden.access.SecurityChains;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Slack's interactivity and slash command endpoints authenticate each request by its
 * signature (see {@link SlackInteractionController}), so Spring Security lets it through:
 * no session, no CSRF token (Slack cannot send one), nothing else.
 */
@Configuration(proxyBeanMethods = false)
class SlackSecurityConfiguration {

	@Bean
	@Order(SecurityChains.SLACK)
	SecurityFilterChain slackInteractionSecurity(HttpSecurity http) throws Exception {
		SecurityChains.stateless(http, SlackInteractionController.PATH, SlackInteractionController.COMMANDS_PATH)
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return http.build();
	}

}
