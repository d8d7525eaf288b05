package dev.warden;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * Warden: turns Alertmanager webhooks into incidents with a detection-to-resolution
 * timeline.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WardenApplication {

	public static void main(String[] args) {
		SpringApplication.run(WardenApplication.class, args);
	}

	/** The one source of time; tests replace it to move time. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
