package dev.warden.storage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The data directory as a bean for the modules that keep secrets in it. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

	@Bean
	DataDirectory dataDirectory(StorageSettings settings) {
		return DataDirectory.at(settings.directory());
	}

}
