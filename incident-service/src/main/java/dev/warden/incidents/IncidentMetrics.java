package dev.warden.incidents;

import dev.warden.metrics.DatabaseGauges;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The incidents gauge read from the database: on the metrics refresh schedule, never
 * during a scrape. (The counters of opened, resolved and reopened incidents live in
 * {@link IncidentService}.)
 */
@Configuration(proxyBeanMethods = false)
class IncidentMetrics {

	@Bean
	InitializingBean openIncidentsGauge(DatabaseGauges gauges, IncidentService incidents) {
		return () -> gauges.register("warden.incidents.open", "Incidents not resolved", incidents::countOpen);
	}

}
