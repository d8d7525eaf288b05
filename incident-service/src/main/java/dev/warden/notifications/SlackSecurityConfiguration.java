package dev.warden.notifications;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Slack's interactivity endpoint authenticates each request by its signature (see
 * {@link SlackInteractionController}), so Spring Security lets it through: no session, no
 * CSRF token (Slack cannot send one), nothing else.
 */
@Configuration(proxyBeanMethods = false)
class SlackSecurityConfiguration {

	@Bean
	@Order(2)
	SecurityFilterChain slackInteractionSecurity(HttpSecurity http) throws Exception {
		http.securityMatcher(SlackInteractionController.PATH)
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable())
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return http.build();
	}

}
