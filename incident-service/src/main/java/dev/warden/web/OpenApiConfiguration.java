package dev.warden.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document served at {@code /v3/api-docs} and shown at
 * {@code /swagger-ui.html}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI wardenOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Warden API")
				.version("v1")
				.description("Incidents from Alertmanager webhooks, with their detection-to-resolution timeline."))
			.components(new Components()
				.addSecuritySchemes("apiToken",
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("An API token (the bootstrap token is in data/api-token)"))
				.addSecuritySchemes("alertmanagerWebhook",
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("The webhook token (or basic auth) configured in Alertmanager's http_config"))
				.addSecuritySchemes("grafanaWebhook", new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.description(
							"The token (under warden.grafana.token-scheme, Bearer by default) or basic auth configured in Grafana's webhook contact point")));
	}

}
