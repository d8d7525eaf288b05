package dev.warden.runbooks.docker;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Docker engine runbooks act on. Creating the client contacts nothing: Warden starts
 * without a Docker engine and reports it unavailable when asked.
 */
@Configuration(proxyBeanMethods = false)
class DockerConfiguration {

	@Bean(destroyMethod = "close")
	DockerContainerEngine containerEngine(DockerSettings settings) {
		return new DockerContainerEngine(settings);
	}

}
