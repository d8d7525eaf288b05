package dev.warden.access;

import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Writes each operation's scope into the API document: the description says it, and
 * {@code x-required-scope} carries it for tools.
 */
@Configuration(proxyBeanMethods = false)
class ScopeDocumentation {

	@Bean
	OperationCustomizer requiredScopes() {
		return (operation, handler) -> {
			RequiresScope declared = ScopeAuthorization.required(handler);
			if (declared != null) {
				String scope = declared.value().value();
				String note = "Needs an API token with the `" + scope + "` scope (`admin` holds every scope).";
				operation.setDescription(
						(operation.getDescription() != null) ? operation.getDescription() + "\n\n" + note : note);
				operation.addExtension("x-required-scope", scope);
			}
			return operation;
		};
	}

}
